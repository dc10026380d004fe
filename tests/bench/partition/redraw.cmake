# bench_redraw: the redraw test of partition.md §3.4 (issue 5): gridplan redraw vs METIS from
# scratch vs Scotch remap. A benchmark, not a test: run tests/bench/partition/run_redraw.sh.
# The ctest below (label bench) keeps the program working on a tiny city and asserts that
# locked units never move and no grid is disconnected.
if(NOT GRIDPLAN_METIS_LIBRARY OR NOT GRIDPLAN_METIS_INCLUDE_DIR)
  return()
endif()
set(_rb ${CMAKE_CURRENT_LIST_DIR})
add_executable(bench_redraw
  ${_rb}/bench_redraw.cpp
  ${_rb}/city.cpp
  ${_rb}/metrics.cpp
  ${_rb}/metis_runner.cpp
  ${_rb}/gridplan_runner.cpp)
target_include_directories(bench_redraw PRIVATE ${_rb} ${GRIDPLAN_METIS_INCLUDE_DIR})
target_link_libraries(bench_redraw PRIVATE gridplan::gridplan nlohmann_json::nlohmann_json
                      ${GRIDPLAN_METIS_LIBRARY} gridplan_flags)
find_program(GRIDPLAN_DEBIAN_PYTHON /usr/bin/python3)
if(GRIDPLAN_DEBIAN_PYTHON)
  add_test(NAME bench.partition.redraw_tiny_city
    COMMAND sh -c "'${GRIDPLAN_DEBIAN_PYTHON}' '${_rb}/gen_kaifeng.py' 3 redraw_tiny_city.json 4 3 && '$<TARGET_FILE:bench_redraw>' --check --lock-share 0.05 redraw_tiny_city.json"
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(bench.partition.redraw_tiny_city PROPERTIES LABELS bench TIMEOUT 300)
endif()
