# The two commands a newcomer needs: `make run` and `make test`. Each installs what it needs first.
BUILD_TYPE ?= RelWithDebInfo
SANITIZE ?=
comma := ,
BUILD_DIR ?= build$(if $(SANITIZE),-$(subst $(comma),-,$(SANITIZE)))
JOBS ?= $(shell nproc)
CMAKE_FLAGS := -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DRINGLB_SANITIZE=$(SANITIZE) \
	$(if $(filter true,$(CI)),-DRINGLB_WERROR=ON)

.PHONY: all bootstrap configure build test run clean format format-check tidy

all: build

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) > $(BUILD_DIR).configure.log || (cat $(BUILD_DIR).configure.log; exit 1)

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) $(if $(TARGETS),--target $(TARGETS))

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The one version, from project(VERSION) in CMakeLists.txt.
VERSION := $(shell awk '/^project.ringlb VERSION / {print $$3}' CMakeLists.txt)

# ringlb on :5000 with 3 local replica processes; Ctrl-C stops it and them. RUN_ARGS adds flags.
# Loopback unless RUN_HOST says otherwise: /add and /rm start processes, and have no token here.
RUN_HOST ?= 127.0.0.1
run: build
	$(BUILD_DIR)/bin/ringlb --host $(RUN_HOST) $(RUN_ARGS)

# Style, enforced by .ci/run: clang-format (.clang-format) over every C++ file, clang-tidy
# (.clang-tidy: a short list of checks about bugs) over every source file of src/, in parallel.
# FORMAT_FILES and TIDY_FILES narrow them, e.g. to the files a change touches.
FORMAT_FILES ?= $(shell git ls-files '*.cpp' '*.hpp')
TIDY_FILES ?= $(shell git ls-files 'src/*.cpp')

format:
	@clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_FILES)

# run-clang-tidy takes regular expressions of the compile database's absolute file names and
# prints each command line it runs; only the findings are shown. The exit code is its own.
tidy: configure
	@run-clang-tidy -p $(BUILD_DIR) -j $(JOBS) -quiet \
		$(foreach f,$(TIDY_FILES),'^$(CURDIR)/$(subst .,\.,$(f))$$') > $(BUILD_DIR).tidy.log 2>&1; \
		status=$$?; grep -Ev '^[^ ]*clang-tidy[^ ]* |^[0-9]+ warnings? generated' $(BUILD_DIR).tidy.log; \
		exit $$status

clean:
	rm -rf build build-* build*.configure.log build*.tidy.log

# ---------------------------------------------------------------------------------------------
# Docker: static binaries, FROM scratch images, the compose stack (deploy/, docs/deployment.md).
# `make up` needs a running engine; scripts/docker-engine installs and starts one.
# deploy/docker-compose.yml builds its images from build-static/bin, so this name is fixed.
STATIC_DIR := build-static
# ringlb joins the list once its target exists; missing targets are skipped, not errors.
STATIC_TARGETS ?= ringlb-server ringlb
COMPOSE ?= $(shell if docker compose version >/dev/null 2>&1; then echo "docker compose"; \
	elif command -v docker-compose >/dev/null 2>&1; then echo docker-compose; fi)
COMPOSE_PROJECT ?= ringlb
# The value of the ringlb.instance label on the replicas the compose stack's load balancer makes.
RINGLB_INSTANCE ?= compose
COMPOSE_CMD = RINGLB_INSTANCE=$(RINGLB_INSTANCE) \
	RINGLB_DOCKER_GID=$$(stat -c %g /var/run/docker.sock) \
	$(COMPOSE) -p $(COMPOSE_PROJECT) -f deploy/docker-compose.yml

.PHONY: static images up down engine-check compose-check

