# mpirun -np 1, 2, 4 lockstep detect (and network) against the single-process
# run on a simulated data set: tests/dist/mpi_detect.sh. Skipped (exit 77)
# with a message when lockstep is built without MPI.
if(TARGET lockstep_dist)
  set(lockstep_mpirun "${MPIEXEC_EXECUTABLE}")
  if(NOT lockstep_mpirun)
    find_program(lockstep_mpirun mpirun)
  endif()
  # Scale 0.5 (798k events; about 30 s a detect on 2 idle cores, so about 3
  # minutes for the reference and np 1, 2, 4); 0.1 (434k events) under the
  # sanitizers, where a detect is several times slower.
  if(LOCKSTEP_SANITIZE)
    set(lockstep_mpi_scale 0.1)
  else()
    set(lockstep_mpi_scale 0.5)
  endif()
  set(LOCKSTEP_MPI_TEST_SCALE ${lockstep_mpi_scale} CACHE STRING "scale of the data set tests/dist/mpi_detect.sh simulates")
  # Under the sanitizers the ranks keep AddressSanitizer's and UBSan's checks
  # but not LeakSanitizer's: Open MPI's components are dlopen'ed and closed
  # again before the leak report, so their allocations come out as
  # one-frame stacks in "<unknown module>" or at addresses past the binary's
  # end, which no suppression by library name can match (lsan_mpi.supp
  # catches the rest). Everything but the MPI exchange is the code the
  # single-process suite runs under LeakSanitizer, and tests/dist's unit
  # tests check the loader's own helpers there.
  set(lockstep_mpi_env "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/dist/lsan_mpi.supp")
  if(LOCKSTEP_SANITIZE)
    list(APPEND lockstep_mpi_env "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1")
  endif()
  foreach(np 1 2 4)
    add_test(NAME dist_mpi_detect_np${np}
      COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/dist/mpi_detect.sh $<TARGET_FILE:lockstep_cli> ${lockstep_mpirun}
              ${CMAKE_CURRENT_BINARY_DIR}/dist_mpi ${LOCKSTEP_MPI_TEST_SCALE} ${np})
    set_tests_properties(dist_mpi_detect_np${np} PROPERTIES TIMEOUT 1200 SKIP_RETURN_CODE 77
      FIXTURES_REQUIRED dist_mpi_reference RESOURCE_LOCK dist_mpi
      ENVIRONMENT "${lockstep_mpi_env}")
  endforeach()
  # Bad rows under mpirun: the user's file, line and byte from any rank, in
  # the error (fail) and in the ranks' rejects files (skip).
  add_test(NAME dist_mpi_bad_input
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/dist/mpi_bad_input.sh $<TARGET_FILE:lockstep_cli> ${lockstep_mpirun}
            ${CMAKE_CURRENT_BINARY_DIR}/dist_mpi_bad_input)
  set_tests_properties(dist_mpi_bad_input PROPERTIES TIMEOUT 1200 RESOURCE_LOCK dist_mpi
    ENVIRONMENT "${lockstep_mpi_env}")
  add_test(NAME dist_mpi_reference
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/dist/mpi_detect.sh $<TARGET_FILE:lockstep_cli> ${lockstep_mpirun}
            ${CMAKE_CURRENT_BINARY_DIR}/dist_mpi ${LOCKSTEP_MPI_TEST_SCALE} 0)
  set_tests_properties(dist_mpi_reference PROPERTIES TIMEOUT 1200 FIXTURES_SETUP dist_mpi_reference)
else()
  add_test(NAME dist_mpi_detect
    COMMAND sh -c "echo 'skipped: lockstep is built without MPI (apt-get install libopenmpi-dev openmpi-bin, then cmake again)'; exit 77")
  set_tests_properties(dist_mpi_detect PROPERTIES SKIP_RETURN_CODE 77)
endif()
