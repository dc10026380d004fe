# CLI tests: run the real gridplan executable; assert exit codes, messages and empty stderr.
set(GRIDPLAN_CLI_DATA ${CMAKE_CURRENT_LIST_DIR}/data)

# gridplan_cli_test(NAME RC [STDOUT re] [STDERR re] ARGS args...)
function(gridplan_cli_test name rc)
  cmake_parse_arguments(T "" "STDOUT;STDERR;LABEL;GOLDEN;WORKDIR;CLEAN" "ARGS" ${ARGN})
  set(label cli)
  if(T_LABEL)
    set(label ${T_LABEL})
  endif()
  set(workdir ${CMAKE_CURRENT_BINARY_DIR})
  if(T_WORKDIR)
    set(workdir ${T_WORKDIR})
  endif()
  set(defs -Dexpect_rc=${rc} -Dworkdir=${workdir})
  if(T_GOLDEN)
    list(APPEND defs "-Dgolden=${CMAKE_CURRENT_LIST_DIR}/golden/${T_GOLDEN}")
  endif()
  if(T_CLEAN)  # an output directory: removed before the run, and <SCRUBBED> in the golden text
    list(APPEND defs "-Dclean=${T_CLEAN}" "-Dscrub=${T_CLEAN}")
  endif()
  if(DEFINED T_STDOUT)
    list(APPEND defs "-Dstdout_regex=${T_STDOUT}")
  endif()
  if(DEFINED T_STDERR)
    list(APPEND defs "-Dstderr_regex=${T_STDERR}")
  endif()
  # Arguments travel to the script joined by "|" (run_cli.cmake splits them again).
  string(REPLACE ";" "|" args_joined "${T_ARGS}")
  add_test(NAME cli.${name}
    COMMAND ${CMAKE_COMMAND} "-Dcmd=$<TARGET_FILE:gridplan_cli>|${args_joined}" ${defs}
            -P ${CMAKE_CURRENT_LIST_DIR}/../cmake/run_cli.cmake)
  set_tests_properties(cli.${name} PROPERTIES LABELS ${label}
                       ENVIRONMENT "OGR_CURRENT_DATE=2000-01-01T00:00:00Z;PROJ_NETWORK=OFF")
endfunction()

# Help for the program and every command.
gridplan_cli_test(help 0 STDOUT "gridplan: balanced governance grids.*inspect" ARGS --help)
gridplan_cli_test(version 0 GOLDEN version.txt ARGS --version)
foreach(cmd inspect partition coverage site run)
  gridplan_cli_test(help_${cmd} 0 STDOUT "Usage: .*${cmd}.*CONFIG" ARGS ${cmd} --help)
endforeach()
gridplan_cli_test(no_command 2 STDERR "subcommand" ARGS)
gridplan_cli_test(unknown_option 2 STDERR "^gridplan: error: .*bogus" ARGS inspect ${GRIDPLAN_CLI_DATA}/tiny.json --bogus)
gridplan_cli_test(bad_lang 2 STDERR "^gridplan: error: .*fr" ARGS inspect ${GRIDPLAN_CLI_DATA}/tiny.json --lang fr)
# A missing configuration is an I/O error like any other file (exit 3), not a usage error.
gridplan_cli_test(config_missing 3 STDERR "^gridplan: error: reading configuration 'does_not_exist.json': no such file"
                  ARGS inspect does_not_exist.json)

# Error paths of reading, each with its exit code and a message naming the culprit.
gridplan_cli_test(input_file_missing 3 STDERR "nowhere\\.geojson" ARGS inspect ${GRIDPLAN_CLI_DATA}/missing_file.json)
gridplan_cli_test(input_url_refused 3 STDERR "http://" ARGS inspect ${GRIDPLAN_CLI_DATA}/url.json)
gridplan_cli_test(wrong_layer_lists_layers 3 STDERR "streets.*communities|communities.*streets" ARGS inspect ${GRIDPLAN_CLI_DATA}/wrong_layer.json)
gridplan_cli_test(missing_prj 5 STDERR "noprj.*assume_epsg|assume_epsg.*noprj" ARGS inspect ${GRIDPLAN_CLI_DATA}/missing_prj.json)
gridplan_cli_test(swapped_axes 5 STDERR "axis order" ARGS inspect ${GRIDPLAN_CLI_DATA}/swapped.json)
# The unknown-key message lists every top-level key, the stage sections included.
gridplan_cli_test(unknown_config_key 2
  STDERR "^gridplan: error: reading configuration '.*unknown_key.json': unknown key 'bogus_key' \\(allowed: coverage, crs, facility_types, households, inputs, output, partition, redraw, road_classes, siting, strict, validation\\)"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/unknown_key.json)
