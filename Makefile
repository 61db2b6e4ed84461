# dyad: the two commands a user needs are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/deps.sh), then build.

BUILD   ?= build/release
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
WERROR  ?= OFF
SHARED  ?= ../shared
DYAD     = $(BUILD)/dyad
MODEL    = models/en-ewt.dyadm

.PHONY: all deps build test demo bench bench-serve bench-python install models fuzz web debug-test clean format

all: build

deps:
	@sh scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DDYAD_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@cd $(BUILD) && DYAD_SHARED=$(abspath $(SHARED)) ctest --output-on-failure -j $(JOBS)

# Debug build with AddressSanitizer and UndefinedBehaviorSanitizer.
debug-test: deps
	@cmake --preset asan >/dev/null
	@cmake --build build/asan -j $(JOBS)
	@cd build/asan && DYAD_SHARED=$(abspath $(SHARED)) ctest --output-on-failure -j $(JOBS)

demo: build
	@sh scripts/demo.sh $(DYAD)

bench: build
	@sh scripts/bench.sh $(DYAD) $(SHARED)

# Retrains the shipped model from the UD English EWT treebank (see models/README.md).
models: build
	@sh scripts/train-models.sh $(DYAD) $(SHARED)

# Rebuilds the dashboard bundle (web/dist, embedded in the binary) from web/src with npm.
web:
	@cd web && npm ci --no-audit --no-fund && npm run build

# Load test of `dyad serve` (wrk) on a store of a million synthetic events.
bench-serve: build
	@sh scripts/bench-serve.sh $(BUILD)

# The Python binding against the CLI, and Dask on 2 local workers against one process.
bench-python: build
	@sh scripts/bench-python.sh $(BUILD) $(SHARED)

# Installs the Python package with the model, the dictionary and the gazetteer (PREFIX).
install: build
	@cmake --install $(BUILD) --prefix $(or $(PREFIX),/usr/local)

# libFuzzer targets (clang) for every reader of outside input, FUZZ_SECONDS each.
FUZZ_SECONDS ?= 600
fuzz:
	@sh scripts/deps.sh fuzz
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build
