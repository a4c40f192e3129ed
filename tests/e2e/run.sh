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

# same_inputs NAME: every input in $TMP/NAME/manifest.json has the size and
# checksum of the file on disk (the reader hashes the bytes as it reads them),
# of the kind the run's parameters name (xxh128: as `xxhsum -H2` prints it,
# from Debian's xxhash; sha256: as Python's hashlib computes it), and each is
# listed once.
same_inputs() {
	[ -x /usr/bin/python3 ] || return 0
	/usr/bin/python3 - "$TMP/$1/manifest.json" <<'PY' && pass || fail "$1: manifest.json inputs are not the files"
import hashlib, json, shutil, subprocess, sys
manifest = json.load(open(sys.argv[1]))
kind = manifest["parameters"]["checksum"]
inputs = manifest["inputs"]
check = kind == "sha256" or shutil.which("xxhsum")
if not check:
    print("  (xxhsum is not installed, so the xxh128 checksums were not checked: apt-get install xxhash)")
bad = []
for i in inputs:
    data = open(i["path"], "rb").read()
    if kind == "sha256":
        want = hashlib.sha256(data).hexdigest()
    elif check:
        want = subprocess.run(["xxhsum", "-H2", "-"], input=data, capture_output=True,
                              check=True).stdout.split()[0].decode()
    else:
        want = i.get(kind)
    if i["bytes"] != len(data) or [k for k in ("sha256", "xxh128") if k in i] != [kind] or i[kind] != want:
        bad.append(i["path"])
paths = [i["path"] for i in inputs]
bad += ["%s (listed %d times)" % (p, paths.count(p)) for p in sorted(set(paths)) if paths.count(p) > 1]
print("\n".join("  " + b for b in bad)) if bad else None
sys.exit(1 if bad or not inputs else 0)
PY
}

# --- the seeds corpus -----------------------------------------------------
if run_ok seeds ingest -i data/seeds --today 2026-01-01; then
	for f in docs.csv boilerplate.csv duplicates.csv; do
		same_file "$EXP/seeds/$f" "$TMP/seeds/$f"
	done
	for key in '"command": "ingest"' '"xxh128"' '"checksum": "xxh128"' '"docs.csv"' '"utf8proc"' '"xxhash"'; do
		grep -q "$key" "$TMP/seeds/manifest.json" && pass || fail "seeds: manifest.json lacks $key"
	done
	same_inputs seeds
	ls -A "$TMP/seeds" | grep -q '\.tmp\.' && fail "seeds: temporary files left" || pass
fi

# --- malloc in huge pages: started again with GLIBC_TUNABLES, unless it is set ---
# (not in a sanitizer build, whose allocator is the sanitizer's: TD_SAN=1)
if env -u GLIBC_TUNABLES "$TD" tf -i data/seeds -o "$TMP/tunables" -q 2>"$TMP/tunables.stderr" &&
	GLIBC_TUNABLES= "$TD" tf -i data/seeds -o "$TMP/tunables_user" -q 2>>"$TMP/tunables.stderr"; then
	expect='"glibc_tunables": "glibc.malloc.hugetlb=1"'
	[ "${TD_SAN:-0}" = 1 ] && expect='"glibc_tunables": null'
	grep -q "$expect" "$TMP/tunables/manifest.json" && pass ||
		fail "tunables: manifest.json lacks $expect"
	grep -q '"glibc_tunables": ""' "$TMP/tunables_user/manifest.json" && pass ||
		fail "tunables: the user's GLIBC_TUNABLES was not kept"
	same_file "$TMP/tunables/vocab.csv" "$TMP/tunables_user/vocab.csv"
else
	fail "tunables: $(cat "$TMP/tunables.stderr")"
