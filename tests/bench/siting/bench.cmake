# Siting benchmark (issue 7): gridplan vs PuLP + CBC vs greedy; driver: tests/bench/siting/run.py.
add_executable(bench_siting ${CMAKE_CURRENT_LIST_DIR}/bench_siting.cpp)
target_link_libraries(bench_siting PRIVATE gridplan::gridplan GDAL::GDAL gridplan_flags)