# No community polygons (buildings and roads only, the usual OSM case in China): partition stops
# and names the fix, unless partition.communities_from derives provisional communities (issue 15
# item 9).
gridplan_cli_test(partition_without_communities 4
  STDERR "^gridplan: error: partitioning '.*no_communities.json': no community .*inputs.communities is not configured.*partition.communities_from"
  ARGS partition ${GRIDPLAN_CLI_DATA}/no_communities.json -o ${CMAKE_CURRENT_BINARY_DIR}/no_communities --force)
gridplan_cli_test(partition_derived_communities 0
  STDOUT "provisional communities: 1 derived from blocks of the arterial roads.*buildings outside every community [^\n]*: 0 of 4 buildings"
  ARGS partition --lang en ${GRIDPLAN_CLI_DATA}/derived_communities.json -o ${CMAKE_CURRENT_BINARY_DIR}/derived_communities --force)
gridplan_cli_test(bad_communities_from 2 STDERR "^gridplan: error: .*partition.communities_from.*voronoi"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/bad_communities_from.json)
# The configuration loader (issue 17 item 3): the file under the input policy, the JSON's depth,
# duplicate keys, every number in its range, the output base name and encodings, each refused
# with a message naming the key and the allowed values.
gridplan_cli_test(config_deep_nesting 2
  STDERR "^gridplan: error: reading configuration '.*config_deep_nesting.json': objects and arrays nest deeper than 64 levels at 'inputs\\[0\\]"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_deep_nesting.json)
gridplan_cli_test(config_dev_zero 3
  STDERR "^gridplan: error: reading configuration '.*config_dev_zero.json': not a regular file \\(a device\\)"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_dev_zero.json)
add_test(NAME cli.config_fifo
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/config_fifo.sh $<TARGET_FILE:gridplan_cli>
          ${CMAKE_CURRENT_BINARY_DIR}/config_fifo)
set_tests_properties(cli.config_fifo PROPERTIES LABELS cli TIMEOUT 60)
gridplan_cli_test(config_duplicate_key 2
  STDERR "^gridplan: error: reading configuration '.*config_duplicate_key.json': the key 'inputs.buildings' is given twice"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_duplicate_key.json)
gridplan_cli_test(config_p_negative 2
  STDERR "'siting.p' must be a whole number from 0 to 100000 \\(got -1\\)"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_p_negative.json)
gridplan_cli_test(config_p_huge 2
  STDERR "'siting.p' must be a whole number from 0 to 100000 \\(got 1e\\+20\\)"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_p_huge.json)
gridplan_cli_test(config_p_fraction 2
  STDERR "'siting.p' must be a whole number from 0 to 100000 \\(got 2.5\\)"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_p_fraction.json)
gridplan_cli_test(config_part_timer_zero 2
  STDERR "'partition.households_per_part_timer' must be a number > 0 and <= 10000000 \\(got 0\\)"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_part_timer_zero.json)
gridplan_cli_test(config_default_floors_huge 2
  STDERR "'households.default_floors' must be a number > 0 and <= 1000 \\(got 1e\\+308\\)"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_default_floors_huge.json)
gridplan_cli_test(config_basename_nul 2
  STDERR "^gridplan: error: reading configuration '.*': 'output.basename' holds a NUL character"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_basename_nul.json)
gridplan_cli_test(config_basename_slash 2
  STDERR "^gridplan: error: reading configuration '.*': 'output.basename' holds a path separator"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_basename_slash.json)