fi
# run by the dynamic loader itself (/proc/self/exe is the loader then): no
# second start, which would have the loader load "tf"
interp=$(readelf -l "$TD" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
if [ -n "$interp" ] && [ "${TD_SAN:-0}" != 1 ]; then
	if env -u GLIBC_TUNABLES "$interp" "$TD" tf -i data/seeds -o "$TMP/tunables_ld" -q 2>"$TMP/tunables_ld.stderr"; then
		grep -q '"glibc_tunables": null' "$TMP/tunables_ld/manifest.json" && pass ||
			fail "tunables: started again under the dynamic loader"
		same_file "$TMP/tunables/vocab.csv" "$TMP/tunables_ld/vocab.csv"
	else
		fail "tunables: run by the dynamic loader: $(cat "$TMP/tunables_ld.stderr")"
	fi
fi

# --- a limit on address space (ulimit -v): a part's count arrays, which
# take 128 MB of address space each at first, start small instead and give
# the same matrix (not in a sanitizer build, which reserves terabytes) ---
if [ "${TD_SAN:-0}" != 1 ]; then
	if "$TD" tfidf -i data/seeds -o "$TMP/as_free" --threads 2 --ngram 1:2 -q 2>"$TMP/as.stderr" &&
		(ulimit -v 250000 && "$TD" tfidf -i data/seeds -o "$TMP/as_limited" --threads 2 --ngram 1:2 -q) \
			2>>"$TMP/as.stderr"; then
		same_file "$TMP/as_free/tfidf.mtx" "$TMP/as_limited/tfidf.mtx"
	else
		fail "address space limit: $(cat "$TMP/as.stderr")"
	fi
fi

# --- tokens on standard output, JSON Lines input -------------------------------
if "$TD" tokens -i tests/e2e/data/small.jsonl -o - --today 2026-01-01 >"$TMP/tokens.csv" 2>"$TMP/tokens.stderr"; then
	same_file "$EXP/small/tokens.csv" "$TMP/tokens.csv"
	same_file "$EXP/small/tokens.stderr" "$TMP/tokens.stderr"
else
	fail "tokens -o -: exit status $?"
fi

# --- a mixed folder: text, binary, manifest ------------------------------------
if run_ok mixed ingest -i tests/e2e/data/mixed --today 2026-01-01 -q --checksum sha256; then
	same_file "$EXP/mixed/docs.csv" "$TMP/mixed/docs.csv"
	same_inputs mixed
	grep -q '"sha256"' "$TMP/mixed/manifest.json" && ! grep -q '"xxh128"' "$TMP/mixed/manifest.json" &&
		pass || fail "mixed: --checksum sha256 did not give SHA-256 checksums"
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
	same_inputs tfidf1
	same_file "$EXP/seeds/top_terms_by_day.csv" "$TMP/tfidf1/top_terms_by_day.csv"
	same_file "$EXP/seeds/top_terms_by_day_wide.csv" "$TMP/tfidf1/top_terms_by_day_wide.csv"
fi
# One thread rewrites its counts in place into the matrix; more merge their
# parts: the same bytes, for n-grams found by their words' ids (trigrams by
# their bigram's), pruned or not.
for spec in "2:3 --min-df 2" "1:3 --max-features 300 --ngram-across-sentences"; do
	ng=ngram$(echo "$spec" | tr -dc '0-9')
	# shellcheck disable=SC2086
	if run_ok "${ng}_t1" tfidf -i data/seeds --today 2026-01-01 -q --ngram $spec --threads 1 &&
		run_ok "${ng}_t2" tfidf -i data/seeds --today 2026-01-01 -q --ngram $spec --threads 2; then
		for f in vocab.csv dtm.mtx tfidf.mtx; do
			same_file "$TMP/${ng}_t1/$f" "$TMP/${ng}_t2/$f"
		done
	fi
done
# JSON Lines records are parsed on the workers: the same bytes, the same
# warnings in input order and the same first error for any --threads.  Line
# 150 is a 2.8 MB record without a text field (slow to parse) and line 151 is
# not JSON (found at once): under --strict (lines 7 and 70 mended), the error
# of line 150 comes first in input order and must win, whichever worker
# finishes first.  (--no-boilerplate: the boilerplate pass reads every record
# first, on the calling thread, and would find the error itself.)
jl="$TMP/threads.jsonl"
{
	i=1
	while [ $i -le 200 ]; do
		case $i in
		7) echo '{"id": "bad-date", "date": "2025-02-30", "text": "a date that does not exist"}' ;;
		70) echo '{"id": "no-text"}' ;;
		150) printf '{"id": "big", "body": "'; yes 'peace and war' | head -n 200000 | tr '\n' ' '; echo '"}' ;;
		151) echo 'not json' ;;
		*) printf '{"id": "r%d", "date": "2025-01-%02d", "text": "record %d on peace, war and the union of %d states"}\n' \
			$i $((i % 28 + 1)) $i $((i % 13)) ;;
		esac
		i=$((i + 1))
	done
} > "$jl"
sed -e '7s/.*/{"id": "r7", "text": "mended"}/' -e '70s/.*/{"id": "r70", "text": "mended"}/' "$jl" > "$TMP/threads_strict.jsonl"
for threads in 1 2 3; do
	expect_error "jsonl_strict_t$threads" 1 "termdrift: '$TMP/threads_strict.jsonl' line 150: no field 'text'" -- \
		tfidf -i "$TMP/threads_strict.jsonl" --today 2026-01-01 --strict --no-boilerplate --threads $threads
	run_ok "jsonl_t$threads" tfidf -i "$jl" --today 2026-01-01 --ngram 1:2 --threads $threads
