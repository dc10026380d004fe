target_sources(gridplan_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_csv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_qgis_project.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_report_page.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_schema.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_styles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_write.cpp
)
