# sources of the siting module
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/solve.cpp
  ${CMAKE_CURRENT_LIST_DIR}/presolve.cpp
  ${CMAKE_CURRENT_LIST_DIR}/heuristics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mip.cpp
  ${CMAKE_CURRENT_LIST_DIR}/candidates.cpp
  ${CMAKE_CURRENT_LIST_DIR}/street.cpp
  ${CMAKE_CURRENT_LIST_DIR}/shortfall.cpp
  ${CMAKE_CURRENT_LIST_DIR}/place.cpp)
