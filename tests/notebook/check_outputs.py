#!/usr/bin/python3
"""check_outputs.py DIR - the tables in DIR load with pandas as
DIR/manifest.json says they do.

For every CSV table listed under "outputs":
  - the file exists, is UTF-8 without a byte order mark, every line has the
    header's number of fields, and Python's csv module (RFC 4180) and pandas
    agree on its rows;
  - pandas.read_csv with its default inference (empty field = NaN) finds
    "rows" rows and the manifest's column names, in order;
  - each column's dtype agrees with its manifest type:
      integer  an integer dtype
      number   a numeric dtype (int when every value happens to be integral)
      date     the text of every value is YYYY-MM-DD and
               pd.to_datetime(format="%Y-%m-%d") parses them
      string   read with dtype=str (only an empty field is no value), every
               value is the field's exact text ("007" stays "007")
      empty    no value in any row
    and a column of any type but "empty" has a value in at least one row.
For every .mtx output: a Matrix Market coordinate file whose size line and
entry lines both count "rows" entries, every index within the stated size.
Every output listed exists, and every .csv or .mtx file under DIR is listed.

Exits 1 with one line naming the file (and column) of the first problem;
prints "notebook: N tables agree with manifest.json" on success (N = CSV
tables).  Needs /usr/bin/python3 with python3-pandas; not scipy."""
import csv
import json
import os
import re
import sys

import pandas as pd
from pandas.api import types as pdt

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
TYPES = ("string", "integer", "number", "date", "empty")


def fail(msg):
    print(f"notebook: FAIL {msg}", file=sys.stderr)
    sys.exit(1)


