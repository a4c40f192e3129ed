#!/bin/sh
# End-to-end tests: run the termdrift binary on files in tests/ and compare
# its outputs byte for byte with tests/e2e/expected/, and its errors with the
# exact one-line messages below.  TERMDRIFT names the binary (make sets it).
# UPDATE=1 rewrites the expected files from the current outputs (review the
# diff before committing).
set -u
cd "$(dirname "$0")/../.."
TD=${TERMDRIFT:-build/termdrift}
EXP=tests/e2e/expected
TMP=$(mktemp -d /tmp/termdrift-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
failures=0
passes=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }

# same_file EXPECTED ACTUAL: byte-for-byte comparison (or update).
same_file() {
	if [ "${UPDATE:-0}" = 1 ]; then
		mkdir -p "$(dirname "$1")" && cp "$2" "$1"
		pass
	elif cmp -s "$1" "$2"; then
		pass
	else
		fail "$2 differs from $1"
		diff -u "$1" "$2" | head -20
	fi
}

# expect_error NAME STATUS MESSAGE -- ARGS...: the command fails with STATUS,
# prints exactly MESSAGE on stderr and leaves its output folder without files.
expect_error() {
	name=$1 status=$2 message=$3
	shift 4
	out="$TMP/$name"
	"$TD" "$@" -o "$out" >"$TMP/$name.stdout" 2>"$TMP/$name.stderr"
	got=$?
	if [ "$got" -ne "$status" ]; then
		fail "$name: exit status $got, expected $status"
	elif [ "$(cat "$TMP/$name.stderr")" != "$message" ]; then
		fail "$name: stderr was '$(cat "$TMP/$name.stderr")', expected '$message'"
	elif [ -d "$out" ] && [ -n "$(ls -A "$out")" ]; then
		fail "$name: left files behind: $(ls -A "$out" | tr '\n' ' ')"
	else
		pass
	fi
}

# run_ok NAME ARGS...: the command succeeds; its output folder is $TMP/NAME.
run_ok() {
	name=$1
	shift
	if ! "$TD" "$@" -o "$TMP/$name" 2>"$TMP/$name.stderr"; then
		fail "$name: exit status $?: $(cat "$TMP/$name.stderr")"
		return 1
	fi
	pass
}

# --- the seeds corpus -----------------------------------------------------
if run_ok seeds ingest -i data/seeds --today 2026-01-01; then
	for f in docs.csv boilerplate.csv duplicates.csv; do
		same_file "$EXP/seeds/$f" "$TMP/seeds/$f"
	done
	for key in '"command": "ingest"' '"sha256"' '"docs.csv"' '"utf8proc"'; do
		grep -q "$key" "$TMP/seeds/manifest.json" && pass || fail "seeds: manifest.json lacks $key"
	done
	ls -A "$TMP/seeds" | grep -q '\.tmp\.' && fail "seeds: temporary files left" || pass
fi

# --- tokens on standard output, JSON Lines input -------------------------------
if "$TD" tokens -i tests/e2e/data/small.jsonl -o - --today 2026-01-01 >"$TMP/tokens.csv" 2>"$TMP/tokens.stderr"; then
	same_file "$EXP/small/tokens.csv" "$TMP/tokens.csv"
	same_file "$EXP/small/tokens.stderr" "$TMP/tokens.stderr"
else
	fail "tokens -o -: exit status $?"
fi

# --- a mixed folder: text, binary, manifest ------------------------------------
if run_ok mixed ingest -i tests/e2e/data/mixed --today 2026-01-01 -q; then
	same_file "$EXP/mixed/docs.csv" "$TMP/mixed/docs.csv"
fi

# --- absurd dates are kept and flagged, unparsable ones warned -------------------
if run_ok dates ingest -i tests/e2e/data/dates.jsonl --today 2026-01-01; then
	[ "$(cut -d, -f1,3,14 "$TMP/dates/docs.csv" | tr '\n' ' ')" = \
		"doc_id,date,status ancient,0102-02-02,date_suspect future,2028-10-04,date_suspect bad,,no_date fine,2025-02-26,ok " ] &&
		pass || fail "dates: $(cut -d, -f1,3,14 "$TMP/dates/docs.csv" | tr '\n' ' ')"
	grep -q "line 3: cannot parse the date '2025-02-30'" "$TMP/dates.stderr" && pass || fail "dates: no warning for 2025-02-30"
fi

