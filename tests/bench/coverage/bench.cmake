# Coverage benchmark (issue 6): gridplan vs networkx / QGIS / pgRouting; driver: tests/bench/coverage/run.sh.
# coverage_oracle is independent of the engine on purpose (brute-force Dijkstra after graph surgery).
add_executable(coverage_oracle ${CMAKE_CURRENT_LIST_DIR}/oracle.cpp)
target_link_libraries(coverage_oracle PRIVATE GDAL::GDAL gridplan_flags)

# bench_coverage: the engine side (graph export + timed coverage stages).
# (Built once the coverage module lists its implementation; until then run.sh runs the peers only.)
file(READ ${PROJECT_SOURCE_DIR}/engine/coverage/module.cmake _gridplan_coverage_sources)
if(_gridplan_coverage_sources MATCHES "coverage\\.cpp")
  add_executable(bench_coverage ${CMAKE_CURRENT_LIST_DIR}/bench_coverage.cpp)
  target_link_libraries(bench_coverage PRIVATE gridplan::gridplan GDAL::GDAL gridplan_flags)
endif()
