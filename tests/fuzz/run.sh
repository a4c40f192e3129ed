#!/bin/sh
# run.sh NAME... - runs each fuzz target build/fuzz/NAME for $FUZZ_SECONDS
# seconds (default 60) on its corpus build/fuzz/corpus/NAME and prints its
# executions and coverage (libFuzzer's final stats).  A crash, a leak, a
# timeout or a violated property fails the run; libFuzzer leaves the input in
# build/fuzz/crashes/NAME/ and the log in build/fuzz/logs/NAME.log.
set -u
dir=${FUZZ_DIR:-build/fuzz}
seconds=${FUZZ_SECONDS:-60}
failed=""
printf '%-18s %12s %8s %8s %8s\n' target executions cov ft corpus
for name in "$@"; do
	corpus=$dir/corpus/$name crashes=$dir/crashes/$name log=$dir/logs/$name.log
	mkdir -p "$corpus" "$crashes" "$dir/logs"
	"$dir/$name" -max_total_time="$seconds" -print_final_stats=1 -timeout=30 \
		-artifact_prefix="$crashes/" "$corpus" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	# the last status line: "#N DONE cov: C ft: F corp: K/..."
	status=$(grep 'cov: ' "$log" | tail -n 1)
	cov=$(printf '%s' "$status" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s' "$status" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s' "$status" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
	printf '%-18s %12s %8s %8s %8s\n' "$name" "${execs:--}" "${cov:--}" "${ft:--}" "${corp:--}"
	if [ "$rc" -ne 0 ]; then
		failed="$failed $name"
		echo "fuzz: $name failed (exit $rc); input in $crashes/, log in $log:" >&2
		grep -E 'ERROR|property violated|SUMMARY|Test unit written' "$log" | head -n 8 >&2
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
