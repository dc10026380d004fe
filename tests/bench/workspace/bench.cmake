# Workspace latency benchmark (issue 19): edit -> figures of the touched grids, whole replay vs
# per-community replay. A benchmark, not a test: run bench_workspace on a Release build (see
# docs/performance.md, "Workspace latency"). The ctest below (label bench) only keeps the
# program working on the Monaco redraw sample with a few rounds; both replays must agree.
add_executable(bench_workspace ${CMAKE_CURRENT_LIST_DIR}/bench_workspace.cpp)
target_link_libraries(bench_workspace PRIVATE gridplan::gridplan gridplan_flags)
if(EXISTS ${PROJECT_SOURCE_DIR}/data/monaco_redraw.json)
  add_test(NAME bench.workspace_smoke
    COMMAND bench_workspace ${PROJECT_SOURCE_DIR}/data/monaco_redraw.json --edits 4)
  set_tests_properties(bench.workspace_smoke PROPERTIES LABELS bench TIMEOUT 300
                       ENVIRONMENT "OGR_CURRENT_DATE=2000-01-01T00:00:00Z;PROJ_NETWORK=OFF")
endif()

# End to end over HTTP (serve_latency.py): request -> reply JSON of a real `gridplan serve`.
# The smoke test keeps the script working on the sample with 2 rounds; no timing is checked.
if(EXISTS ${PROJECT_SOURCE_DIR}/data/monaco_redraw.json)
  add_test(NAME bench.serve_latency_smoke
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_latency.py
            $<TARGET_FILE:gridplan_cli> ${PROJECT_SOURCE_DIR}/data/monaco_redraw.json 2)
  set_tests_properties(bench.serve_latency_smoke PROPERTIES LABELS bench TIMEOUT 300)
endif()