gridplan_cli_test(config_bogus_encoding 2
  STDERR "'inputs.buildings.encoding' names an encoding iconv does not know \\(got 'BOGUS-ENC'"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/config_bogus_encoding.json)
gridplan_cli_test(option_bogus_encoding 2
  STDERR "^gridplan: error: reading the command line: .*'BOGUS-ENC' is not an encoding iconv knows"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/tiny.json --encoding BOGUS-ENC)
# Read errors are errors (issue 17 item 1): a GDAL failure while the features are read stops the
# run with exit 3 naming file, layer and place; --allow-partial reads on with a read_error ledger
# row per error. "No usable coordinate" is kept for files read without error.
gridplan_cli_test(read_truncated_pbf 3
  STDERR "^gridplan: error: reading layer '[a-z]+' of '.*truncated_pbf.osm.pbf': the file is corrupt or cut short: GDAL: An error occurred during the parsing of data around byte [0-9]+ \\(after [0-9]+ feature\\(s\\).*--allow-partial"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/read_truncated_pbf.json)
gridplan_cli_test(read_truncated_pbf_allowed 0
  STDOUT "read_error"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/read_truncated_pbf.json --allow-partial)
gridplan_cli_test(read_malformed_osm 3
  STDERR "^gridplan: error: reading layer 'multipolygons' of '.*malformed_way.osm': the file is corrupt or cut short: GDAL: XML parsing of OSM file failed : not well-formed \\(invalid token\\) at line 17, column 34"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/read_malformed_osm.json)
gridplan_cli_test(read_malformed_osm_allowed_reads_nothing 3
  STDERR "^gridplan: error: reading '.*malformed_way.osm': no feature could be read: the file is corrupt or cut short"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/read_malformed_osm.json --allow-partial)
gridplan_cli_test(read_corrupt_record 3
  STDERR "^gridplan: error: reading layer 'corrupt_record' of '.*corrupt_record.shp': the file is corrupt or cut short: GDAL: Corrupted .shp file : shape 10, nPoints=6, nParts=100000000. \\(after 10 feature\\(s\\), the last one FID 9; 1 read error\\(s\\)\\)"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/read_corrupt_record.json)
gridplan_cli_test(read_corrupt_record_allowed 0
  STDOUT "read_error"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/read_corrupt_record.json --allow-partial)
# CRS sanity (issue 17 item 5): a working CRS that cannot measure, an automatic zone far from
# the data (each layer's place named), longitude/latitude under a projected assume_epsg, and
# estimates checked against the validation limits.
gridplan_cli_test(crs_working_3857 5
  STDERR "^gridplan: error: using working CRS 'EPSG:3857': a Mercator projection .* stretches lengths by 1/cos\\(latitude\\) and areas by its square \\(\\+48 % at 35N\\) \\(try EPSG:4547\\)"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/crs_working_3857.json)
gridplan_cli_test(crs_working_beijing1954 5
  STDERR "^gridplan: error: using working CRS 'EPSG:2435': on the Beijing 1954 datum, refused for the inputs too"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/crs_working_beijing1954.json)
gridplan_cli_test(crs_far_apart 5
  STDERR "^gridplan: error: choosing the working CRS: the inputs lie too far apart for one zone .*communities '.*communities.geojson' at 114.3[0-9]*\\.\\.114.3[0-9]*E.*buildings '.*far_west_buildings.geojson' at -114.3"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/crs_far_apart.json)
gridplan_cli_test(crs_assume_3857_on_lonlat 5
  STDERR "^gridplan: error: reading layer 'lonlat_noprj' of '.*lonlat_noprj.shp': the coordinates look like longitude/latitude \\(median x=114.3[0-9]* y=34.79[0-9]*\\) but its CRS 'EPSG:3857.*' is projected \\(metres\\) \\(\"assume_epsg\" names a projected CRS: use 4326"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/crs_assume_3857_on_lonlat.json)
gridplan_cli_test(estimate_absurd 0
  STDOUT "buildings/absurd_value"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/estimate_absurd.json)
# A GeoPackage layer that is an SQL view (here a recursive one that never ends) is refused
# before it runs (issue 17 item 4).
gridplan_cli_test(gpkg_view 3
  STDERR "^gridplan: error: reading layer 'endless' of '.*gpkg_view.gpkg': it is an SQL view, not a table"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/gpkg_view.json)
