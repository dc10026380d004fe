# graph: the walking network (noding, CSR) and snapping points onto it.
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/noding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/walk_graph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/snap.cpp
)
