# QGIS acceptance and output-format validation (issue 8).
# - output.write_sample: writes every layer with a few features + the spec JSON (fixture)
# - output.validate_gpkg: GDAL's validate_gpkg.py on the GeoPackage           (label unit)
# - output.check_geojson: RFC 7946 rules on every GeoJSON file                 (label unit)
# - qgis.check_outputs:   opens everything in headless QGIS 3.22               (label qgis, skip 77)
# - qgis.render_project:  renders `gridplan run`'s project and layouts to PNG  (label qgis, skip 77)
add_executable(output_write_sample ${CMAKE_CURRENT_LIST_DIR}/write_sample.cpp)
target_link_libraries(output_write_sample PRIVATE gridplan::gridplan nlohmann_json::nlohmann_json
                      gridplan_flags)

set(GRIDPLAN_QGIS_SAMPLE_DIR ${CMAKE_CURRENT_BINARY_DIR}/qgis_sample)
set(GRIDPLAN_PYTHON /usr/bin/python3)
add_test(NAME output.write_sample
  COMMAND sh -c "rm -rf '${GRIDPLAN_QGIS_SAMPLE_DIR}' && mkdir -p '${GRIDPLAN_QGIS_SAMPLE_DIR}' && \
'$<TARGET_FILE:output_write_sample>' '${GRIDPLAN_QGIS_SAMPLE_DIR}/out' \
'${GRIDPLAN_QGIS_SAMPLE_DIR}/out/spec.json' '${PROJECT_SOURCE_DIR}/styles'")
set_tests_properties(output.write_sample PROPERTIES LABELS "unit;qgis"
  FIXTURES_SETUP gridplan_qgis_sample ENVIRONMENT "PROJ_NETWORK=OFF")

set(GRIDPLAN_VALIDATE_GPKG /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py)
add_test(NAME output.validate_gpkg
  COMMAND sh -c "test -f '${GRIDPLAN_VALIDATE_GPKG}' || exit 77; \
${GRIDPLAN_PYTHON} '${GRIDPLAN_VALIDATE_GPKG}' -k --extra --warning-as-error \
'${GRIDPLAN_QGIS_SAMPLE_DIR}/out/gridplan.gpkg'")
set_tests_properties(output.validate_gpkg PROPERTIES LABELS unit SKIP_RETURN_CODE 77
  FIXTURES_REQUIRED gridplan_qgis_sample)

add_test(NAME output.check_geojson
  COMMAND sh -c "${GRIDPLAN_PYTHON} '${CMAKE_CURRENT_LIST_DIR}/check_geojson.py' \
'${GRIDPLAN_QGIS_SAMPLE_DIR}'/out/geojson/*.geojson")
set_tests_properties(output.check_geojson PROPERTIES LABELS unit
  FIXTURES_REQUIRED gridplan_qgis_sample)

add_test(NAME qgis.check_outputs
  COMMAND sh -c "${GRIDPLAN_PYTHON} -c 'import qgis.core' 2>/dev/null || exit 77; \
${GRIDPLAN_PYTHON} '${CMAKE_CURRENT_LIST_DIR}/check_outputs.py' '${GRIDPLAN_QGIS_SAMPLE_DIR}/out/spec.json'")
set_tests_properties(qgis.check_outputs PROPERTIES LABELS qgis SKIP_RETURN_CODE 77 TIMEOUT 300
  FIXTURES_REQUIRED gridplan_qgis_sample
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PROJ_NETWORK=OFF")

# The acceptance check must be able to fail: break a copy and expect the faults to be reported.
add_test(NAME qgis.check_outputs_detects_faults
  COMMAND ${GRIDPLAN_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/check_detects_tampering.py
          ${GRIDPLAN_QGIS_SAMPLE_DIR}/out ${GRIDPLAN_QGIS_SAMPLE_DIR}/tampered)
set_tests_properties(qgis.check_outputs_detects_faults PROPERTIES LABELS qgis SKIP_RETURN_CODE 77
  TIMEOUT 300 FIXTURES_REQUIRED gridplan_qgis_sample
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PROJ_NETWORK=OFF")

# The same check in --dir mode (what `gridplan run` output is checked with).
add_test(NAME qgis.check_outputs_dir_mode
  COMMAND sh -c "${GRIDPLAN_PYTHON} -c 'import qgis.core' 2>/dev/null || exit 77; \
${GRIDPLAN_PYTHON} '${CMAKE_CURRENT_LIST_DIR}/check_outputs.py' --dir '${GRIDPLAN_QGIS_SAMPLE_DIR}/out'")
set_tests_properties(qgis.check_outputs_dir_mode PROPERTIES LABELS qgis SKIP_RETURN_CODE 77
  TIMEOUT 300 FIXTURES_REQUIRED gridplan_qgis_sample
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PROJ_NETWORK=OFF")

# The real thing: `gridplan run` on the embedded sample, every output opened in QGIS.
set(GRIDPLAN_RUN_DIR ${CMAKE_CURRENT_BINARY_DIR}/qgis_run)
add_test(NAME qgis.gridplan_run_sample
  COMMAND sh -c "${GRIDPLAN_PYTHON} -c 'import qgis.core' 2>/dev/null || exit 77; \
rm -rf '${GRIDPLAN_RUN_DIR}' && \
'$<TARGET_FILE:gridplan_cli>' run '${PROJECT_SOURCE_DIR}/data/monaco.json' --output '${GRIDPLAN_RUN_DIR}' >/dev/null && \
${GRIDPLAN_PYTHON} '${CMAKE_CURRENT_LIST_DIR}/check_outputs.py' --dir '${GRIDPLAN_RUN_DIR}'")
set_tests_properties(qgis.gridplan_run_sample PROPERTIES LABELS qgis SKIP_RETURN_CODE 77 TIMEOUT 900
  FIXTURES_SETUP gridplan_qgis_run
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PROJ_NETWORK=OFF;OGR_CURRENT_DATE=2000-01-01T00:00:00Z")

# The project as a planner opens it: the default view and each print layout rendered to PNG
# (kept as artefacts in qgis_render/), extent, grids drawn, Chinese text in a CJK font.
set(GRIDPLAN_RENDER_DIR ${CMAKE_CURRENT_BINARY_DIR}/qgis_render)
add_test(NAME qgis.render_project
  COMMAND ${GRIDPLAN_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/render_project.py
          ${GRIDPLAN_RUN_DIR} ${GRIDPLAN_RENDER_DIR})
set_tests_properties(qgis.render_project PROPERTIES LABELS qgis SKIP_RETURN_CODE 77 TIMEOUT 300
  FIXTURES_REQUIRED gridplan_qgis_run
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PROJ_NETWORK=OFF")
