#!/bin/sh
# bench.sh - benchmarks on the State of the Union corpus (run by `make bench`).
#
# Fetches the speeches (scripts/fetch-sotu.sh), concatenates them TIMES times
# (default 10, about 107 MB) into corpora/, and runs each benchmark on the same
# bytes, printing one line with MB/s (10^6 bytes per second) each; `wc -w` on
# the same file is the yardstick.  One function per benchmark: add new ones
# below and call them at the end.
#
# Environment: TERMDRIFT (the termdrift binary; default build/termdrift),
# BENCH_DIR (the compiled tests/bench programs; default build/bench),
# BENCH_TIMES (how many copies of the corpus; default 10).
set -eu

TERMDRIFT=${TERMDRIFT:-build/termdrift}
BENCH_DIR=${BENCH_DIR:-build/bench}
TIMES=${BENCH_TIMES:-10}
CORPUS=corpora/sotu
BIG=corpora/sotu-x$TIMES.txt

# Seconds since the epoch, with nanoseconds (GNU date).
now() {
	date +%s.%N
}

# mbps BYTES START END: the rate in MB/s.
mbps() {
	awk -v b="$1" -v t0="$2" -v t1="$3" 'BEGIN { s = t1 - t0; printf "%.3f s, %.1f MB/s", s, (s > 0 ? b / 1e6 / s : 0) }'
}

prepare() {
	scripts/fetch-sotu.sh "$CORPUS"
	if [ ! -s "$BIG" ]; then
		i=0
		while [ "$i" -lt "$TIMES" ]; do
			cat "$CORPUS"/*.txt
			i=$((i + 1))
		done > "$BIG.tmp"
		mv "$BIG.tmp" "$BIG"
	fi
	cat "$BIG" > /dev/null  # into the page cache, for every benchmark alike
	BYTES=$(wc -c < "$BIG")
	echo "corpus: $BIG, $BYTES bytes (State of the Union x$TIMES)"
}

# wc -w, in the C locale (bytes) and in a UTF-8 one (characters), as the floor
# of what reading and splitting the text costs.
bench_wc() {
	for locale in C C.UTF-8; do
		t0=$(now)
		words=$(LC_ALL=$locale wc -w < "$BIG")
		t1=$(now)
		echo "wc -w (LC_ALL=$locale): $BYTES bytes, $words words, $(mbps "$BYTES" "$t0" "$t1")"
	done
}

# The default tokenizer with the English stopwords, each speech a document.
bench_tokenize() {
	"$BENCH_DIR"/bench_tokenize -n "$TIMES" --stopwords en "$CORPUS"/*.txt
}

prepare
bench_wc
bench_tokenize
: "$TERMDRIFT"  # for the whole-program benchmarks to come
