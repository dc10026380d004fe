target_sources(gridplan_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_gcj02.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_crs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_repair.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_area_union.cpp
)
