# Runs one gridplan command and checks its exit code, stdout and stderr.
#   -Dcmd="exe;arg;..."  -Dexpect_rc=N  [-Dstdout_regex=RE] [-Dstderr_regex=RE]
#   [-Dworkdir=DIR] [-Dclean=DIR]   (DIR is removed before the run)
# A command expected to succeed must leave stderr empty (osmium-tool's rule).
if(DEFINED clean)
  file(REMOVE_RECURSE "${clean}")
endif()
if(NOT DEFINED workdir)
  set(workdir "${CMAKE_CURRENT_BINARY_DIR}")
endif()
execute_process(COMMAND ${cmd} WORKING_DIRECTORY "${workdir}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL "${expect_rc}")
  message(FATAL_ERROR "exit code ${rc}, expected ${expect_rc}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(expect_rc EQUAL 0 AND NOT err STREQUAL "")
  message(FATAL_ERROR "command succeeded but wrote to stderr:\n${err}")
endif()
if(DEFINED stdout_regex AND NOT out MATCHES "${stdout_regex}")
  message(FATAL_ERROR "stdout does not match '${stdout_regex}':\n${out}")
endif()
if(DEFINED stderr_regex AND NOT err MATCHES "${stderr_regex}")
  message(FATAL_ERROR "stderr does not match '${stderr_regex}':\n${err}")
endif()
