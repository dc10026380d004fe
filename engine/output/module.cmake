# output: format-neutral layers and the GeoPackage / Shapefile / GeoJSON / QGIS writers (GDAL).
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/layer.cpp
)
