# Benchmark programs (not tests): each bench lives in tests/bench/<name>/ with its own bench.cmake.
include(${CMAKE_CURRENT_LIST_DIR}/coverage/bench.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/partition/bench.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/siting/bench.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/partition/redraw.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/city/bench.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/workspace/bench.cmake OPTIONAL)
