#!/bin/sh
# Fault injection: writes that fail (ENOSPC), reads that fail (EIO) and
# allocations that fail (ENOMEM), each at every point of a run of `termdrift
# tfidf` on the seeds (allocations: every 5th of them, and of a run on JSON
# Lines records).  termdrift must exit
# with status 1 and one line on stderr, leave no file in its output folder
# (no temporary, no partial table, none of the tables it had completed), or
# finish normally (status 0) where the failure did not matter.  Never a crash.
#
# Writes and reads fail through strace's syscall fault injection; allocations
# through tests/fault/failmalloc.c (LD_PRELOAD).  Skipped, and said so, where
# strace is missing or the binary is built with sanitizers (ASan owns malloc).
# Under strace, LeakSanitizer cannot stop the process's threads (ptrace is
# taken), so leak checks are off for the strace runs; the failures `make test
# SAN=1` runs without strace (e2e: a full tmpfs, unreadable and bad inputs)
# keep them.
set -u
cd "$(dirname "$0")/../.."
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
TD=${TERMDRIFT:-build/termdrift}
TMP=$(mktemp -d /tmp/termdrift-fault.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
ARGS="tfidf -i data/seeds --today 2026-01-01 -q"
failures=0 runs=0

# check KIND N STATUS: the run that just ended, into $TMP/out
check() {
	runs=$((runs + 1))
	lines=$(wc -l < "$TMP/err")
	left=$(ls -A "$TMP/out" 2>/dev/null | wc -l)
	if [ "$3" -eq 0 ] && [ "$left" -gt 0 ]; then
		return 0
	fi
	if [ "$3" -ne 1 ] || [ "$lines" -ne 1 ] || [ "$left" -ne 0 ]; then
		failures=$((failures + 1))
		echo "FAIL: $1 failing at $2: status $3, $lines lines on stderr, $left files left: $(head -c 200 "$TMP/err")"
	fi
}

if ! command -v strace >/dev/null 2>&1; then
	echo "fault: write and read checks SKIPPED (strace is not installed)"
else
	# shellcheck disable=SC2086
	strace -f -qq -e trace=write -o "$TMP/trace" "$TD" $ARGS -o "$TMP/count" >/dev/null 2>&1
	n_writes=$(grep -c 'write(' "$TMP/trace")
	n=1
	while [ "$n" -le "$n_writes" ]; do
		rm -rf "$TMP/out"
		# shellcheck disable=SC2086
		strace -f -qq -e trace=write -e inject=write:error=ENOSPC:when=$n -o /dev/null "$TD" $ARGS -o "$TMP/out" 2>"$TMP/err"
		check write "$n" $?
		grep -q 'No space left on device' "$TMP/err" || { failures=$((failures + 1)); echo "FAIL: write $n: $(cat "$TMP/err")"; }
		n=$((n + 1))
	done
	# reads: from the first read of an input on (before it, the loader reads
	# the shared libraries)
	# shellcheck disable=SC2086
	strace -f -qq -e trace=read,openat -o "$TMP/trace" "$TD" $ARGS -o "$TMP/count" >/dev/null 2>&1
	first=$(awk '/read\(/ { n++ } /openat\(.*data\/seeds\// { print n + 1; exit }' "$TMP/trace")
	n_reads=$(grep -c 'read(' "$TMP/trace")
	n=$first
	while [ "$n" -le "$n_reads" ]; do
		rm -rf "$TMP/out"
		# shellcheck disable=SC2086
		strace -f -qq -e trace=read -e inject=read:error=EIO:when=$n -o /dev/null "$TD" $ARGS -o "$TMP/out" 2>"$TMP/err"
		check read "$n" $?
		n=$((n + 1))
	done
	echo "fault: $n_writes writes and $((n_reads - first + 1)) reads failed one at a time"
fi

if nm -D "$TD" 2>/dev/null | grep -q __asan_init || ldd "$TD" 2>/dev/null | grep -q libasan; then
	echo "fault: allocation checks SKIPPED (sanitizer build)"
else
	mkdir -p build/fault
	cc -shared -fPIC -O2 -o build/fault/failmalloc.so tests/fault/failmalloc.c
	# alloc_sweep WHAT ARGS...: every 5th allocation of the run fails in turn
	alloc_sweep() {
		what=$1
		shift
		n_allocs=$(FAILMALLOC_COUNT=1 LD_PRELOAD=build/fault/failmalloc.so "$TD" "$@" -o "$TMP/count" 2>&1 >/dev/null |
			awk '/^failmalloc:/ { print $2 }')
		n=1
		while [ "$n" -le "$n_allocs" ]; do
			rm -rf "$TMP/out"
			FAILMALLOC_AT=$n LD_PRELOAD=build/fault/failmalloc.so "$TD" "$@" -o "$TMP/out" 2>"$TMP/err"
			check "allocation ($what)" "$n" $?
			n=$((n + 5))
		done
		echo "fault: every 5th of $n_allocs allocations of a run on $what failed one at a time"
	}
	# shellcheck disable=SC2086
	alloc_sweep "the seeds" $ARGS
	# JSON Lines too (the JSON parser's allocations): the test records,
	# malformed ones, escapes and an object nested five deep, in one file
	cat tests/e2e/data/*.jsonl > "$TMP/records.jsonl"
	printf '%s\n' '{"id": 5, "text": "nul \u0000 and \ud83d\ude00", "n": [[[[{"a": 1}]]]]}' >> "$TMP/records.jsonl"
	alloc_sweep "JSON Lines records" tfidf -i "$TMP/records.jsonl" --today 2026-01-01 -q
fi
echo "fault: $runs runs, $failures failed"
[ "$failures" -eq 0 ]