set_tests_properties(cli.gpkg_view PROPERTIES TIMEOUT 60)
# An XML entity bomb ("billion laughs") is a corrupt file, not "no usable coordinate".
gridplan_cli_test(read_entity_bomb 3
  STDERR "^gridplan: error: reading layer 'points' of '.*entity_bomb.osm': the file is corrupt or cut short: GDAL: XML parsing of OSM file failed : limit on input amplification factor"
  ARGS inspect ${GRIDPLAN_CLI_DATA}/read_entity_bomb.json)
gridplan_cli_test(strict_stops_on_bad_feature 4 STDERR "feature .bowtie.: invalid_geometry: Self-intersection" ARGS inspect --strict ${GRIDPLAN_CLI_DATA}/tiny.json)
# The whole report on the tiny fixture (4 buildings, one repaired bow-tie), byte for byte.
gridplan_cli_test(inspect_tiny 0 GOLDEN inspect_tiny.txt WORKDIR ${PROJECT_SOURCE_DIR}
                  ARGS inspect tests/cli/data/tiny.json)

# Progress on a terminal, silence otherwise, --quiet, and the --timings lines (terminal.sh).
add_test(NAME cli.terminal_progress_and_timings
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/terminal.sh $<TARGET_FILE:gridplan_cli>
          ${GRIDPLAN_CLI_DATA}/tiny.json ${CMAKE_CURRENT_BINARY_DIR}/terminal
          ${PROJECT_SOURCE_DIR}/tests/bench/city)
set_tests_properties(cli.terminal_progress_and_timings PROPERTIES LABELS cli
  ENVIRONMENT "PROJ_NETWORK=OFF")

# The CSV in a real spreadsheet: LibreOffice Calc keeps the grid codes as text (skipped without
# soffice; Debian: libreoffice-calc-nogui).
add_test(NAME cli.csv_codes_stay_text_in_a_spreadsheet
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/csv_spreadsheet.sh $<TARGET_FILE:gridplan_cli>
          ${PROJECT_SOURCE_DIR}/data/monaco.json ${CMAKE_CURRENT_BINARY_DIR}/csv_spreadsheet)
set_tests_properties(cli.csv_codes_stay_text_in_a_spreadsheet PROPERTIES LABELS cli
  SKIP_RETURN_CODE 77 ENVIRONMENT "PROJ_NETWORK=OFF")

# Outputs are never replaced without --force: a second run into the same directory is refused.
set(GRIDPLAN_CLI_OUT ${CMAKE_CURRENT_BINARY_DIR}/cli_out)
add_test(NAME cli.refuses_to_overwrite_without_force
  COMMAND sh -c "rm -rf '${GRIDPLAN_CLI_OUT}' && \
'$<TARGET_FILE:gridplan_cli>' inspect '${GRIDPLAN_CLI_DATA}/tiny.json' >/dev/null && \
'$<TARGET_FILE:gridplan_cli>' partition '${GRIDPLAN_CLI_DATA}/tiny.json' -o '${GRIDPLAN_CLI_OUT}' >/dev/null && \
'$<TARGET_FILE:gridplan_cli>' partition '${GRIDPLAN_CLI_DATA}/tiny.json' -o '${GRIDPLAN_CLI_OUT}' 2>'${GRIDPLAN_CLI_OUT}.err'; \
rc=$?; grep -q 'exists (use --force' '${GRIDPLAN_CLI_OUT}.err' && test $rc -eq 3 && \
'$<TARGET_FILE:gridplan_cli>' partition '${GRIDPLAN_CLI_DATA}/tiny.json' -o '${GRIDPLAN_CLI_OUT}' --force >/dev/null")
set_tests_properties(cli.refuses_to_overwrite_without_force PROPERTIES LABELS cli
  ENVIRONMENT "PROJ_NETWORK=OFF")

# Golden outputs: the report a user sees on the embedded sample, byte for byte, with empty stderr.
# Paths are relative to the source tree so the text does not depend on where the tree lives.
gridplan_cli_test(golden_inspect_sample 0 GOLDEN inspect_sample.txt WORKDIR ${PROJECT_SOURCE_DIR}
                  ARGS inspect data/monaco.json)
