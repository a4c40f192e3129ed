#!/bin/sh
# Runs the scikit-learn oracle when Debian's python3-sklearn is installed;
# says so clearly when it is skipped.  TERMDRIFT names the binary.
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c 'import sklearn, scipy' 2>/dev/null; then
	echo "oracle: SKIPPED (python3-sklearn is not installed; TD_TEST_DEPS=1 scripts/install-deps.sh installs it)"
	exit 0
fi
status=0
/usr/bin/python3 tests/oracle/sklearn_tfidf.py "${TERMDRIFT:-build/termdrift}" || status=1
/usr/bin/python3 tests/oracle/cooc_reference.py "${TERMDRIFT:-build/termdrift}" || status=1
/usr/bin/python3 tests/oracle/nmf_reference.py "${TERMDRIFT:-build/termdrift}" || status=1
/usr/bin/python3 tests/oracle/drift_reference.py "${TERMDRIFT:-build/termdrift}" || status=1
exit $status
