# Siting benchmark (issue 7): gridplan vs PuLP + CBC vs greedy; driver: tests/bench/siting/run.py.
add_executable(bench_siting ${CMAKE_CURRENT_LIST_DIR}/bench_siting.cpp)
target_link_libraries(bench_siting PRIVATE gridplan::gridplan GDAL::GDAL gridplan_flags)

# bench label: the benchmark programs on a tiny input (they keep working; no timing meaning)
set(_siting_tiny ${CMAKE_CURRENT_BINARY_DIR}/siting_tiny)
add_test(NAME bench.siting_tiny
  COMMAND sh -c "/usr/bin/python3 '${CMAKE_CURRENT_LIST_DIR}/tiny.py' '${_siting_tiny}' && \
'$<TARGET_FILE:bench_siting>' --lines '${_siting_tiny}/lines.gpkg' --stations '${_siting_tiny}/stations.gpkg' \
--buildings '${_siting_tiny}/buildings.gpkg' --candidates '${_siting_tiny}/candidates.gpkg' --p 4 --reps 1 \
--time-limit 10 --street 1 --dump '${_siting_tiny}/instance.txt' > '${_siting_tiny}/out.json' && \
grep -q '\"status\": \"optimal\"' '${_siting_tiny}/out.json' && \
/usr/bin/python3 '${CMAKE_CURRENT_LIST_DIR}/pulp_same.py' '${_siting_tiny}/instance.txt' | grep -q Optimal")
set_tests_properties(bench.siting_tiny PROPERTIES LABELS bench)
