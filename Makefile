# The two commands a newcomer needs: `make run` and `make test`. Each installs what it needs first.
BUILD_TYPE ?= RelWithDebInfo
SANITIZE ?=
comma := ,
BUILD_DIR ?= build$(if $(SANITIZE),-$(subst $(comma),-,$(SANITIZE)))
JOBS ?= $(shell nproc)
CMAKE_FLAGS := -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DRINGLB_SANITIZE=$(SANITIZE) \
	$(if $(filter true,$(CI)),-DRINGLB_WERROR=ON)

.PHONY: all bootstrap configure build test run clean format tidy

all: build

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) > $(BUILD_DIR).configure.log || (cat $(BUILD_DIR).configure.log; exit 1)

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# ringlb on :5000 with 3 local replica processes; Ctrl-C stops it and them. RUN_ARGS adds flags.
run: build
	$(BUILD_DIR)/bin/ringlb $(RUN_ARGS)

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

tidy: configure
	@clang-tidy -p $(BUILD_DIR) --quiet $$(git ls-files 'src/*.cpp')

clean:
	rm -rf build build-* build*.configure.log

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
