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

# The same speeches as a folder of TIMES sub-folders of hard links, one file
# per speech, as researchers keep articles: the whole-program benchmarks read
# it, and JSON Lines too.
prepare_folder() {
	FOLDER=corpora/sotu-x$TIMES-dir
	[ -d "$FOLDER" ] && return 0
	rm -rf "$FOLDER.tmp"
	i=0
	while [ "$i" -lt "$TIMES" ]; do
		mkdir -p "$FOLDER.tmp/copy$i"
		ln "$CORPUS"/*.txt "$FOLDER.tmp/copy$i/" 2>/dev/null || cp "$CORPUS"/*.txt "$FOLDER.tmp/copy$i/"
		i=$((i + 1))
	done
	mv "$FOLDER.tmp" "$FOLDER"
}

# The same speeches as JSON Lines (id, date = the year in the file name, text),
# TIMES copies, for the whole-program benchmarks.
prepare_jsonl() {
	JSONL=corpora/sotu-x$TIMES.jsonl
	[ -s "$JSONL" ] && return 0
	/usr/bin/python3 - "$CORPUS" "$TIMES" "$JSONL" <<'PY'
import glob, json, os, sys
corpus, times, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = sorted(glob.glob(os.path.join(corpus, "*.txt")))
with open(out + ".tmp", "w", encoding="utf-8") as f:
    for copy in range(times):
        for path in files:
            name = os.path.basename(path)[:-4]
            with open(path, encoding="utf-8") as t:
                text = t.read()
            f.write(json.dumps({"id": "%s_%d" % (name, copy), "date": name[:4], "text": text}) + "\n")
os.replace(out + ".tmp", out)
PY
}

# peak KB and wall seconds of a command, from /usr/bin/time -v
measure() {
	/usr/bin/time -v "$@" > "$TMPD/stdout" 2> "$TMPD/time" || { cat "$TMPD/time" >&2; return 1; }
	RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMPD/time")
	WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$TMPD/time")
}

# termdrift tfidf against scikit-learn's TfidfVectorizer.fit_transform on the
# same texts, reading included, side by side: unigrams and 1:2-grams, termdrift
# on one thread and on two.  termdrift runs in scikit-learn's own terms
# (--tokenizer sklearn, no stopwords, no cleaning, n-grams across sentences)
# and writes tfidf.mtx (--outputs tfidf.mtx; docs.csv and manifest.json are
# always written), as scikit-learn's result is the matrix.
bench_tfidf() {
	prepare_folder
	prepare_jsonl
	TMPD=$(mktemp -d "${TMPDIR:-/tmp}/td-bench.XXXXXX")
	have_sklearn=1
	/usr/bin/python3 -c 'import sklearn' 2>/dev/null || have_sklearn=0
	bench_tfidf_on "$FOLDER"
	bench_tfidf_on "$JSONL"
	[ "$have_sklearn" = 1 ] || echo "scikit-learn: SKIPPED (python3-sklearn is not installed)"
	rm -rf "$TMPD"
}

# bench_tfidf_on INPUT: the tfidf benchmark on a folder or a JSONL file.
bench_tfidf_on() {
	input=$1
	if [ -d "$input" ]; then
		text_bytes=$(find "$input" -name '*.txt' -exec cat {} + | wc -c)
	else
		text_bytes=$(wc -c < "$input")
	fi
	echo "input: $input ($text_bytes bytes)"
	for ngram in 1 2; do
		if [ "$have_sklearn" = 1 ]; then
			measure /usr/bin/python3 scripts/bench_sklearn.py "$input" "$ngram"
			sk_wall=$WALL sk_rss=$RSS
			echo "scikit-learn TfidfVectorizer ngram 1:$ngram: $(awk '{ printf "%s docs, %s terms, %s nonzeros", $2, $3, $4 }' "$TMPD/stdout"), ${sk_wall} s, peak ${sk_rss} KB"
		fi
		for threads in 1 2; do
			measure "$TERMDRIFT" tfidf -i "$input" -o "$TMPD/out" --tokenizer sklearn --stopwords none \
				--no-boilerplate --dedup off --ngram-across-sentences --ngram "1:$ngram" \
				--threads "$threads" -q --outputs tfidf.mtx
			line="termdrift tfidf ngram 1:$ngram, $threads thread(s): ${WALL} s, peak ${RSS} KB, $(awk -v b="$text_bytes" -v s="$WALL" 'BEGIN { printf "%.1f MB/s", b / 1e6 / s }')"
			if [ "$have_sklearn" = 1 ]; then
				line="$line; $(awk -v a="$sk_wall" -v b="$WALL" -v ra="$sk_rss" -v rb="$RSS" 'BEGIN { printf "%.1fx faster than scikit-learn, %.2f of its memory", a / b, rb / ra }')"
			fi
			echo "$line"
		done
	done
}

prepare
bench_wc
bench_tokenize
bench_tfidf
