#!/bin/sh
# The notebook side of the output contract (run by make test): termdrift run
# on the seeds spec, then every table is loaded with pandas and checked
# against manifest.json (tests/notebook/check_outputs.py), then
# analyses/explore.ipynb is executed headless against that output.  Skipped,
# with one line saying so, where python3-pandas or jupyter nbconvert is not
# installed (Debian: python3-pandas, jupyter-nbconvert, python3-ipykernel).
set -eu
cd "$(dirname "$0")/../.."
TD=${TERMDRIFT:-build/termdrift}
PY=/usr/bin/python3

if ! [ -x "$PY" ] || ! "$PY" -c 'import pandas' 2>/dev/null; then
	echo "notebook: SKIPPED (python3-pandas is not installed)"
	exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/termdrift-nb.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

"$TD" run analyses/seeds.ini -o "$TMP/seeds" -q --today 2026-01-01
"$PY" tests/notebook/check_outputs.py "$TMP/seeds"

if ! command -v jupyter >/dev/null 2>&1 || ! jupyter nbconvert --version >/dev/null 2>&1 ||
	! "$PY" -c 'import ipykernel' 2>/dev/null; then
	echo "notebook: execution SKIPPED (jupyter nbconvert or python3-ipykernel is not installed)"
	exit 0
fi
# nbconvert fails when a cell raises; the executed copy stays in TMP
if ! TERMDRIFT_OUT="$TMP/seeds" MPLBACKEND=Agg PYDEVD_DISABLE_FILE_VALIDATION=1 \
	jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
	analyses/explore.ipynb --output-dir "$TMP" --output executed >"$TMP/nbconvert.log" 2>&1; then
	tail -20 "$TMP/nbconvert.log" >&2
	echo "notebook: analyses/explore.ipynb failed" >&2
	exit 1
fi
echo "notebook: analyses/explore.ipynb runs against the seeds output"
