# Formica: one command each on a fresh Debian 12 machine.
#   make demo   - install, build, start a local consortium and run the demo scenarios
#   make test   - install, build, run every check CI runs
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
# ccache: share hits between clones in different folders (CI builds a fresh clone).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps configure build test test-long demo bench format clean web

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD)/build.ninja

build: deps configure
	ninja -C $(BUILD)

test: build
	JOBS=$(JOBS) scripts/test.sh

test-long: build
	# 40,000 seeds per simulation scenario (280,000 runs; heavy scenarios 400), sharded over JOBS;
	# a validator catching up after 2,000 blocks.
	FUZZ_SECONDS=300 FORMICA_LONG=1 FORMICA_SIM_SEEDS_LONG=40000 FORMICA_CATCHUP_BLOCKS=2000 JOBS=$(JOBS) scripts/test.sh

demo: build
	scripts/demo.sh

bench: build
	scripts/bench.sh

# The TypeScript SDK and web console: npm ci, vitest, web/dist, browser tests (docs/web.md).
web: build
	scripts/web_test.sh

format:
	git ls-files -co --exclude-standard -- '*.h' '*.cpp' | grep -vE '^build' | xargs clang-format-14 -i

clean:
	rm -rf build build-asan build-fuzz
