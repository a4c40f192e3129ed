#!/bin/sh
# seeds.sh DIR - makes the seed corpus of each fuzz target in DIR/NAME/ from
# the project's test data (tests/data, tests/e2e/data, data/seeds, analyses)
# and the small seeds committed in tests/fuzz/seeds/NAME/.  Files are named
# seed-*, so that running it again over a corpus that libFuzzer has grown
# refreshes the seeds and keeps the rest.  Run from the repository root.
set -eu
out=$1
US=$(printf '\037') RS=$(printf '\036')

# put NAME FILE...: copies files into DIR/NAME as seed-<path with / as _>.
put() {
	name=$1
	shift
	mkdir -p "$out/$name"
	for f in "$@"; do
		[ -f "$f" ] || continue
		cp "$f" "$out/$name/seed-$(printf '%s' "$f" | tr '/' '_')"
	done
}

# text NAME SEED-NAME: standard input into DIR/NAME/seed-SEED-NAME.
text() {
	mkdir -p "$out/$1"
	cat > "$out/$1/seed-$2"
}

for name in $(ls tests/fuzz/seeds); do
	put "$name" tests/fuzz/seeds/"$name"/*
done

texts=$(find data/seeds tests/e2e/data tests/data -name '*.txt' | sort)
jsonl=$(find tests/e2e/data tests/data -name '*.jsonl' | sort)
csv=$(find tests/e2e/data tests/data data/seeds -name '*.csv' | sort)

# shellcheck disable=SC2086
{
	put tokenize_default $texts $jsonl
	put tokenize_sklearn $texts $jsonl
	put txtmeta $texts
	put jsonl $jsonl
	put csv $csv
	put spec analyses/*.ini
}

# Dates: the date fields of the JSON Lines and manifests, the first lines of
# the seed articles (their datelines), and every string of tests/test_date.c.
i=0
{
	sed -n 's/.*"date": *"\([^"]*\)".*/\1/p' $jsonl
	for f in $csv; do cut -d, -f2 "$f"; done
	for f in $texts; do head -n 5 "$f"; done
	grep -o '"[^"]*"' tests/test_date.c | sed 's/^"//; s/"$//'
} | sort -u | while IFS= read -r line; do
	i=$((i + 1))
	printf '%s' "$line" | text date "line-$i"
done

# The cleaning stage reads documents separated by RS, after an optional
# phrase list ended by US: the seed articles, some twice (duplicates), and
# the small files with their furniture lines.
seeds=$(ls data/seeds/*.txt)
set -- $seeds
{ cat "$1"; printf '%s' "$RS"; cat "$2"; printf '%s' "$RS"; cat "$1"; printf '%s' "$RS"; cat "$3"; } |
	text boiler_dedup articles-dup
{ first=1; for f in $seeds; do [ $first = 1 ] || printf '%s' "$RS"; first=0; cat "$f"; done; } |
	text boiler_dedup articles-all
{
	printf 'share:\nread more*\n%s' "$US"
	first=1
	for f in $(find tests/e2e/data/mixed -name '*.txt' | sort); do
		[ $first = 1 ] || printf '%s' "$RS"
		first=0
		cat "$f"
	done
} | text boiler_dedup mixed
