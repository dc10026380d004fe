# core: vocabulary shared by every module (errors, ledger, geometry types, the Scene) and the one
# home of shared helpers (parallel work, text and UTF-8, hashing).
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/interrupt.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ledger.cpp
  ${CMAKE_CURRENT_LIST_DIR}/progress.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rounding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scene.cpp
  ${CMAKE_CURRENT_LIST_DIR}/text.cpp)