# The printed report follows --lang (zh, the default, and en): inspect, partition and coverage
# on the sample, byte for byte (the output directory reads <SCRUBBED>).
gridplan_cli_test(golden_inspect_sample_en 0 GOLDEN inspect_sample_en.txt WORKDIR ${PROJECT_SOURCE_DIR}
                  ARGS inspect data/monaco.json --lang en)
foreach(cmd partition coverage)
  foreach(lang zh en)
    set(dir ${CMAKE_CURRENT_BINARY_DIR}/golden_${cmd}_${lang})
    gridplan_cli_test(golden_${cmd}_sample_${lang} 0 GOLDEN ${cmd}_sample_${lang}.txt
                      WORKDIR ${PROJECT_SOURCE_DIR} CLEAN ${dir}
                      ARGS ${cmd} data/monaco.json --lang ${lang} -o ${dir})
  endforeach()
endforeach()

# Determinism of the whole product: `gridplan run` on the sample with 1 and with 2 threads writes
# byte-identical files (GeoPackage, shapefiles, GeoJSON, CSV, QGIS project). No OGR_CURRENT_DATE in
# the environment: the engine pins the timestamps itself.
set(GRIDPLAN_CLI_THREADS ${CMAKE_CURRENT_BINARY_DIR}/threads)
add_test(NAME cli.run_sample_same_bytes_1_and_2_threads
  COMMAND sh -c "rm -rf '${GRIDPLAN_CLI_THREADS}' && \
'$<TARGET_FILE:gridplan_cli>' run '${PROJECT_SOURCE_DIR}/data/monaco.json' -o '${GRIDPLAN_CLI_THREADS}/t1' --threads 1 >/dev/null && \
'$<TARGET_FILE:gridplan_cli>' run '${PROJECT_SOURCE_DIR}/data/monaco.json' -o '${GRIDPLAN_CLI_THREADS}/t2' --threads 2 >/dev/null && \
test \"$(find '${GRIDPLAN_CLI_THREADS}/t1' -type f | wc -l)\" -gt 20 && \
diff -r '${GRIDPLAN_CLI_THREADS}/t1' '${GRIDPLAN_CLI_THREADS}/t2'")
set_tests_properties(cli.run_sample_same_bytes_1_and_2_threads PROPERTIES LABELS cli TIMEOUT 900
  ENVIRONMENT "PROJ_NETWORK=OFF")

# `gridplan site` and `gridplan run` propose the same sites: the work limit (siting.max_nodes), not
# the clock, decides how far the search goes (issue 16 item 5), and both commands build the same
# instance. Reuses the 1-thread run above. Only grid_code may differ: `site` draws no grids.
add_test(NAME cli.site_and_run_propose_the_same_sites
  COMMAND sh -c "rm -rf '${GRIDPLAN_CLI_THREADS}/site' && \
'$<TARGET_FILE:gridplan_cli>' site '${PROJECT_SOURCE_DIR}/data/monaco.json' -o '${GRIDPLAN_CLI_THREADS}/site' >/dev/null && \
ogrinfo -ro -q -al '${GRIDPLAN_CLI_THREADS}/t1/gridplan.gpkg' proposed_sites > '${GRIDPLAN_CLI_THREADS}/run_sites.txt' && \
ogrinfo -ro -q -al '${GRIDPLAN_CLI_THREADS}/site/gridplan.gpkg' proposed_sites > '${GRIDPLAN_CLI_THREADS}/site_sites.txt' && \
grep -q 'POINT' '${GRIDPLAN_CLI_THREADS}/site_sites.txt' && \
grep -v 'grid_code' '${GRIDPLAN_CLI_THREADS}/run_sites.txt' > '${GRIDPLAN_CLI_THREADS}/run_sites_nogrid.txt' && \
grep -v 'grid_code' '${GRIDPLAN_CLI_THREADS}/site_sites.txt' > '${GRIDPLAN_CLI_THREADS}/site_sites_nogrid.txt' && \
diff '${GRIDPLAN_CLI_THREADS}/run_sites_nogrid.txt' '${GRIDPLAN_CLI_THREADS}/site_sites_nogrid.txt'")
set_tests_properties(cli.site_and_run_propose_the_same_sites PROPERTIES LABELS cli TIMEOUT 600
  DEPENDS cli.run_sample_same_bytes_1_and_2_threads ENVIRONMENT "PROJ_NETWORK=OFF")

