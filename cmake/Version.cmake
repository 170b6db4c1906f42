# One version for every program: project(VERSION) in the top-level CMakeLists.txt, the commit
# the tree was built from and the build type, compiled into <build>/generated/version_info.cpp.
# The commit is read at build time, not configure time, so a build after a new commit reports
# it; the file is rewritten only when its text changes, so an unchanged commit recompiles nothing.
# Outside a git checkout (a source tarball) the commit is "unknown".
set(RINGLB_VERSION_INFO ${PROJECT_BINARY_DIR}/generated/version_info.cpp)
add_custom_target(ringlb_version_info
  COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DTEMPLATE=${PROJECT_SOURCE_DIR}/src/common/version_info.cpp.in
    -DOUTPUT=${RINGLB_VERSION_INFO}
    -DRINGLB_VERSION=${PROJECT_VERSION}
    -DRINGLB_BUILD_TYPE=${CMAKE_BUILD_TYPE}
    -P ${PROJECT_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${RINGLB_VERSION_INFO}
  COMMENT "Reading the commit for --version"
  VERBATIM)
