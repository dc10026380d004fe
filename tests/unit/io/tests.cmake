target_sources(gridplan_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_catalogue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_formats.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_address.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_read_errors.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_read_points.cpp
)
