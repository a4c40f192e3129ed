# termdrift - see README.md.
#   make            libtermdrift.a and the termdrift command (in build/)
#   make test       unit tests, end-to-end tests and oracles
#   make test SAN=1 the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make run        the default analysis of data/seeds into output/
#   make bench      benchmarks on the fetched State of the Union corpus
#   make deps       install (as root) or name the missing Debian packages
# CI=1 adds -Werror.

CC ?= cc
PKGS := gsl libutf8proc jansson inih nettle

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

.PHONY: all test unit e2e oracle notebook run bench deps clean
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

$(BUILD)/bench/%: tests/bench/%.c $(LIB) | $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

test: unit e2e oracle notebook

unit: $(TEST_BIN)
	@failed=0; for t in $(TEST_BIN); do \
		echo "== $$t"; $$t || failed=1; \
	done; exit $$failed

e2e: $(BIN)
	@TERMDRIFT=$(BIN) tests/e2e/run.sh

oracle: $(BIN)
	@TERMDRIFT=$(BIN) tests/oracle/run.sh

notebook: $(BIN)
	@TERMDRIFT=$(BIN) tests/notebook/run.sh

# The default analysis of the embedded corpus (issue 4 turns this into
# `termdrift run analyses/seeds.ini`).
run: $(BIN)
	$(BIN) run analyses/seeds.ini

bench: $(BIN) $(BENCH_BIN)
	TERMDRIFT=$(BIN) BENCH_DIR=$(BUILD)/bench scripts/bench.sh

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d) $(BENCH_BIN:=.d)