# gridplan redraw on the embedded sample (docs/redraw.md): today's grids from data/, a lock and
# a move; the report ends with the per-community diff; a refused edit exits 4 naming the grids.
gridplan_cli_test(help_redraw 0 STDOUT "Usage: .*redraw.*CONFIG" ARGS redraw --help)
add_test(NAME cli.redraw_sample
  COMMAND sh -c "rm -rf '${CMAKE_CURRENT_BINARY_DIR}/out_redraw' && \
'$<TARGET_FILE:gridplan_cli>' redraw '${CMAKE_SOURCE_DIR}/data/monaco_redraw.json' --lang en --output '${CMAKE_CURRENT_BINARY_DIR}/out_redraw' > '${CMAKE_CURRENT_BINARY_DIR}/out_redraw.txt' && \
grep -q 'Monte-Carlo: grids .* moved .* households' '${CMAKE_CURRENT_BINARY_DIR}/out_redraw.txt' && \
grep -q '^redraw total: ' '${CMAKE_CURRENT_BINARY_DIR}/out_redraw.txt' && \
test -s '${CMAKE_CURRENT_BINARY_DIR}/out_redraw/csv/redraw_grids.csv' && \
grep -q '901216787410006' '${CMAKE_CURRENT_BINARY_DIR}/out_redraw/geojson/redraw_diff.geojson' && \
grep -q 'redraw_diff' '${CMAKE_CURRENT_BINARY_DIR}/out_redraw/gridplan.qgs'")
set_tests_properties(cli.redraw_sample PROPERTIES LABELS cli TIMEOUT 300
  ENVIRONMENT "PROJ_NETWORK=OFF")
gridplan_cli_test(redraw_refused_edit 4
  STDERR "edit 1 \\(merge grids '901216787410001', '953211267178001'\\): grid '901216787410001' is in community 'Monte-Carlo' but '953211267178001' is in 'La Condamine' \\(grids never cross communities\\)"
  ARGS redraw ${GRIDPLAN_CLI_DATA}/redraw_refused.json --output ${CMAKE_CURRENT_BINARY_DIR}/out_redraw_refused)
# Siting on the embedded sample: candidates from the layer, the certificate printed (issue 7).
set(GRIDPLAN_SITE_OUT ${CMAKE_CURRENT_BINARY_DIR}/site_out)
gridplan_cli_test(site_sample_candidates_layer 0
  STDOUT "24 candidates \\(24 from the candidates layer, [0-9]+ kept after presolve; 39 layer candidates of other types left out by siting.candidate_types\\).*status optimal; incumbent .*gap 0\\.000%"
  ARGS site ${PROJECT_SOURCE_DIR}/data/monaco.json --lang en --output ${GRIDPLAN_SITE_OUT} --force)

# A dataset without buildings (Taipei villages and welfare points) cannot be partitioned: exit 4
# with the reason, instead of an empty grid table that looks like success.
gridplan_cli_test(partition_without_buildings 4 STDERR "no buildings were read"
  ARGS partition ${PROJECT_SOURCE_DIR}/tests/data/real/configs/taipei.json --output ${CMAKE_CURRENT_BINARY_DIR}/out_no_buildings)
# Likewise coverage without roads (the Kaifeng districts alone): exit 4, not a table of zeros.
gridplan_cli_test(coverage_without_roads 4 STDERR "the walking network is empty \\(0 road features read"
  ARGS coverage ${PROJECT_SOURCE_DIR}/tests/data/real/configs/kaifeng.json --output ${CMAKE_CURRENT_BINARY_DIR}/out_no_roads)