static: bootstrap
	@cmake -S . -B $(STATIC_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DRINGLB_STATIC=ON \
		-DRINGLB_TESTS=OFF -DRINGLB_BENCH=OFF -DBoost_USE_STATIC_LIBS=ON > $(STATIC_DIR).configure.log \
		|| (cat $(STATIC_DIR).configure.log; exit 1)
	@targets=$$(for t in $(STATIC_TARGETS); do \
		ninja -C $(STATIC_DIR) -t targets all | grep -q "^$$t:" && echo $$t; done); \
	cmake --build $(STATIC_DIR) -j $(JOBS) --target $$targets

engine-check:
	@docker version >/dev/null 2>&1 || { echo "make: no Docker engine answers on this machine;" \
		"run scripts/docker-engine (installs docker.io and starts dockerd), then retry" >&2; exit 1; }

compose-check: engine-check
	@[ -n "$(COMPOSE)" ] || { echo "make: neither 'docker compose' nor docker-compose is installed;" \
		"run scripts/docker-engine" >&2; exit 1; }

# Each image is tagged with the version (project(VERSION) in CMakeLists.txt) and latest.
IMAGE_LABELS = --label org.opencontainers.image.version=$(VERSION) \
	--label org.opencontainers.image.licenses=Apache-2.0 --label org.opencontainers.image.title=$(1)

images: static engine-check
	docker build -q -t ringlb-server:$(VERSION) -t ringlb-server:latest $(call IMAGE_LABELS,ringlb-server) \
		-f deploy/Dockerfile.server $(STATIC_DIR)/bin
	@if [ -x $(STATIC_DIR)/bin/ringlb ]; then \
		docker build -q -t ringlb:$(VERSION) -t ringlb:latest $(call IMAGE_LABELS,ringlb) \
			-f deploy/Dockerfile.ringlb $(STATIC_DIR)/bin; \
	else echo "images: $(STATIC_DIR)/bin/ringlb is not built yet; made ringlb-server only"; fi
	@docker image prune -f --filter label=ringlb.image >/dev/null

up: static compose-check
	$(COMPOSE_CMD) up -d --build
	@docker image prune -f --filter label=ringlb.image >/dev/null
	@echo "ringlb: http://127.0.0.1:5000/rep  (make down stops it and removes its replicas)"

# The load balancer goes first, so that it cannot replace the replicas being removed; then the
# replicas it made (by label), then what compose made (its container and net1).
down: compose-check
	-$(COMPOSE_CMD) kill ringlb
	docker ps -aq --filter label=ringlb.managed=true --filter label=ringlb.instance=$(RINGLB_INSTANCE) \
		| xargs -r docker rm -f -v >/dev/null
	$(COMPOSE_CMD) down --volumes --remove-orphans

# ---------------------------------------------------------------------------------------------
# Analysis A-1..A-4: analysis/run_analysis.py starts its own ringlb for each experiment, drives it
# with ringlb-load and writes docs/analysis.md and its figures (docs/analysis/).
# ANALYSIS_DRIVER=docker runs the replicas as containers of the compose stack's image on net1
# (needs a running engine; `make images` first builds the image). ANALYSIS_FLAGS=--quick for the
# small version.
ANALYSIS_DRIVER ?= process
ANALYSIS_FLAGS ?=

.PHONY: analysis

analysis: build $(if $(filter docker,$(ANALYSIS_DRIVER)),images)
	/usr/bin/python3 analysis/run_analysis.py --bin-dir $(BUILD_DIR)/bin \
		--driver $(ANALYSIS_DRIVER) $(ANALYSIS_FLAGS)

# ---------------------------------------------------------------------------------------------
# Benchmarks (bench/README.md): the micro-benchmarks, then ringlb, nginx and HAProxy in front of
# the same replicas (requests/s, p50, p99, ratios), then syscalls, CPU time and memory per idle
# connection and the 10 000-request run, large bodies and WebSockets, and the workload matrix
# (slow routes, heavy tails, an uneven replica, open loop; about 2.5 minutes of it). Figures move with the
# machine's load, the ratios much less. BENCH_FLAGS goes to compare.py (e.g. --seconds 20),
# WORKLOAD_FLAGS to workloads.py (e.g. --repeat 3).
BENCH_FLAGS ?=
WORKLOAD_FLAGS ?=
BENCH_ENV = RINGLB_BIN_DIR=$(abspath $(BUILD_DIR))/bin

.PHONY: bench bench-quick

bench: build
	$(BUILD_DIR)/bin/hashing_bench
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/compare.py $(BENCH_FLAGS)
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/compare.py --replica nginx --threads 1 $(BENCH_FLAGS)
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/extras.py
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/streams.py
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/workloads.py $(WORKLOAD_FLAGS)

# The version CI runs through ctest: seconds in all, checks that every contender answers.
bench-quick: build
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/compare.py --quick
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/compare.py --quick --replica nginx
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/extras.py --quick
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/streams.py --quick
	$(BENCH_ENV) /usr/bin/python3 bench/proxy/workloads.py --quick

# ---------------------------------------------------------------------------------------------
# Sanitizers and fuzzing (docs/operations.md). test-sanitizers: the unit and integration tests
# built with ASan+UBSan, then ringlb and its replica built with TSan under the tests that race
# admin calls, traffic and respawns. fuzz: the libFuzzer targets (clang) for FUZZ_SECONDS each.
FUZZ_SECONDS ?= 20
ASAN_TARGETS := ringlb ringlb-server ringlb-load hashing common config net controlplane dataplane replica loadgen drivers_docker drivers_process
TSAN_TESTS := integration.balancer|integration.security|chaos

.PHONY: test-sanitizers fuzz

test-sanitizers: bootstrap
	@RINGLB_SANITIZER=address $(MAKE) --no-print-directory test SANITIZE=address,undefined TARGETS="$(ASAN_TARGETS)" \
		CTEST_ARGS="-R '^(unit|integration)\.'"
	@$(MAKE) --no-print-directory build SANITIZE=thread TARGETS="ringlb ringlb-server"
	@RINGLB_SANITIZER=thread TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
		ctest --test-dir build-thread --output-on-failure -R '$(TSAN_TESTS)'

fuzz: bootstrap
	@cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DRINGLB_FUZZ=ON -DRINGLB_TESTS=OFF -DRINGLB_BENCH=OFF -DRINGLB_SANITIZE=address,undefined \
		-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link -DRINGLB_FUZZ_SECONDS=$(FUZZ_SECONDS) \
		> build-fuzz.configure.log || (cat build-fuzz.configure.log; exit 1)
	@cmake --build build-fuzz -j $(JOBS) --target admin_request_fuzzer request_path_fuzzer response_fuzzer
	@ctest --test-dir build-fuzz --output-on-failure -R '^fuzz\.'

# ---------------------------------------------------------------------------------------------
# Releases (docs/packaging.md). package: the .deb, made by CPack from $(BUILD_DIR)'s programs
# (dynamically linked, stripped; Depends from dpkg-shlibdeps), with man pages, ringlb.service and
# /etc/default/ringlb. release: dist/ with the .deb, a tarball of the static binaries, the images
# (docker save; needs a running engine) and SHA256SUMS. release-check: release, then checks
# every artifact against its checksum and its contents (CI runs it in its fresh clone).
PACKAGE_DIR = $(BUILD_DIR)/package
DIST_DIR := dist
ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
STATIC_NAME = ringlb-$(VERSION)-linux-$(ARCH)-static
RELEASE_PROGRAMS := ringlb ringlb-server ringlb-load
RELEASE_DOCS := LICENSE NOTICE THIRD_PARTY_NOTICES CHANGELOG.md README.md

.PHONY: package release release-check

package:
	@[ -z "$(SANITIZE)" ] || { echo "make package: not from a sanitizer build" >&2; exit 1; }
	@$(MAKE) --no-print-directory build \
		TARGETS="$(RELEASE_PROGRAMS) ringlb_manpages ringlb_debian_changelog"
	@rm -rf $(PACKAGE_DIR)
	@cpack --config $(BUILD_DIR)/CPackConfig.cmake -B $(abspath $(PACKAGE_DIR)) > $(BUILD_DIR)/cpack.log \
		|| (cat $(BUILD_DIR)/cpack.log; exit 1)
	@ls $(PACKAGE_DIR)/ringlb_$(VERSION)_$(ARCH).deb

release: package engine-check
	@$(MAKE) --no-print-directory static STATIC_TARGETS="$(RELEASE_PROGRAMS)"
	@$(MAKE) --no-print-directory images
	rm -rf $(DIST_DIR) && mkdir -p $(DIST_DIR)/.stage/$(STATIC_NAME)/bin
	cp $(PACKAGE_DIR)/ringlb_$(VERSION)_$(ARCH).deb $(DIST_DIR)/
	cp $(addprefix $(STATIC_DIR)/bin/,$(RELEASE_PROGRAMS)) $(DIST_DIR)/.stage/$(STATIC_NAME)/bin/
	cp $(RELEASE_DOCS) $(DIST_DIR)/.stage/$(STATIC_NAME)/
	tar -C $(DIST_DIR)/.stage --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$$(git log -1 --format=%ct 2>/dev/null || date +%s) -cf - $(STATIC_NAME) \
		| gzip -9n > $(DIST_DIR)/$(STATIC_NAME).tar.gz
	rm -rf $(DIST_DIR)/.stage
	docker save ringlb:$(VERSION) ringlb-server:$(VERSION) | gzip -n > $(DIST_DIR)/ringlb-images-$(VERSION).tar.gz
	cd $(DIST_DIR) && sha256sum *.deb *.tar.gz > SHA256SUMS
	@ls -l $(DIST_DIR)

release-check: release
	/usr/bin/python3 tests/package/check_release.py --dist $(DIST_DIR) --version $(VERSION) --arch $(ARCH)
