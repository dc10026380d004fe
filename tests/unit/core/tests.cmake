target_sources(gridplan_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/test_ledger.cpp
                                      ${CMAKE_CURRENT_LIST_DIR}/test_disjoint_sets.cpp
                                      ${CMAKE_CURRENT_LIST_DIR}/test_text.cpp
                                      ${CMAKE_CURRENT_LIST_DIR}/test_rounding.cpp)
