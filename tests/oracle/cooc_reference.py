#!/usr/bin/python3
"""A small reference for termdrift cooc, in plain Python: the tokens termdrift
writes (tokens.csv) are counted again here, pair by pair, from the
definitions in the README (GloVe's symmetric window with 1/distance weights;
documents and sentences as units), and every row of cooc.csv must agree:
the same pairs, the same counts, and weighted, PMI, NPMI and G2 within
1e-9 (relative, or absolute below 1), and the p-value that of termdrift's G2.

Usage: cooc_reference.py TERMDRIFT
"""
import csv
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

CASES = [
    ("window 5 harmonic", ["--scope", "window", "--window", "5", "--weighting", "harmonic"]),
    ("window 3 none", ["--scope", "window", "--window", "3", "--weighting", "none"]),
    ("window 4 across sentences", ["--scope", "window", "--window", "4", "--weighting", "harmonic",
                                   "--cross-sentences"]),
    ("window 2 left", ["--scope", "window", "--window", "2", "--direction", "left"]),
    ("sentence", ["--scope", "sentence"]),
    ("document", ["--scope", "document"]),
]
COMMON = ["-i", "data/seeds", "--today", "2026-01-01", "-q"]


def read_tokens(path):
    """doc_id -> list of sentences -> list of tokens, in order."""
    docs = defaultdict(lambda: defaultdict(list))
    order = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["doc_id"] not in docs:
                order.append(row["doc_id"])
            docs[row["doc_id"]][int(row["sentence"])].append(row["token"])
    return [[docs[d][s] for s in sorted(docs[d])] for d in order]


def count(docs, args):
    scope = args[args.index("--scope") + 1]
    window = int(args[args.index("--window") + 1]) if "--window" in args else 5
    harmonic = "harmonic" in args
    direction = args[args.index("--direction") + 1] if "--direction" in args else "symmetric"
    cross = "--cross-sentences" in args
    X = defaultdict(float)      # (a, b) -> weight, the matrix as defined
    C = defaultdict(int)        # the same, counting 1 per co-occurrence
    row, col = defaultdict(float), defaultdict(float)
    total = 0.0
    for doc in docs:
        if scope == "window":
            segments = [sum(doc, [])] if cross else doc
            for seg in segments:
                for i in range(len(seg)):
                    for d in range(1, window + 1):
                        j = i + d
                        if j >= len(seg):
                            break
                        w = 1.0 / d if harmonic else 1.0
                        a, b = seg[i], seg[j]
                        pairs = {"symmetric": [(a, b), (b, a)], "left": [(b, a)], "right": [(a, b)]}[direction]
                        for p in pairs:
                            X[p] += w
                            C[p] += 1
        else:
            units = doc if scope == "sentence" else [sum(doc, [])]
            for unit in units:
                terms = sorted(set(unit))
                if not terms:
                    continue
                total += 1
                for t in terms:
                    row[t] += 1
                    col[t] += 1
                for x in range(len(terms)):
                    for y in range(x + 1, len(terms)):
                        X[(terms[x], terms[y])] += 1
                        C[(terms[x], terms[y])] += 1
    if scope == "window":
        for (a, b), w in X.items():
            row[a] += w
            col[b] += w
            total += w
    return X, C, row, col, total, scope == "window" and direction == "symmetric", harmonic and scope == "window"


def measures(n_ab, n_a, n_b, n):
    pmi = math.log2(n_ab * n / (n_a * n_b))
    h = -math.log2(n_ab / n)
    npmi = pmi / h if h > 0 else 1.0
    k = [n_ab, max(0.0, n_a - n_ab), max(0.0, n_b - n_ab), max(0.0, n - n_a - n_b + n_ab)]
    r1, r2, c1, c2 = k[0] + k[1], k[2] + k[3], k[0] + k[2], k[1] + k[3]
    t = r1 + r2
    e = [r1 * c1 / t, r1 * c2 / t, r2 * c1 / t, r2 * c2 / t]
    g2 = max(0.0, 2 * sum(x * math.log(x / y) for x, y in zip(k, e) if x > 0 and y > 0))
    return pmi, npmi, g2, math.erfc(math.sqrt(g2 / 2))


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main():
    td = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([td, "tokens"] + COMMON + ["-o", os.path.join(tmp, "tok")], check=True)
        docs = read_tokens(os.path.join(tmp, "tok", "tokens.csv"))
        for name, args in CASES:
            out = os.path.join(tmp, name.replace(" ", "_"))
            subprocess.run([td, "cooc"] + COMMON + args + ["--precision", "17", "-o", out], check=True)
            X, C, row, col, total, symmetric, weighted = count(docs, args)
            want = {}
            for (a, b), c in C.items():
                if symmetric and a > b:
                    continue
                want[(a, b)] = (c, X[(a, b)])
            got = {}
            with open(os.path.join(out, "cooc.csv"), encoding="utf-8", newline="") as f:
                for r in csv.DictReader(f):
                    got[(r["term_a"], r["term_b"])] = r
            problems = []
            if set(got) != set(want):
                problems.append("pairs differ: %d only in termdrift, %d only here"
                                % (len(set(got) - set(want)), len(set(want) - set(got))))
            for key in sorted(set(got) & set(want)):
                r, (c, w) = got[key], want[key]
                n_ab = w if weighted else float(c)
                ref = measures(n_ab, row[key[0]], col[key[1]], total)
                vals = (float(r["pmi"]), float(r["npmi"]), float(r["llr"]))
                # the p-value of a G2 near 0 moves a thousand times more than
                # G2 itself: it is checked against termdrift's own G2
                p_ok = close(float(r["p_value"]), math.erfc(math.sqrt(float(r["llr"]) / 2)))
                if int(r["count"]) != c or not close(float(r["weighted"]), w) or not p_ok or \
                        not all(close(x, y) for x, y in zip(vals, ref)):
                    problems.append("%s: termdrift %s, reference count %d weighted %r measures %r"
                                    % (key, dict(r), c, w, ref))
                    break
            if problems:
                failures += 1
                print("oracle: cooc %s: %s" % (name, problems[0]))
    n = len(CASES)
    print("oracle: %d of %d co-occurrence cases agree with the Python reference" % (n - failures, n))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