def raw_rows(path, name):
    """The header and the rows as text, parsed by the csv module (RFC 4180)."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, strict=True))
    except UnicodeDecodeError as err:
        fail(f"{name}: not UTF-8 ({err})")
    except csv.Error as err:
        fail(f"{name}: not a valid CSV file ({err})")
    if not rows:
        fail(f"{name}: empty file, no header row")
    return rows[0], rows[1:]


def check_column(name, col, kind, series, text, raw):
    """series: the column as pandas inferred it; text: read with dtype=str;
    raw: the fields as the csv module read them."""
    where = f"{name}, column '{col}'"
    values = series.dropna()
    if kind == "empty":
        if len(values):
            fail(f"{where}: manifest.json says empty, but row {values.index[0] + 1} "
                 f"holds {raw[values.index[0]]!r}")
        return
    if len(values) == 0:
        fail(f"{where}: manifest.json says {kind}, but no row has a value (that is 'empty')")
    if kind == "integer":
        if not pdt.is_integer_dtype(series):
            odd = first_odd(raw, is_int)
            if odd == "" and "" in raw:
                fail(f"{where}: manifest.json says integer, pandas reads {series.dtype} "
                     f"because row {raw.index('') + 1} is empty")
            fail(f"{where}: manifest.json says integer, pandas reads {series.dtype} "
                 f"(e.g. {odd!r})")
    elif kind == "number":
        if not pdt.is_numeric_dtype(series) or pdt.is_bool_dtype(series):
            fail(f"{where}: manifest.json says number, pandas reads {series.dtype} "
                 f"(e.g. {first_odd(raw, is_float)!r})")
    elif kind == "date":
        dates = [v for v in raw if v != ""]
        bad = [v for v in dates if not DATE.match(v)]
        if bad:
            fail(f"{where}: manifest.json says date, {bad[0]!r} is not YYYY-MM-DD")
        try:
            pd.to_datetime(pd.Series(dates, dtype=object), format="%Y-%m-%d")
        except (ValueError, TypeError, OverflowError) as err:
            fail(f"{where}: manifest.json says date, pandas cannot parse it ({err})")
    elif kind == "string":
        for i, (v, r) in enumerate(zip(text, raw)):
            if r == "":
                if not pd.isna(v):
                    fail(f"{where}: row {i + 1} is empty but reads back as {v!r}")
            elif not isinstance(v, str) or v != r:
                fail(f"{where}: row {i + 1} is {r!r} but reads back with dtype=str as {v!r}")
    else:
        fail(f"{where}: unknown type {kind!r} in manifest.json (expected one of {', '.join(TYPES)})")


def is_int(v):
    return re.fullmatch(r"[-+]?[0-9]+", v) is not None


def is_float(v):
    try:
        float(v)
        return True
    except ValueError:
        return False


def first_odd(raw, ok):
    """The first non-empty field that is not of the expected kind."""
    return next((v for v in raw if v != "" and not ok(v)), "")


def check_table(out, entry):
    name = entry["file"]
    path = os.path.join(out, name)
    if "columns" not in entry:
        fail(f"{name}: no \"columns\" in manifest.json")
    header, rows = raw_rows(path, name)
    names = [c.get("name") for c in entry["columns"]]
    if header and header[0].startswith("\ufeff"):
        fail(f"{name}: starts with a byte order mark (pandas hides it, gnuplot and csv do not)")
    for i, r in enumerate(rows):
        if len(r) != len(header):
            fail(f"{name}: line {i + 2} has {len(r)} fields, the header {len(header)}")

    # What a notebook gets from a plain pd.read_csv(path).
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        fail(f"{name}: pandas finds no header row")
    except (pd.errors.ParserError, ValueError) as err:
        fail(f"{name}: pandas cannot read it ({err})")
    if len(frame) != len(rows):
        fail(f"{name}: pandas reads {len(frame)} rows, the csv module {len(rows)}")
    if len(frame) != entry["rows"]:
        fail(f"{name}: {len(frame)} rows, manifest.json says {entry['rows']}")
    if list(frame.columns) != names:
        got, want = list(frame.columns), names
        diff = next((i for i in range(max(len(got), len(want)))
                     if i >= len(got) or i >= len(want) or got[i] != want[i]), 0)
        fail(f"{name}: column {diff + 1} is "
             f"{repr(got[diff]) if diff < len(got) else '(none)'}, manifest.json says "
             f"{repr(want[diff]) if diff < len(want) else '(none)'} "
             f"(columns {got}, manifest.json {want})")

    # The same file with every column as text, only an empty field as no value.
    text = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for j, c in enumerate(entry["columns"]):
        check_column(name, c["name"], c.get("type"), frame.iloc[:, j], text.iloc[:, j],
                     [r[j] for r in rows])


def check_mtx(out, entry):
    name = entry["file"]
    try:
        with open(os.path.join(out, name), encoding="utf-8") as f:
            banner = f.readline().split()
            if (len(banner) != 5 or banner[0] != "%%MatrixMarket" or banner[1] != "matrix"
                    or banner[2] != "coordinate"):
                fail(f"{name}: not a Matrix Market coordinate file (banner {' '.join(banner)!r})")
            line = f.readline()
            while line.startswith("%"):
                line = f.readline()
            size = line.split()
            if len(size) != 3 or not all(is_int(x) for x in size):
                fail(f"{name}: size line {line.strip()!r} is not 'rows columns entries'")
            nrow, ncol, nnz = (int(x) for x in size)
            entries = 0
            for n, line in enumerate(f, start=1):
                fields = line.split()
                if not fields:
                    continue
                if (len(fields) < 2 or not is_int(fields[0]) or not is_int(fields[1])
                        or not 1 <= int(fields[0]) <= nrow or not 1 <= int(fields[1]) <= ncol):
                    fail(f"{name}: entry {n} {line.strip()!r} is outside {nrow} x {ncol}")
                entries += 1
    except UnicodeDecodeError as err:
        fail(f"{name}: not UTF-8 ({err})")
    if entries != nnz:
        fail(f"{name}: {entries} entries, its size line says {nnz}")
    if nnz != entry["rows"]:
        fail(f"{name}: {nnz} entries, manifest.json says {entry['rows']}")


def main():
    if len(sys.argv) != 2:
        print("usage: check_outputs.py DIR", file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    try:
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as err:
        fail(f"manifest.json: cannot read it ({err})")
    outputs = manifest.get("outputs")
    if not isinstance(outputs, list) or not outputs:
        fail("manifest.json: no \"outputs\" list")

    listed = set()
    n_tables = 0
    for entry in outputs:
        name = entry.get("file")
        if not name:
            fail("manifest.json: an output without \"file\"")
        listed.add(os.path.normpath(name))
        if not os.path.isfile(os.path.join(out, name)):
            fail(f"{name}: listed in manifest.json but missing")
        if name.endswith(".csv"):
            check_table(out, entry)
            n_tables += 1
        elif name.endswith(".mtx"):
            check_mtx(out, entry)

    for root, _, files in os.walk(out):
        for f in sorted(files):
            rel = os.path.normpath(os.path.relpath(os.path.join(root, f), out))
            if rel.endswith((".csv", ".mtx")) and rel not in listed:
                fail(f"{rel}: in {out} but not listed in manifest.json")
    print(f"notebook: {n_tables} tables agree with manifest.json")


if __name__ == "__main__":
    main()