done
[ "$(cat "$TMP/jsonl_t1.stderr")" = "termdrift: warning: '$jl' line 7: cannot parse the date '2025-02-30'; the document has no date
termdrift: warning: '$jl' line 70: no field 'text'; record listed as malformed
termdrift: warning: '$jl' line 150: no field 'text'; record listed as malformed
termdrift: warning: '$jl' line 151: not valid JSON: '[' or '{' expected near 'not json'; record listed as malformed" ] &&
	pass || fail "jsonl warnings: $(cat "$TMP/jsonl_t1.stderr")"
for threads in 2 3; do
	same_file "$TMP/jsonl_t1.stderr" "$TMP/jsonl_t$threads.stderr"
	for f in docs.csv vocab.csv tf.csv dtm.mtx tfidf.csv tfidf.mtx top_terms_by_doc.csv top_terms_by_day.csv; do
		same_file "$TMP/jsonl_t1/$f" "$TMP/jsonl_t$threads/$f"
	done
done
same_inputs jsonl_t2
expect_error strict_jsonl_t1 1 "termdrift: 'tests/e2e/data/bad.jsonl' line 2: not valid JSON: '[' or '{' expected near 'this is not json'" -- \
	tokens -i tests/e2e/data/bad.jsonl --strict --no-boilerplate --threads 1
expect_error strict_jsonl_t2 1 "termdrift: 'tests/e2e/data/bad.jsonl' line 2: not valid JSON: '[' or '{' expected near 'this is not json'" -- \
	tokens -i tests/e2e/data/bad.jsonl --strict --no-boilerplate --threads 2

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
expect_error strict_jsonl 1 "termdrift: 'tests/e2e/data/bad.jsonl' line 2: not valid JSON: '[' or '{' expected near 'this is not json'" -- \
	tokens -i tests/e2e/data/bad.jsonl --strict
expect_error bad_option 2 "termdrift: ingest: unknown option '--frobnicate' (see termdrift ingest --help)" -- \
	ingest -i data/seeds --frobnicate
expect_error bad_dedup 2 "termdrift: ingest: invalid value 'maybe' for --dedup (expected off, mark or drop)" -- \
	ingest -i data/seeds --dedup maybe
expect_error bad_checksum 2 "termdrift: tfidf: invalid value 'md5' for --checksum (expected xxh128 or sha256)" -- \
	tfidf -i data/seeds --checksum md5
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

# --- co-occurrences: the same bytes for any threads and memory budget ----------
mkdir -p "$TMP/runs"
if run_ok cooc1 cooc -i data/seeds --today 2026-01-01 --weighting harmonic --threads 1 -q &&
	run_ok cooc3 cooc -i data/seeds --today 2026-01-01 --weighting harmonic --threads 8 --memory 0.001 \
		--tmp-dir "$TMP/runs" -q; then
	[ -z "$(ls -A "$TMP/runs")" ] && pass || fail "cooc: runs left in the temporary folder"
	for f in cooc.csv cooc.mtx neighbors.csv neighbors_by_day.csv; do
		cmp -s "$TMP/cooc1/$f" "$TMP/cooc3/$f" && pass || fail "cooc: $f differs with 8 threads and 1 MB"
	done
	grep -q '"cooc_runs_spilled": [1-9]' "$TMP/cooc3/manifest.json" && pass || fail "cooc: 1 MB did not spill"
fi
# --memory bounds the process: below what the corpus holds, a warning and the minimum
"$TD" cooc -i data/seeds --today 2026-01-01 --weighting harmonic --memory 0.001 --outputs cooc.csv -o "$TMP/cooc_held" 2>"$TMP/cooc_held.stderr"
[ $? -eq 0 ] && grep -q "^termdrift: warning: --memory 0.001 GB is less than the [0-9]* MB the corpus already holds: counting with the 1 MB minimum, so the process will use more than --memory$" \
	"$TMP/cooc_held.stderr" && cmp -s "$TMP/cooc1/cooc.csv" "$TMP/cooc_held/cooc.csv" && pass ||
	fail "cooc --memory below what is held: $(cat "$TMP/cooc_held.stderr")"
# documents out of date order: the same neighbours by day (grouped by bin)
tac_seeds="$TMP/seeds_reversed.jsonl"
/usr/bin/awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }' tests/e2e/data/small.jsonl > "$tac_seeds"
if run_ok cooc_fwd cooc -i tests/e2e/data/small.jsonl --today 2026-01-01 --top-terms 5 -q &&
	run_ok cooc_rev cooc -i "$tac_seeds" --today 2026-01-01 --top-terms 5 -q; then
	[ -s "$TMP/cooc_fwd/neighbors_by_day.csv" ] && [ "$(wc -l < "$TMP/cooc_fwd/neighbors_by_day.csv")" -gt 1 ] &&
		cmp -s "$TMP/cooc_fwd/neighbors_by_day.csv" "$TMP/cooc_rev/neighbors_by_day.csv" && pass ||
		fail "cooc: neighbors_by_day.csv depends on the order of the documents"
fi
expect_error cooc_window 2 "termdrift: cooc: invalid value '0' for --window (expected a number of tokens from 1 to 20)" -- \
	cooc -i data/seeds --window 0
expect_error cooc_ngram 2 "termdrift: cooc: co-occurrences are of words: --ngram must start at 1" -- \
	cooc -i data/seeds --ngram 2:2
