# core: vocabulary shared by every module (errors, ledger, geometry types, the Scene)
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ledger.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scene.cpp)
