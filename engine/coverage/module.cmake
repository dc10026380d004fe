# coverage: the one walking-time rule, coverage statistics, service circles, gaps, cover sets.
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/search.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reach.cpp
  ${CMAKE_CURRENT_LIST_DIR}/nearest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/coverage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/statistics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/strips.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fixups.cpp
  ${CMAKE_CURRENT_LIST_DIR}/circles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gaps.cpp
  ${CMAKE_CURRENT_LIST_DIR}/faces.cpp
)
