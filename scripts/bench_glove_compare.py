#!/usr/bin/python3
"""The check behind make bench's GloVe comparison: GloVe's cooccur output
(binary records int32 word1, int32 word2, float64 value; words are lines of
its vocab file, from 1) against termdrift's cooc.mtx (symmetric, 1-based
vocab.csv ids).  Prints one line: the pairs on each side and the largest
relative difference; exits 1 when the pairs differ or a value differs by more
than 1e-9.

Usage: bench_glove_compare.py GLOVE_VOCAB GLOVE_BIN TERMDRIFT_DIR
"""
import csv
import os
import sys

import numpy as np


def main():
    vocab_path, bin_path, td = sys.argv[1:4]
    words = [line.split(" ")[0] for line in open(vocab_path, encoding="utf-8")]
    rec = np.fromfile(bin_path, dtype=np.dtype([("w1", "<i4"), ("w2", "<i4"), ("v", "<f8")]))
    glove = {}
    for w1, w2, v in zip(rec["w1"].tolist(), rec["w2"].tolist(), rec["v"].tolist()):
        glove[(words[w1 - 1], words[w2 - 1])] = v
    terms = {}
    with open(os.path.join(td, "vocab.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            terms[int(r["term_id"]) + 1] = r["term"]
    ours = {}
    with open(os.path.join(td, "cooc.mtx"), encoding="utf-8") as f:
        line = f.readline()
        while line.startswith("%"):
            line = f.readline()
        for line in f:
            r, c, v = line.split()
            a, b = terms[int(r)], terms[int(c)]
            ours[(a, b)] = ours[(b, a)] = float(v)
    only = len(set(glove) ^ set(ours))
    worst = max((abs(glove[k] - ours[k]) / max(1.0, abs(glove[k])) for k in glove if k in ours), default=0.0)
    same = only == 0 and worst <= 1e-9
    print("GloVe %d pairs, termdrift %d (both orders), %d in one only, largest relative difference %.1e: %s"
          % (len(glove), len(ours), only, worst, "the same counts" if same else "DIFFERENT"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
