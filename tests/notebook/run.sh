#!/bin/sh
# The notebook side of the output contract (run by `make test` from the
# repository root, with TERMDRIFT=build/termdrift):
#   1. termdrift run analyses/seeds.ini into a temporary folder;
#   2. tests/notebook/check_outputs.py: every table listed in manifest.json
#      loads with pandas with the stated rows, columns and column types;
#   3. analyses/explore.ipynb executed headless against that folder with
#      jupyter nbconvert (its executed copy goes to the temporary folder,
#      never into analyses/; the folder is removed on exit).
# Debian's /usr/bin/python3 only (the first python3 on PATH may be another
# one).  Skipped, with one line saying so, without python3-pandas; step 3 is
# skipped without jupyter-nbconvert and python3-ipykernel.
set -eu
cd "$(dirname "$0")/../.."
TD=${TERMDRIFT:-build/termdrift}
PY=/usr/bin/python3

if ! [ -x "$PY" ] || ! "$PY" -c 'import pandas' >/dev/null 2>&1; then
	echo "notebook: SKIPPED (python3-pandas is not installed)"
	exit 0
fi
if ! [ -x "$TD" ]; then
	echo "notebook: FAIL $TD is not an executable (run make first)" >&2
	exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/termdrift-nb.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
TMP=$(cd "$TMP" && pwd) # absolute: the notebook runs in analyses/

if ! "$TD" run analyses/seeds.ini -o "$TMP/seeds" --no-plots -q --today 2026-01-01; then
	echo "notebook: FAIL $TD run analyses/seeds.ini" >&2
	exit 1
fi
"$PY" tests/notebook/check_outputs.py "$TMP/seeds"

# nbconvert from Debian's python3, with a kernel that runs Debian's python3
# whatever kernels the user has installed (JUPYTER_PATH comes first), and no
# IPython profile or startup files of the user's (tracebacks without colour).
if ! "$PY" -c 'import nbconvert, nbclient' >/dev/null 2>&1; then
	echo "notebook: execution SKIPPED (jupyter nbconvert is not installed)"
	exit 0
fi
if ! "$PY" -c 'import ipykernel' >/dev/null 2>&1; then
	echo "notebook: execution SKIPPED (python3-ipykernel is not installed)"
	exit 0
fi
mkdir -p "$TMP/jupyter/kernels/python3" "$TMP/ipython/profile_default"
echo 'c.InteractiveShell.colors = "NoColor"' >"$TMP/ipython/profile_default/ipython_kernel_config.py"
cat >"$TMP/jupyter/kernels/python3/kernel.json" <<EOF
{"argv": ["$PY", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
 "display_name": "Python 3", "language": "python"}
EOF
TIMEOUT=
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT="timeout 600"
fi
# nbconvert exits non-zero when a cell raises or takes over 300 s.
if ! TERMDRIFT_OUT="$TMP/seeds" MPLBACKEND=Agg JUPYTER_PATH="$TMP/jupyter" \
	IPYTHONDIR="$TMP/ipython" PYDEVD_DISABLE_FILE_VALIDATION=1 \
	$TIMEOUT "$PY" -m nbconvert --to notebook --execute \
	--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=300 \
	--ExecutePreprocessor.startup_timeout=120 \
	--output-dir "$TMP" --output executed analyses/explore.ipynb \
	>"$TMP/nbconvert.log" 2>&1; then
	tail -n 30 "$TMP/nbconvert.log" >&2
	echo "notebook: FAIL analyses/explore.ipynb raised (log above)" >&2
	exit 1
fi
echo "notebook: analyses/explore.ipynb executes cleanly against the seeds output"
