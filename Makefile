# termdrift - see README.md.
#   make            libtermdrift.a and the termdrift command (in build/)
#   make test       unit tests, end-to-end tests and oracles
#   make test SAN=1 the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make run        the default analysis of data/seeds into output/
#   make bench      benchmarks on the fetched State of the Union corpus
#   make deps       install (as root) or name the missing Debian packages
#   make fuzz       libFuzzer targets of tests/fuzz/ (clang), FUZZ_SECONDS each
#   make limits     the README's limits at their edges (minutes)
# CI=1 adds -Werror.

CC ?= cc
PKGS := gsl libutf8proc jansson libcjson inih nettle libxxhash

ifeq ($(SAN),1)
BUILD := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT := -O1 -g
else
BUILD := build
SANFLAGS :=
OPT := -O2 -g
endif

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wformat=2
ifeq ($(CI),1)
WARN += -Werror
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) \
	-Isrc -I$(BUILD)/gen $(PKG_CFLAGS)
LIBS = $(PKG_LIBS) -lcsv -lstemmer -lpthread -lm
LDFLAGS += $(SANFLAGS)

LIB_SRC := $(wildcard src/*.c)
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/embedded_data.o
CLI_SRC := $(wildcard src/cli/*.c)
CLI_OBJ := $(patsubst src/cli/%.c,$(BUILD)/obj/cli/%.o,$(CLI_SRC))
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH_BIN := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
EMBED := embedded_stopwords_en data/stopwords/en.txt embedded_boilerplate_en data/boilerplate/en.txt

LIB := $(BUILD)/libtermdrift.a
BIN := $(BUILD)/termdrift

.PHONY: all test unit e2e oracle notebook fault limits run bench deps clean fuzz fuzz-build fuzz-corpus
all: $(BIN)

deps:
	@scripts/install-deps.sh

# The dependency check runs before anything is compiled, so that a fresh
# machine gets the apt-get line (or the packages) instead of a compiler error.
$(BUILD)/.deps-ok: scripts/install-deps.sh
	@scripts/install-deps.sh --check 2>/dev/null || scripts/install-deps.sh
	@mkdir -p $(@D) && touch $@

$(BUILD)/gen/embedded_data.c: scripts/embed.sh data/stopwords/en.txt data/boilerplate/en.txt | $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	scripts/embed.sh $(EMBED) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/embedded_data.o: $(BUILD)/gen/embedded_data.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/cli/%.o: src/cli/%.c | $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LIBS)

$(BUILD)/tests/%: tests/%.c $(LIB) | $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -MMD -MP $(LDFLAGS) -o $@ $< $(LIB) $(LIBS) -lcmocka

# The fuzz targets' property checks, replayed on tests/fuzz/regressions/ and
# tests/fuzz/seeds/ with $(CC): no clang needed for `make test`.
FUZZ_SRC := $(wildcard tests/fuzz/*.c)
FUZZ_HDR := $(wildcard tests/fuzz/*.h)
$(BUILD)/tests/test_fuzz_regressions: tests/test_fuzz_regressions.c $(FUZZ_SRC) $(FUZZ_HDR) $(LIB) | $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -DFUZZ_NO_MAIN $(LDFLAGS) -o $@ $< $(FUZZ_SRC) $(LIB) $(LIBS) -lcmocka

$(BUILD)/bench/%: tests/bench/%.c $(LIB) | $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

test: unit e2e oracle notebook fault

unit: $(TEST_BIN)
	@failed=0; for t in $(TEST_BIN); do \
		echo "== $$t"; $$t || failed=1; \
	done; exit $$failed

e2e: $(BIN)
	@TERMDRIFT=$(BIN) TD_SAN=$(SAN) tests/e2e/run.sh

oracle: $(BIN)
	@TERMDRIFT=$(BIN) tests/oracle/run.sh

notebook: $(BIN)
	@TERMDRIFT=$(BIN) tests/notebook/run.sh

# Writes, reads and allocations that fail, one at a time (tests/fault/).
fault: $(BIN)
	@TERMDRIFT=$(BIN) tests/fault/run.sh

# The edges of what README.md promises (a 100 MB document, 10 million terms,
# a million documents); minutes, not part of make test.
limits: $(BIN)
	TERMDRIFT=$(BIN) tests/limits/run.sh

# The default analysis of the embedded corpus (issue 4 turns this into
# `termdrift run analyses/seeds.ini`).
run: $(BIN)
	$(BIN) run analyses/seeds.ini

bench: $(BIN) $(BENCH_BIN)
	TERMDRIFT=$(BIN) BENCH_DIR=$(BUILD)/bench scripts/bench.sh

# Fuzzing: `make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="date csv"]` builds
# every target of tests/fuzz/ with clang, libFuzzer, ASan and UBSan into
# build/fuzz/ (the library compiled again there, apart from the gcc build)
# and runs each for FUZZ_SECONDS seconds on build/fuzz/corpus/NAME (made
# from the test data by tests/fuzz/seeds.sh); a crash or a violated property
# fails, leaving the input in build/fuzz/crashes/NAME/.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR := build/fuzz
FUZZ_TARGETS ?= $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC))
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g $(FUZZ_SAN) -Isrc $(PKG_CFLAGS)
# The library's warnings are gcc's business (CI builds it with -Werror);
# clang's extra ones (-Wformat-nonliteral in error.c) do not stop fuzzing.
FUZZ_LIB_WARN := $(filter-out -Werror,$(WARN))
FUZZ_LIB_OBJ := $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,$(LIB_SRC)) $(FUZZ_DIR)/obj/embedded_data.o
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(FUZZ_SRC))

$(FUZZ_DIR)/.clang-ok:
	@command -v $(FUZZ_CC) >/dev/null || { echo "termdrift: make fuzz needs $(FUZZ_CC) (Debian: clang libclang-rt-14-dev; TD_TEST_DEPS=1 scripts/install-deps.sh)" >&2; exit 1; }
	@mkdir -p $(@D) && touch $@

$(FUZZ_DIR)/gen/embedded_data.c: scripts/embed.sh data/stopwords/en.txt data/boilerplate/en.txt
	@mkdir -p $(@D)
	scripts/embed.sh $(EMBED) > $@.tmp && mv $@.tmp $@

$(FUZZ_DIR)/obj/embedded_data.o: $(FUZZ_DIR)/gen/embedded_data.c | $(FUZZ_DIR)/.clang-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LIB_WARN) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/obj/%.o: src/%.c | $(BUILD)/.deps-ok $(FUZZ_DIR)/.clang-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LIB_WARN) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_HDR) $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARN) -fsanitize=fuzzer -Itests -o $@ $< $(FUZZ_LIB_OBJ) $(LIBS)

# Objects reached only through the pattern rule above are not intermediate.
.SECONDARY: $(FUZZ_LIB_OBJ) $(FUZZ_DIR)/gen/embedded_data.c

fuzz-build: $(FUZZ_BIN)

fuzz-corpus:
	@tests/fuzz/seeds.sh $(FUZZ_DIR)/corpus

fuzz: fuzz-build fuzz-corpus
	@FUZZ_DIR=$(FUZZ_DIR) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_TARGETS)

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d) $(BENCH_BIN:=.d) $(FUZZ_LIB_OBJ:.o=.d)