# Siting's before/after table: coverage_stats gains "after_siting" rows for the sited kind (the
# sample sites 3 party service centres at post offices, pharmacies or supermarkets: 35.7 % -> 95.6 % of residents within 15 adult minutes),
# and no area ever loses covered residents when the proposed sites open.
set(GRIDPLAN_SITE_AFTER ${CMAKE_CURRENT_BINARY_DIR}/site_after)
add_test(NAME cli.site_sample_after_siting_rows
  COMMAND sh -c "rm -rf '${GRIDPLAN_SITE_AFTER}' && \
'$<TARGET_FILE:gridplan_cli>' site '${PROJECT_SOURCE_DIR}/data/monaco.json' -o '${GRIDPLAN_SITE_AFTER}' >/dev/null && \
tr -d '\\r' < '${GRIDPLAN_SITE_AFTER}/csv/coverage_stats.csv' > '${GRIDPLAN_SITE_AFTER}/stats.csv' && \
grep -q '^all,all,全部,0,service_centre,15,adult,.*,95\\.6,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,after_siting$' '${GRIDPLAN_SITE_AFTER}/stats.csv' && \
awk -F, 'NR > 1 { key = $1 FS $2 FS $3 FS $4 FS $5 FS $6 FS $7; if ($22 == \"today\") t[key] = $15; else if ($22 == \"after_siting\") { n++; if ((key in t) && $15 + 1e-9 < t[key]) bad++ } } END { exit !(n > 0 && bad == 0) }' '${GRIDPLAN_SITE_AFTER}/stats.csv'")
set_tests_properties(cli.site_sample_after_siting_rows PROPERTIES LABELS cli ENVIRONMENT "PROJ_NETWORK=OFF")

# Sites a planner can find (sites_findable.sh): lon/lat in the sample's box, road, community and
# grid codes that join, and the reason for fewer sites than p in the report (en and zh).
add_test(NAME cli.sites_findable_on_the_sample
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/sites_findable.sh $<TARGET_FILE:gridplan_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/sites_findable)
set_tests_properties(cli.sites_findable_on_the_sample PROPERTIES LABELS cli ENVIRONMENT "PROJ_NETWORK=OFF")

# GDAL's OSM driver spills to a private temporary directory (CPL_TMPDIR); it is removed when
# gridplan exits, so runs do not pile up gridplan-gdal-* directories in $TMPDIR.
set(GRIDPLAN_TMP_CHECK ${CMAKE_CURRENT_BINARY_DIR}/tmpdir_check)
add_test(NAME cli.inspect_leaves_no_temporary_directory
  COMMAND sh -c "rm -rf '${GRIDPLAN_TMP_CHECK}' && mkdir -p '${GRIDPLAN_TMP_CHECK}' && \
TMPDIR='${GRIDPLAN_TMP_CHECK}' '$<TARGET_FILE:gridplan_cli>' inspect '${PROJECT_SOURCE_DIR}/data/monaco.json' >/dev/null && \
test -z \"$(ls -A '${GRIDPLAN_TMP_CHECK}')\"")
set_tests_properties(cli.inspect_leaves_no_temporary_directory PROPERTIES LABELS cli ENVIRONMENT "PROJ_NETWORK=OFF")

# RFC 7946 winding read back from every GeoJSON file of a run on the sample (issue 15 item 5).
add_test(NAME cli.geojson_rings_wound_rfc7946
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/geojson_winding.sh $<TARGET_FILE:gridplan_cli>
          ${PROJECT_SOURCE_DIR}/data/monaco.json ${CMAKE_CURRENT_BINARY_DIR}/geojson_winding)
set_tests_properties(cli.geojson_rings_wound_rfc7946 PROPERTIES LABELS cli
  ENVIRONMENT "PROJ_NETWORK=OFF")

# Codes that join and whole households, read back from the GeoPackage of `gridplan run` on the
# embedded sample and the shared BUPT extract (issue 15 items 2 and 3; codes_join.sh).
foreach(case IN ITEMS "sample|data/monaco.json" "bupt|tests/data/real/configs/bupt.json")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 config)
  add_test(NAME cli.codes_join_${name}
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/codes_join.sh $<TARGET_FILE:gridplan_cli>
            ${PROJECT_SOURCE_DIR}/${config} ${CMAKE_CURRENT_BINARY_DIR}/codes_join_${name})
  set_tests_properties(cli.codes_join_${name} PROPERTIES LABELS cli TIMEOUT 600
    ENVIRONMENT "PROJ_NETWORK=OFF")
