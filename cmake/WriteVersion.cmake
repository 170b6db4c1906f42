# cmake -P script (see Version.cmake): writes OUTPUT from TEMPLATE with the commit of SOURCE_DIR.
set(RINGLB_COMMIT unknown)
find_package(Git QUIET)
if(GIT_FOUND)
  # Only SOURCE_DIR's own checkout counts: sources unpacked inside another repository are not it.
  execute_process(
    COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse --show-toplevel
    OUTPUT_VARIABLE toplevel
    OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET)
  file(REAL_PATH "${SOURCE_DIR}" source_real)
  if(toplevel)
    file(REAL_PATH "${toplevel}" toplevel)
  endif()
endif()
if(GIT_FOUND AND toplevel STREQUAL source_real)
  # --exclude='*' keeps tags out: the answer is the abbreviated commit, "-dirty" when tracked
  # files differ from it.
  execute_process(
    COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} describe --always --dirty --abbrev=12 --exclude=*
    OUTPUT_VARIABLE commit
    OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET
    RESULT_VARIABLE status)
  if(status EQUAL 0 AND commit)
    set(RINGLB_COMMIT ${commit})
  endif()
endif()
if(NOT RINGLB_BUILD_TYPE)
  set(RINGLB_BUILD_TYPE unknown)
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
