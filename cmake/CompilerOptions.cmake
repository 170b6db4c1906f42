# Warnings and sanitizers for every ringlb target, through one interface target.
add_library(ringlb_options INTERFACE)
add_library(ringlb::options ALIAS ringlb_options)

target_compile_options(ringlb_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough -Wno-missing-field-initializers)
if(RINGLB_WERROR)
  target_compile_options(ringlb_options INTERFACE -Werror)
endif()

target_compile_definitions(ringlb_options INTERFACE BOOST_ASIO_NO_DEPRECATED)

if(RINGLB_SANITIZE)
  # GCC's flow analysis sees through sanitizer instrumentation poorly and reports Boost's
  # optionals as "maybe uninitialized"; the same code builds clean without sanitizers.
  target_compile_options(ringlb_options INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
  # With the instrumentation, GCC 12 inlines both ends of Asio's coroutine frames (allocated with
  # aligned_alloc, freed by the frame's own operator delete) and takes them for a mismatched pair;
  # which coroutine it flags changes with inlining, so the exception is for every target.
  target_compile_options(ringlb_options INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>)
  if(RINGLB_SANITIZE MATCHES "thread")
    # Asio's fenced blocks use std::atomic_thread_fence, which GCC warns TSan cannot model; the
    # TSan run is about ringlb's own races, which it still sees.
    target_compile_options(ringlb_options INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>)
  endif()
  target_compile_options(ringlb_options INTERFACE
    -fsanitize=${RINGLB_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  if(RINGLB_SANITIZE MATCHES "undefined")
    # UBSan's vptr check tests that a vtable's memory is readable by writing it to a pipe: in a
    # process out of descriptors (tests/integration/test_descriptors.py) no pipe can be made and
    # it reports a false "invalid vptr" for any object. ASan still catches the use of a freed one.
    target_compile_options(ringlb_options INTERFACE -fno-sanitize=vptr)
  endif()
  target_link_options(ringlb_options INTERFACE -fsanitize=${RINGLB_SANITIZE})
endif()

if(RINGLB_STATIC)
  target_link_options(ringlb_options INTERFACE -static -s)
endif()
