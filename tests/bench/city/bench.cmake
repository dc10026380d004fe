# City benchmark (issue 16): a synthetic Kaifeng-sized city in the real input form
# (gen_city.py) and the end-to-end timing driver (run.sh; not run by ctest). The ctest below
# (label bench) only keeps the generator and `gridplan run` working on a tiny city: outputs
# exist and every input layer's ledger is conserved.
find_program(GRIDPLAN_DEBIAN_PYTHON /usr/bin/python3)
if(GRIDPLAN_DEBIAN_PYTHON)
  add_test(NAME bench.city_smoke
    COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/smoke.sh" "${GRIDPLAN_DEBIAN_PYTHON}"
            "$<TARGET_FILE:gridplan_cli>" "${CMAKE_CURRENT_BINARY_DIR}/city_smoke")
  set_tests_properties(bench.city_smoke PROPERTIES LABELS bench TIMEOUT 120)
endif()
