target_sources(gridplan_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_layers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_site_layer.cpp
)
