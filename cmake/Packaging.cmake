# The Debian package (`make package`, CPack's DEB generator) and the files every artifact ships.
#
# The package is made from this build's dynamically linked programs, stripped; its Depends are
# the Debian runtime libraries they link (dpkg-shlibdeps) plus adduser for postinst. It is not
# made from the static build: lintian rejects statically linked binaries (an error), and the
# Debian libraries get their security updates from Debian. The static binaries ship in the
# release tarball and the images (`make release`).
#
# Installs: /usr/bin/{ringlb,ringlb-server,ringlb-load}, their man pages (help2man, from --help),
# /lib/systemd/system/ringlb.service, /etc/default/ringlb, and /usr/share/doc/ringlb.
set(RINGLB_MAINTAINER "ringlb maintainers <maintainers@users.noreply.b-seed-de010057.example>")
# The date of the release named by project(VERSION): the Debian changelog's entry.
set(RINGLB_RELEASE_DATE "Wed, 02 Dec 2026 00:00:00 +0000")
set(RINGLB_PROGRAMS ringlb ringlb-server ringlb-load)
set(RINGLB_DOC_DIR share/doc/ringlb)

# Only the programs install, not the tests or benchmarks, so `cpack` builds nothing itself:
# `make package` builds the programs and man pages first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
install(TARGETS ${RINGLB_PROGRAMS} RUNTIME DESTINATION bin)

# Man pages from --help and --version. Part of the default build when help2man is installed
# (scripts/bootstrap installs it), so the package's man pages never lag behind the flags.
find_program(HELP2MAN help2man)
set(man_pages)
set(man_names
  "ringlb=consistent-hashing HTTP load balancer that keeps its replicas alive"
  "ringlb-server=the replica HTTP server behind ringlb"
  "ringlb-load=load generator and hashing analysis for ringlb")
foreach(entry IN LISTS man_names)
  string(REPLACE "=" ";" parts "${entry}")
  list(GET parts 0 program)
  list(GET parts 1 summary)
  set(page ${PROJECT_BINARY_DIR}/man/${program}.1.gz)
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    # By name through PATH, so that the synopsis says "ringlb", not this build's path.
    COMMAND ${CMAKE_COMMAND} -E env PATH=$<TARGET_FILE_DIR:${program}>:/usr/bin:/bin
      ${HELP2MAN} --no-info --no-discard-stderr --section=1 --name=${summary}
      --version-string=${PROJECT_VERSION} --output=${PROJECT_BINARY_DIR}/man/${program}.1
      ${program}
    COMMAND gzip -9nf ${PROJECT_BINARY_DIR}/man/${program}.1
    DEPENDS ${program}
    COMMENT "Writing the man page of ${program}"
    VERBATIM)
  list(APPEND man_pages ${page})
endforeach()
if(HELP2MAN)
  add_custom_target(ringlb_manpages ALL DEPENDS ${man_pages})
else()
  add_custom_target(ringlb_manpages
    COMMAND ${CMAKE_COMMAND} -E echo "help2man is not installed: run scripts/bootstrap"
    COMMAND ${CMAKE_COMMAND} -E false)
endif()
install(FILES ${man_pages} DESTINATION share/man/man1)

# The service. Absolute paths: these live outside the /usr prefix.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ringlb.service DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ringlb.default DESTINATION /etc/default
  RENAME ringlb PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)

# Documentation, licence and notices.
configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/changelog.in ${PROJECT_BINARY_DIR}/debian/changelog @ONLY)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/debian/changelog.gz
  COMMAND gzip -9nkf ${PROJECT_BINARY_DIR}/debian/changelog
  DEPENDS ${PROJECT_BINARY_DIR}/debian/changelog
  VERBATIM)
add_custom_target(ringlb_debian_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/debian/changelog.gz)
install(FILES
    ${PROJECT_SOURCE_DIR}/README.md
    ${PROJECT_SOURCE_DIR}/CHANGELOG.md
    ${PROJECT_SOURCE_DIR}/LICENSE
    ${PROJECT_SOURCE_DIR}/NOTICE
    ${PROJECT_SOURCE_DIR}/THIRD_PARTY_NOTICES
    ${PROJECT_SOURCE_DIR}/packaging/debian/copyright
    ${PROJECT_BINARY_DIR}/debian/changelog.gz
  DESTINATION ${RINGLB_DOC_DIR})
file(GLOB doc_pages ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${doc_pages} DESTINATION ${RINGLB_DOC_DIR}/docs)

# The static build's bin/ folder is the images' build context: the licence and notices go with
# the binaries (deploy/Dockerfile.*).
if(RINGLB_STATIC)
  file(COPY ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/NOTICE
    ${PROJECT_SOURCE_DIR}/THIRD_PARTY_NOTICES DESTINATION ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/licenses)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ringlb)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${RINGLB_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "consistent-hashing HTTP load balancer that runs its replicas")
# The extended description: CPack puts the summary above it and formats it for the control file.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "ringlb routes each HTTP/1.1 request to the replica a consistent-hashing table
names for the request's key, keeps N replicas alive (it starts them as local
ringlb-server processes or Docker containers, probes their heartbeats and
replaces the ones that die) and has a small JSON API to add and remove
replicas at run time.

The package holds ringlb, its replica ringlb-server, the load generator
ringlb-load, and ringlb.service, configured in /etc/default/ringlb.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles
  ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
  ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
  ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
