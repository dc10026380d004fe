# sources of the partition module
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/certificate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exact.cpp
  ${CMAKE_CURRENT_LIST_DIR}/optimiser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/partition.cpp
  ${CMAKE_CURRENT_LIST_DIR}/redraw.cpp
)
