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
# BENCH_TIMES (how many copies of the corpus; default 10), BENCH_ONLY (some of
# wc tokenize tfidf cooc topics; default all), GLOVE_DIR (a GloVe build, for cooc),
# BENCH_RUNS (runs of each whole-program command, the median reported; default 3).
set -eu

TERMDRIFT=${TERMDRIFT:-build/termdrift}
BENCH_DIR=${BENCH_DIR:-build/bench}
TIMES=${BENCH_TIMES:-10}
RUNS=${BENCH_RUNS:-3}
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

# median WALLS...: the median of the numbers.
median() {
	printf '%s\n' "$@" | sort -n | awk '{ w[NR] = $1 } END { print w[int((NR + 1) / 2)] }'
}

# measure_once COMMAND...: one run of it (FRESH as for measure): ONE_WALL
# its wall seconds, ONE_RSS its peak in KB, from /usr/bin/time -v.
measure_once() {
	[ -n "${FRESH:-}" ] && rm -rf "$FRESH"
	/usr/bin/time -v "$@" > "$TMPD/stdout" 2> "$TMPD/time" || { cat "$TMPD/time" >&2; return 1; }
	ONE_RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMPD/time")
	ONE_WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$TMPD/time")
}

# A command run RUNS times (BENCH_RUNS, default 3; this virtual machine's
# timings vary by up to a third from one run to the next): WALL the median of
# the wall seconds, WALLS all of them, RSS the largest peak in KB, from
# /usr/bin/time -v; the command's output of the last run in $TMPD/stdout.
# FRESH, when set, is a folder removed before each run (untimed): every run
# then writes a new output folder, as the first did, instead of replacing
# the previous run's files (which costs the kernel's freeing of their pages).
measure() {
	WALLS='' RSS=0
	run=0
	while [ "$run" -lt "$RUNS" ]; do
		measure_once "$@" || return 1
		[ "$ONE_RSS" -gt "$RSS" ] && RSS=$ONE_RSS
		WALLS="$WALLS${WALLS:+ }$ONE_WALL"
		run=$((run + 1))
	done
	# shellcheck disable=SC2086
	WALL=$(median $WALLS)
}

