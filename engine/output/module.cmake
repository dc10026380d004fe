# output: format-neutral layers and the GeoPackage / Shapefile / GeoJSON / QGIS writers (GDAL).
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/layer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schema.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gdal_writers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qgis_project.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qgis_layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qml.cpp
  ${CMAKE_CURRENT_LIST_DIR}/csv.cpp
)

# The QGIS styles of styles/ are compiled into the library (output/styles.hpp).
file(GLOB gridplan_style_files CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/styles/*.qml ${PROJECT_SOURCE_DIR}/styles/*.sld)
set(gridplan_styles_cpp ${CMAKE_CURRENT_BINARY_DIR}/generated/output_styles.cpp)
add_custom_command(
  OUTPUT ${gridplan_styles_cpp}
  COMMAND ${CMAKE_COMMAND} -DSTYLES_DIR=${PROJECT_SOURCE_DIR}/styles -DOUTPUT=${gridplan_styles_cpp}
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_styles.cmake
  DEPENDS ${gridplan_style_files} ${CMAKE_CURRENT_LIST_DIR}/embed_styles.cmake
  COMMENT "Embedding styles/*.qml and *.sld"
  VERBATIM)
target_sources(gridplan PRIVATE ${gridplan_styles_cpp})