endforeach()

# The planner's report page in a real browser, and `gridplan report DIR` (report_page.sh,
# issue 18). Screenshots: build/test/tests/cli/report_page/shots/*.png.
add_test(NAME cli.report_page_in_chromium
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/report_page.sh $<TARGET_FILE:gridplan_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report_page)
set_tests_properties(cli.report_page_in_chromium PROPERTIES LABELS "cli;web" TIMEOUT 600
  ENVIRONMENT "PROJ_NETWORK=OFF")

# Replay without rebalance on the sample (redraw_replay.sh): today's grids plus the one move,
# nothing else, grids out of band kept as drawn, the same bytes twice.
add_test(NAME cli.redraw_replay_sample
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/redraw_replay.sh $<TARGET_FILE:gridplan_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/redraw_replay)
set_tests_properties(cli.redraw_replay_sample PROPERTIES LABELS cli TIMEOUT 300
  ENVIRONMENT "PROJ_NETWORK=OFF")

# Outputs appear whole or not at all (issue 17 item 2; atomic_outputs.sh): a kill before every
# step of the swap leaves the old set or the new set, never a mix; a symbolic link in the output
# folder is not followed; SIGINT and SIGTERM during a run leave the previous outputs and no
# staging or temporary folder.
add_test(NAME cli.outputs_swap_whole_at_every_kill_step
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/atomic_outputs.sh $<TARGET_FILE:gridplan_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/atomic_outputs)
set_tests_properties(cli.outputs_swap_whole_at_every_kill_step PROPERTIES LABELS cli TIMEOUT 300
  ENVIRONMENT "PROJ_NETWORK=OFF")

# siting.time_limit_s bounds the whole solve, the LP relaxation included (issue 17 item 4;
# siting_time_limit.sh): a generated 150 x 150 street grid ends within 60 s with time_limit_s = 1
# (stopped in the swap search) and 10 (stopped in the LP relaxation). About 30 s: label slow.
add_test(NAME cli.siting_time_limit_holds_on_a_150x150_grid
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/siting_time_limit.sh $<TARGET_FILE:gridplan_cli>
          ${CMAKE_CURRENT_BINARY_DIR}/siting_time_limit)
set_tests_properties(cli.siting_time_limit_holds_on_a_150x150_grid PROPERTIES LABELS "cli;slow"
  TIMEOUT 300 ENVIRONMENT "PROJ_NETWORK=OFF")

# The planner's workspace (issue 19): `gridplan serve` driven by real Chromium through the page
# (serve_workspace.sh: move, refusal, lock, undo/redo, save, replay byte for byte), and its API
# against a careless or hostile client (serve_api.py). Screenshots:
# build/test/tests/cli/serve_workspace/shots/*.png.
add_test(NAME cli.serve_workspace_in_chromium
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/serve_workspace.sh $<TARGET_FILE:gridplan_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/serve_workspace)
set_tests_properties(cli.serve_workspace_in_chromium PROPERTIES LABELS "cli;web" TIMEOUT 600)
add_test(NAME cli.serve_api_robust
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_api.py $<TARGET_FILE:gridplan_cli>
          ${PROJECT_SOURCE_DIR}/data/monaco_redraw.json ${CMAKE_CURRENT_BINARY_DIR}/serve_api)
set_tests_properties(cli.serve_api_robust PROPERTIES LABELS cli TIMEOUT 600)

# `gridplan locate` (issue 21 item 3): a point on each building gets that building's grid, codes
# and walking minutes; lon/lat CSV points land in the same grids; far points are `outside`; a CSV
# without coordinates and existing outputs are refused.
add_test(NAME cli.locate_points_on_the_sample
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/locate.py $<TARGET_FILE:gridplan_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/locate)
set_tests_properties(cli.locate_points_on_the_sample PROPERTIES LABELS cli ENVIRONMENT "PROJ_NETWORK=OFF")
