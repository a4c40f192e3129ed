#!/bin/sh
# install-deps.sh [--check] - makes sure the Debian packages termdrift builds
# and tests with are installed.
#   --check   only report: exit 0 when everything is there, 1 otherwise
#   (none)    as root: apt-get install the missing ones; otherwise print the
#             exact apt-get line to run and exit 1
# Set TD_TEST_DEPS=1 to include the packages the oracle and notebook tests use,
# strace for the fault-injection tests, xxhsum (package xxhash) to check the
# inputs' checksums in manifest.json, and clang with its libFuzzer runtime
# for `make fuzz` (CI runs it).
set -eu

packages="build-essential pkg-config libgsl-dev libutf8proc-dev libcsv-dev libcmocka-dev \
libjansson-dev libcjson-dev libinih-dev libstemmer-dev nettle-dev libxxhash-dev gnuplot-nox time"
if [ "${TD_TEST_DEPS:-0}" = 1 ]; then
	packages="$packages python3 python3-sklearn python3-pandas python3-matplotlib jupyter-nbconvert \
python3-ipykernel python3-nbclient strace clang libclang-rt-14-dev xxhash"
fi

missing=""
for p in $packages; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--check" ]; then
	echo "termdrift: missing Debian packages:$missing" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "termdrift: missing Debian packages; install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "termdrift: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# apt-get update once per run when the package lists are absent or stale.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
	apt-get update
fi
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
