#!/bin/sh
# The limits README.md promises, tested at their edges (make limits; not part
# of make test: it writes about 400 MB under TMPDIR and takes a few minutes):
#   - one document of 100 MB,
#   - a vocabulary of 10 million distinct terms,
#   - one million tiny documents.
# Each runs `termdrift tfidf` and prints its time and peak memory
# (/usr/bin/time -v), and checks that the run succeeded with the expected
# numbers of documents and terms.
set -eu
cd "$(dirname "$0")/../.."
TD=${TERMDRIFT:-build/termdrift}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/termdrift-limits.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
failures=0

# measure NAME ARGS...: runs termdrift, prints time and peak memory
measure() {
	name=$1
	shift
	if /usr/bin/time -v "$TD" "$@" -o "$TMP/$name" -q > /dev/null 2> "$TMP/$name.time"; then
		awk -F': ' -v n="$name" '/Elapsed \(wall clock\)/ { t = $2 } /Maximum resident/ { m = $2 }
			END { printf "%s: %s wall, peak %.0f MB\n", n, t, m / 1024 }' "$TMP/$name.time"
	else
		echo "FAIL: $name: $(grep -v '^\s' "$TMP/$name.time" | head -3)"
		failures=$((failures + 1))
	fi
}

# expect NAME FILE LINES: FILE of run NAME has LINES lines
expect() {
	got=$(wc -l < "$TMP/$1/$2")
	[ "$got" -eq "$3" ] || { echo "FAIL: $1: $2 has $got lines, expected $3"; failures=$((failures + 1)); }
}

# one document of 100 MB: 20 million words of 4 letters over 26^3 = 17,576 terms
/usr/bin/python3 - "$TMP/big.txt" <<'PY'
import random, string, sys
random.seed(1)
words = ["x" + a + b + c for a in string.ascii_lowercase for b in string.ascii_lowercase for c in string.ascii_lowercase]
with open(sys.argv[1], "w") as f:
    for _ in range(200):
        f.write(" ".join(random.choices(words, k=100000)) + ".\n")
PY
measure one_100mb_document tfidf -i "$TMP/big.txt" --stopwords none --no-boilerplate --dedup off \
	--outputs vocab.csv,top_terms_by_doc.csv
expect one_100mb_document vocab.csv 17577
expect one_100mb_document docs.csv 2

# 10 million distinct terms: 1,000 documents of 10,000 terms each, no term twice
/usr/bin/python3 - "$TMP/vocab.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for d in range(1000):
        text = " ".join("t%08d" % (d * 10000 + i) for i in range(10000))
        f.write(json.dumps({"id": "d%d" % d, "text": text}) + "\n")
PY
measure ten_million_terms tfidf -i "$TMP/vocab.jsonl" --stopwords none --no-boilerplate --dedup off \
	--outputs vocab.csv
expect ten_million_terms vocab.csv 10000001

# one million tiny documents
/usr/bin/python3 - "$TMP/tiny.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for d in range(1000000):
        f.write(json.dumps({"id": "d%d" % d, "date": "2025-%02d-%02d" % (d % 12 + 1, d % 28 + 1),
                            "text": "peace talks %d in riyadh" % (d % 1000)}) + "\n")
PY
measure one_million_documents tfidf -i "$TMP/tiny.jsonl" --stopwords none --no-boilerplate --dedup off \
	--outputs vocab.csv,top_terms_by_day.csv
expect one_million_documents docs.csv 1000001

echo "limits: $failures failed"
[ "$failures" -eq 0 ]