# "WALL s", and the runs when there were more than one.
wall_text() {
	if [ "$RUNS" -gt 1 ]; then
		echo "$WALL s (median of $WALLS)"
	else
		echo "$WALL s"
	fi
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
# The runs alternate (scikit-learn, termdrift on one thread, on two; RUNS
# times), so that a slower or faster spell of this virtual machine weighs
# on both sides of a ratio alike: measured one after the other, scikit-learn
# took 5.1 s in one run of the benchmark and 7.5 s in the next.
bench_tfidf_on() {
	input=$1
	if [ -d "$input" ]; then
		text_bytes=$(find "$input" -name '*.txt' -exec cat {} + | wc -c)
	else
		text_bytes=$(wc -c < "$input")
	fi
	echo "input: $input ($text_bytes bytes)"
	for ngram in 1 2; do
		sk_walls='' td_walls1='' td_walls2='' sk_rss=0 td_rss1=0 td_rss2=0
		run=0
		while [ "$run" -lt "$RUNS" ]; do
			if [ "$have_sklearn" = 1 ]; then
				measure_once /usr/bin/python3 scripts/bench_sklearn.py "$input" "$ngram"
				sk_walls="$sk_walls${sk_walls:+ }$ONE_WALL"
				[ "$ONE_RSS" -gt "$sk_rss" ] && sk_rss=$ONE_RSS
				sk_out=$(cat "$TMPD/stdout")
			fi
			for threads in 1 2; do
				FRESH="$TMPD/out"
				measure_once "$TERMDRIFT" tfidf -i "$input" -o "$TMPD/out" --tokenizer sklearn --stopwords none \
					--no-boilerplate --dedup off --ngram-across-sentences --ngram "1:$ngram" \
					--threads "$threads" -q --outputs tfidf.mtx
				FRESH=
				if [ "$threads" = 1 ]; then
					td_walls1="$td_walls1${td_walls1:+ }$ONE_WALL"
					[ "$ONE_RSS" -gt "$td_rss1" ] && td_rss1=$ONE_RSS
				else
					td_walls2="$td_walls2${td_walls2:+ }$ONE_WALL"
					[ "$ONE_RSS" -gt "$td_rss2" ] && td_rss2=$ONE_RSS
				fi
			done
			run=$((run + 1))
		done
		if [ "$have_sklearn" = 1 ]; then
			# shellcheck disable=SC2086
			sk_wall=$(median $sk_walls)
			echo "scikit-learn TfidfVectorizer ngram 1:$ngram: $(echo "$sk_out" | awk '{ printf "%s docs, %s terms, %s nonzeros", $2, $3, $4 }'), ${sk_wall} s (median of $sk_walls), peak ${sk_rss} KB"
		fi
		for threads in 1 2; do
			if [ "$threads" = 1 ]; then
				WALLS=$td_walls1 RSS=$td_rss1
			else
				WALLS=$td_walls2 RSS=$td_rss2
			fi
			# shellcheck disable=SC2086
			WALL=$(median $WALLS)
			line="termdrift tfidf ngram 1:$ngram, $threads thread(s): $(wall_text), peak ${RSS} KB, $(awk -v b="$text_bytes" -v s="$WALL" 'BEGIN { printf "%.1f MB/s", b / 1e6 / s }')"
			if [ "$have_sklearn" = 1 ]; then
				line="$line; $(awk -v a="$sk_wall" -v b="$WALL" -v ra="$sk_rss" -v rb="$RSS" 'BEGIN { printf "%.1fx faster than scikit-learn, %.2f of its memory", a / b, rb / ra }')"
			fi
			echo "$line"
		done
	done
}

# termdrift cooc against GloVe's cooccur (window 10, 1/distance weights,
# symmetric, the whole vocabulary) on the same tokens: termdrift reads and
# tokenizes the speeches itself; GloVe gets termdrift's tokens as text, one
# sentence per line (a line of GloVe's input is one of termdrift's
# sentences).  GloVe is not fetched here: build it elsewhere
# (https://github.com/stanfordnlp/GloVe, make) and set GLOVE_DIR to its build
# folder, or this half is skipped.  Then the document scope (quanteda's
# fcm(context = "document"), which is not run here) on the speeches once.
bench_cooc() {
	prepare_folder
	TMPD=$(mktemp -d "${TMPDIR:-/tmp}/td-bench.XXXXXX")
	text_bytes=$(find "$FOLDER" -name '*.txt' -exec cat {} + | wc -c)
	td_args="-i $FOLDER --no-boilerplate --dedup off --window 10 --weighting harmonic -q --outputs cooc.mtx,vocab.csv"
	for threads in 1 2; do
		FRESH="$TMPD/td$threads"
		# shellcheck disable=SC2086
		measure "$TERMDRIFT" cooc $td_args --threads "$threads" -o "$TMPD/td$threads"
		FRESH=
		eval "td_wall$threads=\$WALL td_rss$threads=\$RSS"
		echo "termdrift cooc window 10 harmonic, $threads thread(s), reading and tokenizing included: $(wall_text), peak ${RSS} KB, $(awk -v b="$text_bytes" -v s="$WALL" 'BEGIN { printf "%.1f MB/s", b / 1e6 / s }')"
	done
	if [ -n "${GLOVE_DIR:-}" ] && [ -x "$GLOVE_DIR/cooccur" ] && /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
		"$TERMDRIFT" tokens -i "$FOLDER" --no-boilerplate --dedup off -q -o "$TMPD/tok"
		/usr/bin/python3 - "$TMPD/tok/tokens.csv" "$TMPD/corpus.txt" <<'PY'
import csv, sys
cur, line = None, []
with open(sys.argv[1], encoding="utf-8", newline="") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for r in csv.DictReader(f):
        key = (r["doc_id"], r["sentence"])
        if key != cur and line:
            out.write(" ".join(line) + "\n")
            line = []
        cur = key
        line.append(r["token"])
    if line:
        out.write(" ".join(line) + "\n")
PY
		"$GLOVE_DIR/vocab_count" -min-count 1 -verbose 0 < "$TMPD/corpus.txt" > "$TMPD/vocab.txt"
		measure sh -c "'$GLOVE_DIR/cooccur' -verbose 0 -symmetric 1 -window-size 10 -distance-weighting 1 -memory 4 -vocab-file '$TMPD/vocab.txt' -overflow-file '$TMPD/overflow' < '$TMPD/corpus.txt' > '$TMPD/glove.bin'"
		echo "GloVe cooccur, same tokens (already tokenized, one thread): $(wall_text), peak ${RSS} KB"
		echo "termdrift: $(awk -v g="$WALL" -v a="$td_wall1" -v b="$td_wall2" 'BEGIN { printf "%.1fx GloVe'"'"'s speed on one thread, %.1fx on two", g / a, g / b }')"
		/usr/bin/python3 scripts/bench_glove_compare.py "$TMPD/vocab.txt" "$TMPD/glove.bin" "$TMPD/td1"
	else
		echo "GloVe cooccur: SKIPPED (set GLOVE_DIR to a GloVe build folder, and python3-numpy for the check)"
	fi
	# every pair of distinct words of a document: quadratic in a document's
	# vocabulary, so on the speeches once (233 documents), not ten times
	for threads in 1 2; do
		FRESH="$TMPD/doc$threads"
		measure "$TERMDRIFT" cooc -i "$CORPUS" --no-boilerplate --dedup off --scope document -q --outputs cooc.mtx \
			--threads "$threads" -o "$TMPD/doc$threads"
		FRESH=
		echo "termdrift cooc --scope document on $CORPUS (233 speeches), $threads thread(s): $(wall_text), peak ${RSS} KB"
	done
	rm -rf "$TMPD"
}

