#!/usr/bin/python3
"""The reference side of `make bench`: scikit-learn's TfidfVectorizer on the
same texts termdrift reads, reading included.

Usage: bench_sklearn.py FILE.jsonl|FOLDER NGRAM_MAX
A folder is read as termdrift reads one: every .txt file under it, sorted by
path, one document each.
Prints: seconds, documents, terms, nonzeros (one line, space-separated).
"""
import json
import os
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer


def main():
    path, ngram_max = sys.argv[1], int(sys.argv[2])
    start = time.perf_counter()
    if os.path.isdir(path):
        files = sorted(os.path.join(root, name) for root, _, names in os.walk(path)
                       for name in names if name.endswith(".txt"))
        texts = []
        for name in files:
            with open(name, encoding="utf-8") as f:
                texts.append(f.read())
    else:
        with open(path, encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    vec = TfidfVectorizer(ngram_range=(1, ngram_max))
    X = vec.fit_transform(texts)
    seconds = time.perf_counter() - start
    print("%.3f %d %d %d" % (seconds, X.shape[0], X.shape[1], X.nnz))


if __name__ == "__main__":
    main()