# --- tf-idf: the same bytes for any number of threads ---------------------------
if run_ok tfidf1 tfidf -i data/seeds --today 2026-01-01 --ngram 1:2 --threads 1 &&
	run_ok tfidf3 tfidf -i data/seeds --today 2026-01-01 --ngram 1:2 --threads 3; then
	for f in docs.csv vocab.csv tf.csv dtm.mtx tfidf.csv tfidf.mtx top_terms_by_doc.csv \
		top_terms_by_day.csv top_terms_by_day_wide.csv; do
		same_file "$TMP/tfidf1/$f" "$TMP/tfidf3/$f"
	done
	same_file "$EXP/seeds/top_terms_by_day.csv" "$TMP/tfidf1/top_terms_by_day.csv"
	same_file "$EXP/seeds/top_terms_by_day_wide.csv" "$TMP/tfidf1/top_terms_by_day_wide.csv"
fi
# Empty documents keep an all-zero row: 4 rows in dtm.mtx for small.jsonl.
if run_ok small_tf tf -i tests/e2e/data/small.jsonl --today 2026-01-01; then
	[ "$(sed -n 3p "$TMP/small_tf/dtm.mtx" | cut -d' ' -f1)" = 4 ] && pass || fail "dtm.mtx rows: $(sed -n 3p "$TMP/small_tf/dtm.mtx")"
fi
expect_error all_pruned 1 "termdrift: no terms remain after pruning (min_df, max_df, max_features)" -- \
	tf -i tests/e2e/data/small.jsonl --min-df 4 -q
expect_error df_order 1 "termdrift: max_df corresponds to fewer documents (1) than min_df (2)" -- \
	tf -i tests/e2e/data/small.jsonl --min-df 2 --max-df 1 -q
expect_error ngram_order 2 "termdrift: tf: invalid value '3:1' for --ngram (expected MIN:MAX with 1 <= MIN <= MAX <= 3)" -- \
	tf -i data/seeds --ngram 3:1
expect_error weight_in_tf 2 "termdrift: tf: unknown option '--sublinear' (see termdrift tf --help)" -- \
	tf -i data/seeds --sublinear

# --- bad input gets one clear line and leaves nothing --------------------------
expect_error missing 1 "termdrift: cannot open 'tests/e2e/data/nope': No such file or directory" -- \
	ingest -i tests/e2e/data/nope
mkdir -p "$TMP/empty_in"
expect_error empty_folder 1 "termdrift: no input files in '$TMP/empty_in'" -- ingest -i "$TMP/empty_in"
expect_error no_text_column 1 "termdrift: 'tests/e2e/data/notext.csv': no column 'text' (columns: id, date, body)" -- \
	ingest -i tests/e2e/data/notext.csv
expect_error strict_jsonl 1 "termdrift: 'tests/e2e/data/bad.jsonl' line 2: not valid JSON: '[' or '{' expected near 'this'" -- \
	tokens -i tests/e2e/data/bad.jsonl --strict
expect_error bad_option 2 "termdrift: ingest: unknown option '--frobnicate' (see termdrift ingest --help)" -- \
	ingest -i data/seeds --frobnicate
expect_error bad_dedup 2 "termdrift: ingest: invalid value 'maybe' for --dedup (expected off, mark or drop)" -- \
	ingest -i data/seeds --dedup maybe
"$TD" tokens -i data/seeds --stem klingon -o "$TMP/stem" 2>"$TMP/stem.stderr"
[ $? -eq 1 ] && grep -q "^termdrift: unknown stemmer language 'klingon' (available: .*english" "$TMP/stem.stderr" &&
	[ "$(wc -l <"$TMP/stem.stderr")" -eq 1 ] && [ ! -e "$TMP/stem/docs.csv" ] && pass ||
	fail "unknown stemmer: $(cat "$TMP/stem.stderr")"

"$TD" frobnicate >/dev/null 2>"$TMP/cmd.stderr"
[ $? -eq 2 ] && grep -qx "termdrift: 'frobnicate' is not a termdrift command (see termdrift --help)" "$TMP/cmd.stderr" && pass ||
	fail "unknown command"
"$TD" --version | grep -q '^termdrift [0-9]' && pass || fail "--version"
"$TD" ingest --help | grep -q -- '--dedup MODE' && pass || fail "ingest --help"

# A failed run keeps an earlier complete result.
mkdir -p "$TMP/keep" && cp "$EXP/seeds/docs.csv" "$TMP/keep/docs.csv"
"$TD" ingest -i tests/e2e/data/bad.jsonl --strict -o "$TMP/keep" 2>/dev/null
cmp -s "$EXP/seeds/docs.csv" "$TMP/keep/docs.csv" && [ "$(ls -A "$TMP/keep")" = docs.csv ] && pass ||
	fail "a failed run changed an earlier result: $(ls -A "$TMP/keep")"

echo "e2e: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
