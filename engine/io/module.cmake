# io: run configuration, input policy and the GDAL readers that build the validated Scene.
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_keys.cpp
  ${CMAKE_CURRENT_LIST_DIR}/text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/classify.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hierarchy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gdal_errors.cpp
  ${CMAKE_CURRENT_LIST_DIR}/read.cpp
  ${CMAKE_CURRENT_LIST_DIR}/detail/roles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/detail/gdal_source.cpp
  ${CMAKE_CURRENT_LIST_DIR}/detail/crs_checks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/detail/features.cpp
)
