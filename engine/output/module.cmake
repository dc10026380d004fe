# output: format-neutral layers and the GeoPackage / Shapefile / GeoJSON / QGIS writers (GDAL).
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/layer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schema.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write.cpp
  ${CMAKE_CURRENT_LIST_DIR}/swap.cpp
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

# The report page (report.html) is the web/ front end built by its pinned npm toolchain
# (web/package-lock.json; ./build.sh runs `npm ci` there first) and compiled into the library.
target_sources(gridplan PRIVATE ${CMAKE_CURRENT_LIST_DIR}/report_page.cpp
                                ${CMAKE_CURRENT_LIST_DIR}/read_back.cpp)
set(gridplan_web_dir ${PROJECT_SOURCE_DIR}/web)
find_program(GRIDPLAN_NODE node)
if(NOT GRIDPLAN_NODE OR NOT EXISTS ${gridplan_web_dir}/node_modules/.package-lock.json)
  message(FATAL_ERROR "gridplan: the report page needs Node.js and web/node_modules: run "
                      "./build.sh build (it installs them), or `npm ci` in web/")
endif()
file(GLOB_RECURSE gridplan_web_sources CONFIGURE_DEPENDS ${gridplan_web_dir}/src/*)
set(gridplan_report_html ${CMAKE_CURRENT_BINARY_DIR}/generated/report.html)
add_custom_command(
  OUTPUT ${gridplan_report_html}
  COMMAND ${GRIDPLAN_NODE} build.mjs --out ${gridplan_report_html}
  DEPENDS ${gridplan_web_sources} ${gridplan_web_dir}/build.mjs
          ${gridplan_web_dir}/node_modules/.package-lock.json
  WORKING_DIRECTORY ${gridplan_web_dir}
  COMMENT "Building the report page (web/)"
  VERBATIM)
set(gridplan_report_cpp ${CMAKE_CURRENT_BINARY_DIR}/generated/report_template.cpp)
add_custom_command(
  OUTPUT ${gridplan_report_cpp}
  COMMAND ${CMAKE_COMMAND} -DINPUT=${gridplan_report_html} -DOUTPUT=${gridplan_report_cpp}
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_report.cmake
  DEPENDS ${gridplan_report_html} ${CMAKE_CURRENT_LIST_DIR}/embed_report.cmake
  COMMENT "Embedding the report page"
  VERBATIM)
target_sources(gridplan PRIVATE ${gridplan_report_cpp})