# a budget too small, or runs that cannot be written: one line, no cooc.csv
for case in "memory|--memory 0.0001|termdrift: a memory budget of 0.102 MB cannot hold a run: at least 1 MB (--memory 0.000976562) is needed" \
	"tmpdir|--memory 0.001 --threads 8 --tmp-dir /nonexistent|termdrift: cannot create a temporary folder in '/nonexistent': No such file or directory"; do
	name=${case%%|*} rest=${case#*|}
	args=${rest%%|*} message=${rest#*|}
	mkdir -p "$TMP/runs_$name"  # runs go to TMPDIR unless --tmp-dir: nothing may stay there
	# shellcheck disable=SC2086
	TMPDIR="$TMP/runs_$name" "$TD" cooc -i data/seeds --today 2026-01-01 -q $args -o "$TMP/cooc_$name" \
		2>"$TMP/cooc_$name.stderr"
	[ $? -eq 1 ] && [ "$(cat "$TMP/cooc_$name.stderr")" = "$message" ] && [ ! -e "$TMP/cooc_$name/cooc.csv" ] &&
		[ -z "$(ls -A "$TMP/runs_$name")" ] && pass ||
		fail "cooc $name: $(cat "$TMP/cooc_$name.stderr")"
done
"$TD" cooc -i data/seeds --today 2026-01-01 --target Backstop,zzzq -o "$TMP/cooc_target" 2>"$TMP/cooc_target.stderr"
[ $? -eq 0 ] && [ "$(cat "$TMP/cooc_target.stderr")" = "termdrift: warning: target term 'zzzq' is not in the vocabulary" ] &&
	grep -q '"targets_missing": "zzzq"' "$TMP/cooc_target/manifest.json" &&
	[ "$(cut -d, -f1 "$TMP/cooc_target/neighbors.csv" | sort -u | tr '\n' ' ')" = "backstop term " ] && pass ||
	fail "cooc --target: $(cat "$TMP/cooc_target.stderr")"

# a full temporary disk: one line, the runs removed, no cooc.csv (a 32 KB
# tmpfs, far less than the runs of the seeds with 1 MB; where this process
# may not mount one, skipped and said so)
mkdir -p "$TMP/tinyfs"
if mount -t tmpfs -o size=32k tmpfs "$TMP/tinyfs" 2>/dev/null; then
	"$TD" cooc -i data/seeds --today 2026-01-01 -q --memory 0.001 --threads 8 --tmp-dir "$TMP/tinyfs" \
		-o "$TMP/cooc_full" 2>"$TMP/cooc_full.stderr"
	[ $? -eq 1 ] && grep -q "^termdrift: cannot write '$TMP/tinyfs/termdrift-cooc\.[A-Za-z0-9]*/run-[0-9]*': No space left on device$" \
		"$TMP/cooc_full.stderr" && [ -z "$(ls -A "$TMP/tinyfs")" ] && [ ! -e "$TMP/cooc_full/cooc.csv" ] && pass ||
		fail "cooc on a full disk: $(cat "$TMP/cooc_full.stderr")"
	umount "$TMP/tinyfs"
else
	echo "e2e: full-disk check SKIPPED (cannot mount a tmpfs here)"
fi

# interrupted by a signal: temporaries removed, earlier complete outputs
# intact, exit status 128 + the signal.  The input is a named pipe held open
# by a writer that sends nothing, so the run is certainly in progress.
interrupt() {  # interrupt NAME SIGNAL STATUS ARGS...: run, signal it, check
	name=$1 sig=$2 want=$3
	shift 3
	rm -f "$TMP/$name.fifo" && mkfifo "$TMP/$name.fifo"
	sleep 5 > "$TMP/$name.fifo" &
	writer=$!
	"$TD" "$@" -i "$TMP/$name.fifo" -o "$TMP/$name" 2>"$TMP/$name.stderr" &
	pid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -n "$(ls -A "$TMP" | grep "^\.$name\.tmp-")$(ls -A "$TMP/$name" 2>/dev/null | grep '\.tmp\.')" ] && break
		sleep 0.1
	done
	kill "-$sig" "$pid"
	wait "$pid"
	got=$?
	kill "$writer" 2>/dev/null
	[ "$got" -eq "$want" ] && [ "$(cat "$TMP/$name.stderr")" = "termdrift: interrupted: temporary files removed" ] &&
		[ -z "$(ls -A "$TMP" | grep "^\.$name\.tmp-")" ] && [ -z "$(ls -A "$TMP/$name" | grep '\.tmp\.')" ] &&
		diff -r "$TMP/$name" "$TMP/$name.before" >/dev/null && pass ||
		fail "interrupted $*: status $got, $(cat "$TMP/$name.stderr")"
}
if "$TD" run analyses/seeds.ini --today 2026-01-01 --no-plots -q -o "$TMP/sig_run" &&
	"$TD" tfidf -i data/seeds --today 2026-01-01 -q -o "$TMP/sig_tfidf"; then
	cp -r "$TMP/sig_run" "$TMP/sig_run.before" && cp -r "$TMP/sig_tfidf" "$TMP/sig_tfidf.before"
	interrupt sig_run INT 130 run analyses/seeds.ini --today 2026-01-01 --no-plots -q
	interrupt sig_tfidf TERM 143 tfidf --today 2026-01-01 -q
fi

# --- termdrift drift and topics ------------------------------------------------
# drift: the tables byte for byte (their values are checked against numpy and
# scipy by tests/oracle/drift_reference.py), the undated document counted and
# warned about, a tracked term not in the vocabulary warned about and listed
"$TD" drift -i tests/e2e/data/drift.jsonl --today 2026-01-01 --permutations 99 --seed 3 --track peace,minerals,zzz \
	-o "$TMP/drift" 2>"$TMP/drift.stderr"
if [ $? -eq 0 ]; then
	for f in drift_by_day.csv term_trends.csv term_trends_wide.csv; do
		same_file "$EXP/drift/$f" "$TMP/drift/$f"
	done
	[ "$(cat "$TMP/drift.stderr")" = "termdrift: warning: 1 document without a date is left out of the drift tables (no_date in manifest.json)
termdrift: warning: tracked term 'zzz' is not in the vocabulary" ] && grep -q '"no_date": 1' "$TMP/drift/manifest.json" &&
		grep -q '"track_missing": "zzz"' "$TMP/drift/manifest.json" && pass || fail "drift warnings: $(cat "$TMP/drift.stderr")"
else
	fail "drift: exit status $?: $(cat "$TMP/drift.stderr")"
fi
# the same bytes for any number of threads, and --skip-empty-bins drops the gap
for threads in 1 3; do
	"$TD" drift -i tests/e2e/data/drift.jsonl --today 2026-01-01 --permutations 99 --seed 3 --track peace,minerals,zzz \
		--threads $threads -q -o "$TMP/drift_t$threads" &&
		cmp -s "$TMP/drift/drift_by_day.csv" "$TMP/drift_t$threads/drift_by_day.csv" &&
		cmp -s "$TMP/drift/term_trends.csv" "$TMP/drift_t$threads/term_trends.csv" && pass ||
		fail "drift --threads $threads differs"
done
"$TD" drift -i tests/e2e/data/drift.jsonl --today 2026-01-01 --skip-empty-bins -q -o "$TMP/drift_skip" &&
	[ "$(cut -d, -f1 "$TMP/drift_skip/drift_by_day.csv" | tr '\n' ' ')" = "date 2025-03-01 2025-03-03 2025-03-04 " ] && pass ||
	fail "drift --skip-empty-bins"
# one bin: nothing to compare, said once, the table still written
printf '{"id":"a","date":"2025-03-01","text":"Peace talks."}\n{"id":"b","date":"2025-03-01","text":"Minerals deal."}\n' \
	> "$TMP/one_day.jsonl"
"$TD" drift -i "$TMP/one_day.jsonl" --today 2026-01-01 -o "$TMP/drift_one" 2>"$TMP/drift_one.stderr"
[ $? -eq 0 ] && [ "$(cat "$TMP/drift_one.stderr")" = "termdrift: warning: all dated documents fall in one day bin (2025-03-01): drift has nothing to compare" ] &&
	[ "$(wc -l < "$TMP/drift_one/drift_by_day.csv")" -ge 2 ] && pass || fail "drift on one bin: $(cat "$TMP/drift_one.stderr")"
expect_error drift_smoothing 2 "termdrift: drift: invalid value '-1' for --smoothing (expected a number from 0 to 1e6)" -- \
	drift -i data/seeds --smoothing -1
expect_error drift_k 2 "termdrift: drift: unknown option '--k' (see termdrift drift --help)" -- drift -i data/seeds --k 3
# topics: k above the documents, a bad model; the same seed gives the same
# bytes, for any number of threads, NMF and LDA
expect_error topics_k 1 "termdrift: --k 9 is more than the 5 analysed documents" -- \
	topics -i data/seeds --today 2026-01-01 -q --k 9
expect_error topics_model 2 "termdrift: topics: invalid value 'plsa' for --model (expected nmf or lda)" -- \
	topics -i data/seeds --model plsa
# an iteration limit reached before the tolerance: a warning with the ratio
"$TD" topics -i data/seeds --today 2026-01-01 --k 4 --max-iter 3 -o "$TMP/topics_maxiter" 2>"$TMP/topics_maxiter.stderr"
[ $? -eq 0 ] && grep -q "^termdrift: warning: NMF stopped at --max-iter 3 before converging (last ratio [0-9.e-]*, --tol 0.0001)$" \
	"$TMP/topics_maxiter.stderr" && grep -q '"converged": false' "$TMP/topics_maxiter/manifest.json" && pass ||
	fail "topics --max-iter 3: $(cat "$TMP/topics_maxiter.stderr")"
for model in nmf lda; do
	for threads in 1 2; do
		"$TD" topics -i data/seeds --today 2026-01-01 -q --k 4 --model $model --iterations 200 --seed 7 \
			--threads $threads -o "$TMP/topics_${model}_$threads" ||
			fail "topics --model $model --threads $threads: exit status $?"
	done
	same=1
	for f in topics.csv topic_summary.csv doc_topics.csv topic_prevalence_by_day.csv topic_terms_by_day.csv topic_drift.csv; do
		cmp -s "$TMP/topics_${model}_1/$f" "$TMP/topics_${model}_2/$f" || same=0
	done
	[ $same = 1 ] && pass || fail "topics --model $model: threads 1 and 2 differ"
	# doc_topics.csv: every analysed document's shares sum to 1
	awk -F, 'NR > 1 { s[$1] += $3 } END { for (d in s) if (s[d] < 1 - 1e-9 || s[d] > 1 + 1e-9) bad = 1; exit bad }' \
		"$TMP/topics_${model}_1/doc_topics.csv" && [ "$(wc -l < "$TMP/topics_${model}_1/doc_topics.csv")" = 21 ] &&
		pass || fail "topics --model $model: doc_topics.csv rows do not sum to 1"
done

# --- termdrift run: a spec, the whole analysis, a folder complete or absent -----
# same_tree EXPECTED_DIR ACTUAL_DIR: every table of the run, byte for byte.
same_tree() {
	for f in "$2"/*.csv "$2"/*.mtx; do
		same_file "$1/$(basename "$f")" "$f"
	done
}
if run_ok run1 run analyses/seeds.ini --today 2026-01-01 --no-plots -q &&
	run_ok run2 run analyses/seeds.ini --today 2026-01-01 --no-plots -q; then
	same_tree "$EXP/run_seeds" "$TMP/run1"
	# the same spec twice: the same bytes
	for f in "$TMP"/run1/*.csv "$TMP"/run1/*.mtx; do
		cmp -s "$f" "$TMP/run2/$(basename "$f")" && pass || fail "run twice: $(basename "$f") differs"
	done
	# every file in manifest.json is there with the stated rows (data lines;
	# .mtx: entries), and every table written is in the manifest
	if [ -x /usr/bin/python3 ]; then
		/usr/bin/python3 - "$TMP/run1" <<'PY' && pass || fail "run: manifest.json does not match the files"
import json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
listed = set()
for o in m["outputs"]:
    path = os.path.join(d, o["file"])
    listed.add(o["file"])
    lines = open(path, encoding="utf-8").read().count("\n")
    if o["file"].endswith(".csv"):
        rows = lines - 1  # no table here has a line break inside a field
    else:
        rows = sum(1 for l in open(path) if not l.startswith("%")) - 1
    assert rows == o["rows"], (o["file"], rows, o["rows"])
assert m["spec"]["name"] == "seeds" and m["spec"]["sections"]["corpus"]["input"] == "data/seeds", m["spec"]
on_disk = {f for f in os.listdir(d) if f.endswith((".csv", ".mtx"))}
assert on_disk == {f for f in listed if "/" not in f}, on_disk ^ listed
PY
	fi
fi
# A second run replaces the folder as a whole: a file it does not write is gone.
if run_ok rerun run analyses/seeds.ini --today 2026-01-01 --no-plots -q; then
	touch "$TMP/rerun/stale.csv"
	"$TD" run analyses/seeds.ini --today 2026-01-01 --no-plots -q -o "$TMP/rerun" &&
		[ ! -e "$TMP/rerun/stale.csv" ] && [ -s "$TMP/rerun/tfidf.csv" ] &&
		[ -z "$(ls -A "$TMP" | grep '^\.rerun')" ] && pass || fail "run did not replace its folder"
fi
# command-line options after the spec win over its keys
if run_ok run_override run analyses/seeds.ini --today 2026-01-01 --no-plots -q --ngram 1:1 --top 3; then
	grep -q '"ngram": "1:1"' "$TMP/run_override/manifest.json" &&
		[ "$(grep -c '^000_696f8e2b83ff48fd,' "$TMP/run_override/top_terms_by_doc.csv")" = 3 ] &&
		! grep -q ' ' "$TMP/run_override/vocab.csv" && pass || fail "command-line options did not override the spec"
fi
# charts: drawn by gnuplot when it is there, listed in the manifest; without
# it, one warning and every table
if command -v gnuplot >/dev/null 2>&1; then
	if run_ok run_charts run analyses/seeds.ini --today 2026-01-01 -q; then
		for c in docs_by_day top_terms_by_day tfidf_heatmap cooc_neighbors neighbor_overlap drift_by_day topic_prevalence \
			rising_terms term_trends topic_terms_heatmap; do
			[ "$(head -c 4 "$TMP/run_charts/plots/$c.png" | od -An -c | tr -d ' ')" = '211PNG' ] &&
				grep -q "\"plots/$c.png\"" "$TMP/run_charts/manifest.json" && pass || fail "chart $c.png"
		done
	fi
	if run_ok run_svg run analyses/seeds.ini --today 2026-01-01 -q --svg; then
		grep -q '<svg' "$TMP/run_svg/plots/top_terms_by_day.svg" && [ ! -e "$TMP/run_svg/plots/docs_by_day.png" ] &&
			pass || fail "--svg charts"
	fi
else
	echo "e2e: chart checks SKIPPED (gnuplot is not installed)"
fi
PATH=/nonexistent "$TD" run analyses/seeds.ini --today 2026-01-01 -o "$TMP/run_nognuplot" >/dev/null 2>"$TMP/nognuplot.stderr"
[ $? -eq 0 ] && [ "$(cat "$TMP/nognuplot.stderr")" = "termdrift: warning: gnuplot is not installed: no charts (every table is written; install gnuplot-nox to draw them)" ] &&
	[ -s "$TMP/run_nognuplot/tfidf.csv" ] && [ ! -e "$TMP/run_nognuplot/plots" ] && pass ||
	fail "run without gnuplot: $(cat "$TMP/nognuplot.stderr")"

# no dated document: the by-day tables are empty (with their header), the
# by-document ones are whole, one warning, and no chart is attempted
"$TD" run analyses/seeds.ini -i tests/e2e/data/undated.jsonl --target peace --track peace --k 2 --today 2026-01-01 -o "$TMP/undated" \
	>/dev/null 2>"$TMP/undated.stderr"
[ $? -eq 0 ] && [ "$(wc -l < "$TMP/undated/top_terms_by_doc.csv")" -gt 2 ] &&
	[ "$(cat "$TMP/undated/top_terms_by_day.csv")" = "date,rank,term,tfidf" ] &&
	[ "$(cat "$TMP/undated/docs_by_day.csv")" = "date,n_docs,n_tokens" ] && [ ! -e "$TMP/undated/plots" ] &&
	[ "$(cat "$TMP/undated.stderr")" = "termdrift: warning: no analysed document has a date: nothing to bin by day; top_terms_by_day.csv is empty
termdrift: warning: no analysed document has a date: nothing to compare by day; the drift tables are empty
termdrift: warning: no analysed document has a date: nothing to compare by day; the topic tables by date are empty" ] &&
	[ "$(cat "$TMP/undated/drift_by_day.csv")" = "date,prev_date,n_docs,n_tokens,jsd,jsd_p_value,hellinger,cosine,jsd_from_first" ] &&
	grep -q '"no_date": 2' "$TMP/undated/manifest.json" && [ "$(wc -l < "$TMP/undated/doc_topics.csv")" = 5 ] &&
	pass || fail "run without dates: $(cat "$TMP/undated.stderr")"

# mistakes in a spec: one line naming the file, the line and the nearest key
mkdir -p "$TMP/specs"
printf '[corpus]\ninput = data/seeds\n[tokens]\nmin_df = 2\n' > "$TMP/specs/typo.ini"
expect_error run_typo 2 "termdrift: '$TMP/specs/typo.ini' line 4: unknown key 'min_df' in [tokens] (did you mean 'min-df'?)" -- \
	run "$TMP/specs/typo.ini"
printf '[corpus]\ninput = data/seeds\n[token]\n' > "$TMP/specs/section.ini"
expect_error run_section 2 "termdrift: '$TMP/specs/section.ini' line 3: unknown section 'token' (did you mean 'tokens'?)" -- \
	run "$TMP/specs/section.ini"
printf '[corpus]\ninput = data/seeds\nngram = 1:2\n' > "$TMP/specs/misplaced.ini"
expect_error run_misplaced 2 "termdrift: '$TMP/specs/misplaced.ini' line 3: 'ngram' belongs in [tokens], not [corpus]" -- \
	run "$TMP/specs/misplaced.ini"
printf '[corpus]\ninput = data/seeds\nstrict = maybe\n' > "$TMP/specs/flag.ini"
expect_error run_flag 2 "termdrift: '$TMP/specs/flag.ini' line 3: 'strict' takes true or false, not 'maybe'" -- \
	run "$TMP/specs/flag.ini"
printf '[corpus]\ninput = corpora/not-fetched\nfetch = scripts/fetch-sotu.sh\n' > "$TMP/specs/missing.ini"
expect_error run_missing 1 "termdrift: cannot open 'corpora/not-fetched': No such file or directory (fetch the corpus first: scripts/fetch-sotu.sh)" -- \
	run "$TMP/specs/missing.ini"
expect_error run_no_spec 1 "termdrift: cannot open spec '$TMP/specs/none.ini': No such file or directory" -- \
	run "$TMP/specs/none.ini"
# a spec's [corpus] checksum = sha256: the inputs' SHA-256 in manifest.json
printf '[corpus]\ninput = data/seeds\nchecksum = sha256\n' > "$TMP/specs/sha.ini"
if "$TD" run "$TMP/specs/sha.ini" --no-plots -q --today 2026-01-01 -o "$TMP/spec_sha" 2>"$TMP/spec_sha.stderr"; then
	pass
	grep -q '"checksum": "sha256"' "$TMP/spec_sha/manifest.json" && pass || fail "spec checksum = sha256 not recorded"
	same_inputs spec_sha
else
	fail "spec with checksum = sha256: $(cat "$TMP/spec_sha.stderr")"
fi
# an output folder that cannot be written, or is not ours, is refused whole
: > "$TMP/a_file"
"$TD" run analyses/seeds.ini --no-plots -q -o "$TMP/a_file/out" 2>"$TMP/unwritable.stderr"
[ $? -eq 1 ] && [ "$(wc -l < "$TMP/unwritable.stderr")" -eq 1 ] && [ ! -e "$TMP/a_file/out" ] && pass ||
	fail "unwritable output folder: $(cat "$TMP/unwritable.stderr")"
mkdir -p "$TMP/not_ours" && echo keep > "$TMP/not_ours/notes.txt"
"$TD" run analyses/seeds.ini --no-plots -q -o "$TMP/not_ours" 2>"$TMP/not_ours.stderr"
[ $? -eq 1 ] && [ "$(ls -A "$TMP/not_ours")" = notes.txt ] &&
	grep -q "holds files but no manifest.json" "$TMP/not_ours.stderr" && pass ||
	fail "a folder that is not a termdrift output was replaced: $(cat "$TMP/not_ours.stderr")"

# --- a messy corpus: encodings, markup, a 50 MB line, broken records ------------
# tests/e2e/make_messy.py writes the corpus (MESSY_BIG_MB: the long line's
# size, default 50; 8 under SAN=1) and what docs.csv must say of each
# document; the corpus is made here, never committed.  --bin year: the corpus
# has dates in years 1 and 9999, and day bins over 10,000 years would be 3.65
# million rows (docs_by_day.csv 55 MB, top_terms_by_day_wide.csv 1 GB, a minute).
if [ -x /usr/bin/python3 ]; then
	messy_start=$(date +%s)
	# under the sanitizers (build/san/) 50 MB take 40 s: 8 MB say the same there
	case $TD in */san/*) big_mb=${MESSY_BIG_MB:-8} ;; *) big_mb=${MESSY_BIG_MB:-50} ;; esac
	/usr/bin/python3 tests/e2e/make_messy.py "$TMP/messy" "$TMP/messy_expected.csv" "$big_mb"
	messy_args="--no-plots --today 2026-01-01 --bin year -q"
	# the options' run reads the same files but the long line (read once is
	# enough): links to them in a second folder
	mkdir -p "$TMP/messy_short"
	for f in "$TMP"/messy/*; do
		[ "${f##*/}" = g_bigline.txt ] || ln "$f" "$TMP/messy_short/${f##*/}"
	done
	# shellcheck disable=SC2086
	if run_ok messy_plain run analyses/seeds.ini -i "$TMP/messy" $messy_args &&
		run_ok messy_cp1252 run analyses/seeds.ini -i "$TMP/messy_short" $messy_args --fallback-encoding cp1252 --strip-html; then
		/usr/bin/python3 - "$TMP/messy" "$TMP/messy_expected.csv" "$TMP/messy_plain" "$TMP/messy_cp1252" <<'PY' &&
import csv, os, sys
corpus, expected_path, plain, fallback = sys.argv[1:]
problems = []
def table(path):
    # every CSV termdrift writes: strict UTF-8, RFC 4180, one width
    with open(path, newline="", encoding="utf-8", errors="strict") as f:
        rows = list(csv.reader(f, strict=True))
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        problems.append("%s: rows of %s fields" % (path, sorted(widths)))
    return rows
for d in (plain, fallback):
    for name in sorted(os.listdir(d)):
        if name.endswith(".csv"):
            table(os.path.join(d, name))
expected = list(csv.DictReader(open(expected_path, newline="", encoding="utf-8")))
def table_docs(d):
    rows = table(os.path.join(d, "docs.csv"))
    return [dict(zip(rows[0], r)) for r in rows[1:]]
files = {n for n in os.listdir(corpus) if n != "manifest.csv"}
for d, suffix in ((plain, ""), (fallback, "_cp1252")):
    rows = table(os.path.join(d, "docs.csv"))
    header, docs = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    for doc in docs:  # the options' run read links in messy_short/
        doc["file"] = os.path.join(corpus, os.path.basename(doc["file"]))
    wanted = [w for w in expected if not (suffix and w["doc_id"] == "g_bigline")]
    missing = {os.path.join(corpus, n) for n in files} - {doc["file"] for doc in docs}
    if missing != ({os.path.join(corpus, "g_bigline.txt")} if suffix else set()):
        problems.append("%s: not in docs.csv: %s" % (d, sorted(missing)))
    if len(docs) != len(wanted):
        problems.append("%s: %d documents, expected %d" % (d, len(docs), len(wanted)))
    for doc, want in zip(docs, wanted):
        checks = [("file", want["file"]), ("status", want["status" + suffix]),
                  ("encoding", want["encoding" + suffix]),
                  ("invalid_utf8", want["invalid_cp1252" if suffix else "invalid_utf8"])]
        if want["doc_id"] != "*":
            checks.append(("doc_id", want["doc_id"]))
        if suffix:
            checks.append(("html_tags", want["html_tags"]))
            if want["title"] != "*":
                checks.append(("title", want["title"]))
        for column, value in checks:
            if doc[column] != str(value):
                problems.append("%s %s: %s is %r, expected %r" % (os.path.basename(d), doc["doc_id"], column,
                                                                  doc[column], value))
        if doc["file"].endswith((".txt", ".html", ".png")) and int(doc["n_bytes"]) != os.path.getsize(doc["file"]):
            problems.append("%s: n_bytes %s" % (doc["doc_id"], doc["n_bytes"]))
big = [doc for doc in table_docs(plain) if doc["doc_id"] == "g_bigline"][0]
if not (big["title"].endswith("\u2026") and len(big["title"].encode()) <= 203 and int(big["n_tokens"]) > 1000000):
    problems.append("g_bigline: title %r, %s tokens" % (big["title"][:40], big["n_tokens"]))
# the UTF-16 files' words are in the vocabulary; --strip-html leaves out
# scripts, styles and comments
def vocab(d):
    return {r[1] for r in table(os.path.join(d, "vocab.csv"))[1:]}
plain_terms, fallback_terms = vocab(plain), vocab(fallback)
for term in ("cologne", "bigend", "\u00fcber", "zebracrossing", "zzscriptword"):
    if term not in plain_terms:
        problems.append("plain vocab.csv lacks %r" % term)
for term in ("zzscriptword", "zzcommentword", "color", "amp", "nbsp", "eacute"):
    if term in fallback_terms:
        problems.append("--strip-html left %r in vocab.csv" % term)
for term in ("caf\u00e9", "na\u00efve", "fish", "harbour link"):
    if term not in fallback_terms:
        problems.append("--strip-html vocab.csv lacks %r" % term)
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
PY
			pass || fail "messy corpus: docs.csv or the tables are not as expected (above)"
		same_inputs messy_plain
		same_inputs messy_cp1252
	fi
	# shellcheck disable=SC2086
	expect_error messy_strict 1 "termdrift: '$TMP/messy/q_ragged.csv' line 3: 3 fields where the header has 4" -- \
		run analyses/seeds.ini -i "$TMP/messy" $messy_args --strict
	echo "e2e: messy corpus checked in $(($(date +%s) - messy_start)) s"
else
	echo "e2e: messy corpus SKIPPED (no /usr/bin/python3)"
fi

echo "e2e: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
