target_sources(gridplan_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/test_siting.cpp
                                      ${CMAKE_CURRENT_LIST_DIR}/test_street_layer.cpp
                                      ${CMAKE_CURRENT_LIST_DIR}/test_place.cpp)
