#!/usr/bin/python3
"""check_outputs.py DIR - every table termdrift listed in DIR/manifest.json
loads with pandas as the manifest says: the file is there, with the stated
rows, the stated columns in order, and values of each column's type.  Every
.csv and .mtx file in DIR is listed.  Exits 1 with one line naming the file
and column on the first disagreement."""
import json
import os
import sys

import pandas as pd
from pandas.api import types as pdt


def fail(msg):
    print(f"notebook: {msg}", file=sys.stderr)
    sys.exit(1)


def check_column(name, col, kind, series):
    values = series.dropna()
    if kind == "integer":
        if not pdt.is_integer_dtype(series):
            fail(f"{name}: column '{col}' is {series.dtype}, the manifest says integer")
    elif kind == "number":
        if not pdt.is_numeric_dtype(series):
            fail(f"{name}: column '{col}' is {series.dtype}, the manifest says number")
    elif kind == "date":
        try:
            pd.to_datetime(values.astype(str), format="%Y-%m-%d")
        except (ValueError, TypeError) as err:
            fail(f"{name}: column '{col}' holds a value that is not a YYYY-MM-DD date ({err})")
    elif kind == "string":
        if len(values) == 0:
            fail(f"{name}: column '{col}' is all empty, the manifest says string")
    elif kind == "empty":
        if len(values) != 0:
            fail(f"{name}: column '{col}' has values, the manifest says empty")
    else:
        fail(f"{name}: column '{col}' has an unknown type '{kind}'")


def check_table(out, entry):
    name = entry["file"]
    path = os.path.join(out, name)
    if not os.path.isfile(path):
        fail(f"{name}: listed in manifest.json but missing")
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    as_text = pd.read_csv(path, dtype=str, keep_default_na=False)
    if len(frame) != entry["rows"]:
        fail(f"{name}: {len(frame)} rows, manifest.json says {entry['rows']}")
    names = [c["name"] for c in entry["columns"]]
    if list(frame.columns) != names:
        fail(f"{name}: columns {list(frame.columns)}, manifest.json says {names}")
    for c in entry["columns"]:
        check_column(name, c["name"], c["type"], frame[c["name"]])
        if c["type"] == "string" and not all(isinstance(v, str) for v in as_text[c["name"]]):
            fail(f"{name}: column '{c['name']}' does not read back as text")


def check_mtx(out, entry):
    name = entry["file"]
    with open(os.path.join(out, name), encoding="utf-8") as f:
        header = f.readline()
        if not header.startswith("%%MatrixMarket matrix coordinate"):
            fail(f"{name}: not a Matrix Market coordinate file")
        line = f.readline()
        while line.startswith("%"):
            line = f.readline()
        rows, cols, nnz = (int(x) for x in line.split())
        entries = sum(1 for _ in f)
    if nnz != entries or nnz != entry["rows"]:
        fail(f"{name}: {entries} entries, size line says {nnz}, manifest.json says {entry['rows']}")


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    listed = set()
    n_tables = 0
    for entry in manifest["outputs"]:
        listed.add(entry["file"])
        if entry["file"].endswith(".csv"):
            if "columns" not in entry:
                fail(f"{entry['file']}: no columns in manifest.json")
            check_table(out, entry)
            n_tables += 1
        elif entry["file"].endswith(".mtx"):
            check_mtx(out, entry)
            n_tables += 1
        elif entry.get("kind") == "chart":
            if not os.path.isfile(os.path.join(out, entry["file"])):
                fail(f"{entry['file']}: listed in manifest.json but missing")
    for name in sorted(os.listdir(out)):
        if name.endswith((".csv", ".mtx")) and name not in listed:
            fail(f"{name}: in the folder but not in manifest.json")
    print(f"notebook: {n_tables} tables agree with manifest.json")


if __name__ == "__main__":
    main()
