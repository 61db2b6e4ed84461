# dyad: the two commands a user needs are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/deps.sh), then build.

BUILD   ?= build/release
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
WERROR  ?= OFF
SHARED  ?= ../shared
DYAD     = $(BUILD)/dyad
MODEL    = models/en-ewt.dyadm

.PHONY: all deps build test demo bench models fuzz debug-test clean format

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

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build
