target_sources(gridplan_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_rule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_properties.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_circles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_faces.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_specks.cpp)