# Topics and drift on the speeches (State of the Union once, 233 speeches):
# NMF k=20 beside scikit-learn's NMF on the same TF-IDF matrix (same NNDSVD
# start, 200 iterations each: tol 0), LDA k=20 (500 Gibbs sweeps) beside
# scikit-learn's variational LDA at about the same time, with each one's
# coherence; the whole drift analysis by year (drift + topics); and the
# post-war speeches against gensim's LdaSeqModel (one EM iteration).
bench_topics() {
	TMPD=$(mktemp -d "${TMPDIR:-/tmp}/td-bench.XXXXXX")
	common="-i $CORPUS --no-boilerplate --dedup off -q"
	manifest_value() {  # manifest_value FILE KEY: a param, count or stage time
		/usr/bin/python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
for part in ("parameters", "counts", "stage_seconds"):
    if sys.argv[2] in m.get(part, {}):
        print(m[part][sys.argv[2]])' "$1" "$2"
	}
	for threads in 1 2; do
		measure "$TERMDRIFT" topics $common --k 20 --max-iter 200 --tol 0 --threads "$threads" \
			--outputs tfidf.mtx,topic_summary.csv -o "$TMPD/nmf$threads"
		echo "termdrift topics NMF k=20, 200 iterations, $threads thread(s): $(wall_text) in all (reading included), " \
			"factorisation $(manifest_value "$TMPD/nmf$threads/manifest.json" topics) s, error" \
			"$(manifest_value "$TMPD/nmf$threads/manifest.json" reconstruction_error), peak ${RSS} KB"
	done
	if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
		set -- $(/usr/bin/python3 scripts/bench_nmf_sklearn.py "$TMPD/nmf1/tfidf.mtx" 20 200)
		echo "scikit-learn NMF k=20, 200 iterations, same matrix: $1 s (fit_transform), error $6"
		echo "termdrift NMF: $(awk -v s="$1" -v a="$(manifest_value "$TMPD/nmf1/manifest.json" topics)" \
			-v b="$(manifest_value "$TMPD/nmf2/manifest.json" topics)" 'BEGIN { printf "%.1fx scikit-learn on one thread, %.1fx on two", s / a, s / b }')"
	else
		echo "scikit-learn NMF and LDA: SKIPPED (python3-sklearn is not installed)"
	fi
	measure "$TERMDRIFT" topics $common --model lda --k 20 --iterations 500 --seed 1 -o "$TMPD/lda"
	lda_s=$(manifest_value "$TMPD/lda/manifest.json" topics)
	lda_tokens=$(manifest_value "$TMPD/lda/manifest.json" lda_tokens)
	echo "termdrift topics LDA k=20, 500 sweeps: $lda_s s sampling ($(awk -v t="$lda_tokens" -v s="$lda_s" 'BEGIN { printf "%.1f", 500 * t / s / 1e6 }') M tokens/s), mean coherence $(manifest_value "$TMPD/lda/manifest.json" mean_coherence), log-likelihood $(manifest_value "$TMPD/lda/manifest.json" log_likelihood)"
	if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
		"$TERMDRIFT" tf $common --outputs dtm.mtx -o "$TMPD/tf"
		set -- $(/usr/bin/python3 scripts/bench_lda_sklearn.py "$TMPD/tf/dtm.mtx" 20 16)
		echo "scikit-learn LDA k=20, batch, $6 iterations: $1 s, mean coherence $8 (perplexity $7)"
	fi
	# the whole drift analysis of the speeches by year: term drift (999
	# permutations per pair of years) and topic drift (NMF k=20)
	measure "$TERMDRIFT" drift $common --bin year --seed 1 -o "$TMPD/drift"
	drift_wall=$WALL drift_rss=$RSS
	measure "$TERMDRIFT" topics $common --bin year --k 20 --seed 1 -o "$TMPD/topics"
	echo "termdrift drift + topics (NMF k=20) by year on $CORPUS: $drift_wall s + $WALL s, peak $drift_rss / $RSS KB"
	# post-war speeches (1946 on) by year, against gensim's dynamic topic model
	# in 9 slices of 9 years, 10 topics, one EM iteration
	post=corpora/sotu-postwar
	if [ ! -d "$post" ]; then
		mkdir -p "$post.tmp"
		awk -F, 'NR == 1 || $2 >= 1946' "$CORPUS/manifest.csv" > "$post.tmp/manifest.csv"
		for f in $(awk -F, 'NR > 1 { print $1 }' "$post.tmp/manifest.csv"); do
			ln "$CORPUS/$f" "$post.tmp/$f" 2>/dev/null || cp "$CORPUS/$f" "$post.tmp/$f"
		done
		mv "$post.tmp" "$post"
	fi
	n_post=$(($(wc -l < "$post/manifest.csv") - 1))
	measure "$TERMDRIFT" drift -i "$post" --no-boilerplate --dedup off -q --bin year --seed 1 -o "$TMPD/post_drift"
	post_drift=$WALL
	measure "$TERMDRIFT" topics -i "$post" --no-boilerplate --dedup off -q --bin year --k 10 --seed 1 -o "$TMPD/post_topics"
	echo "termdrift drift + topics (NMF k=10) by year, $n_post post-war speeches: $post_drift s + $WALL s"
	if /usr/bin/python3 -c 'import gensim' 2>/dev/null; then
		"$TERMDRIFT" tokens -i "$post" --no-boilerplate --dedup off -q -o "$TMPD/post_tokens"
		measure /usr/bin/python3 scripts/bench_gensim_ldaseq.py "$TMPD/post_tokens/tokens.csv" "$post/manifest.csv" 10 9
		echo "$(cat "$TMPD/stdout") (wall $(wall_text), peak ${RSS} KB)"
	else
		echo "gensim LdaSeqModel: SKIPPED (apt-get install python3-gensim)"
	fi
	rm -rf "$TMPD"
}

prepare
for bench in ${BENCH_ONLY:-wc tokenize tfidf cooc topics}; do
	"bench_$bench"
done
