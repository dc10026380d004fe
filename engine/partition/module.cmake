# sources of the partition module
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/certificate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/constructions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/derive_communities.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exact.cpp
  ${CMAKE_CURRENT_LIST_DIR}/graph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/groups.cpp
  ${CMAKE_CURRENT_LIST_DIR}/grids.cpp
  ${CMAKE_CURRENT_LIST_DIR}/local_search.cpp
  ${CMAKE_CURRENT_LIST_DIR}/optimiser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/partition.cpp
  ${CMAKE_CURRENT_LIST_DIR}/partition_cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/redraw.cpp
  ${CMAKE_CURRENT_LIST_DIR}/redraw_passes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workspace.cpp
  ${CMAKE_CURRENT_LIST_DIR}/solver.cpp
  ${CMAKE_CURRENT_LIST_DIR}/units.cpp
  ${CMAKE_CURRENT_LIST_DIR}/whole_grids.cpp
)
