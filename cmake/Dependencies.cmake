# Every dependency comes from Debian bookworm packages (scripts/bootstrap installs them).
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
if(RINGLB_STATIC)
  set(Boost_USE_STATIC_LIBS ON)
endif()
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS json)
find_package(CLI11 REQUIRED CONFIG)

find_path(XXHASH_INCLUDE_DIR xxhash.h REQUIRED)
find_library(XXHASH_LIBRARY NAMES libxxhash.a xxhash REQUIRED)
add_library(xxhash::xxhash UNKNOWN IMPORTED)
set_target_properties(xxhash::xxhash PROPERTIES
  IMPORTED_LOCATION ${XXHASH_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${XXHASH_INCLUDE_DIR})

# jemalloc, for the programs (src/allocator). A static build takes the archive.
if(NOT RINGLB_SANITIZE)
  if(RINGLB_STATIC)
    find_library(JEMALLOC_LIBRARY NAMES libjemalloc.a REQUIRED)
  else()
    find_library(JEMALLOC_LIBRARY NAMES jemalloc REQUIRED)
  endif()
endif()

if(RINGLB_TESTS)
  find_package(GTest REQUIRED CONFIG)
endif()
if(RINGLB_BENCH)
  find_package(benchmark REQUIRED CONFIG)
endif()
