target_sources(gridplan_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_walk_graph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_snap.cpp)
