target_sources(gridplan_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_graph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_geom.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_scene.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_institutions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_band.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_sample.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_whole_grids.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_groups.cpp
  ${CMAKE_CURRENT_LIST_DIR}/redraw_tests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_workspace_replay.cpp
)
target_sources(gridplan_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/test_redraw_search.cpp)
