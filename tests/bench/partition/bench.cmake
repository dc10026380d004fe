# bench_partition: gridplan's partition engine vs METIS 5.1 on synthetic cities (issue 4).
# A benchmark, not a test: run tests/bench/partition/run.sh. The ctest below (label bench) only
# keeps the program working on a tiny city.
find_library(GRIDPLAN_METIS_LIBRARY metis)
find_path(GRIDPLAN_METIS_INCLUDE_DIR metis.h)
if(NOT GRIDPLAN_METIS_LIBRARY OR NOT GRIDPLAN_METIS_INCLUDE_DIR)
  message(STATUS "bench_partition: libmetis-dev not found, benchmark not built")
  return()
endif()

set(_pb ${CMAKE_CURRENT_LIST_DIR})
add_executable(bench_partition
  ${_pb}/bench_partition.cpp
  ${_pb}/city.cpp
  ${_pb}/metrics.cpp
  ${_pb}/metis_runner.cpp
  ${_pb}/gridplan_runner.cpp)
target_include_directories(bench_partition PRIVATE ${_pb} ${GRIDPLAN_METIS_INCLUDE_DIR})
target_link_libraries(bench_partition PRIVATE gridplan::gridplan nlohmann_json::nlohmann_json
                      ${GRIDPLAN_METIS_LIBRARY} gridplan_flags)

# Smoke test (label bench, not unit): a tiny Kaifeng-style city through both methods; fails on
# disconnected grids, missing grids or 1-thread vs 2-thread differences.
find_program(GRIDPLAN_DEBIAN_PYTHON /usr/bin/python3)
if(GRIDPLAN_DEBIAN_PYTHON)
  add_test(NAME bench.partition.tiny_city
    COMMAND sh -c "'${GRIDPLAN_DEBIAN_PYTHON}' '${_pb}/gen_kaifeng.py' 3 tiny_city.json 4 3 && '$<TARGET_FILE:bench_partition>' --runs 1 --threads 2 --check tiny_city.json"
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(bench.partition.tiny_city PROPERTIES LABELS bench TIMEOUT 300)
endif()
