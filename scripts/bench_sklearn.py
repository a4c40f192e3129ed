#!/usr/bin/python3
"""The reference side of `make bench`: scikit-learn's TfidfVectorizer on the
same texts termdrift reads, reading included.

Usage: bench_sklearn.py FILE.jsonl NGRAM_MAX
Prints: seconds, documents, terms, nonzeros (one line, space-separated).
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer


def main():
    path, ngram_max = sys.argv[1], int(sys.argv[2])
    start = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    vec = TfidfVectorizer(ngram_range=(1, ngram_max))
    X = vec.fit_transform(texts)
    seconds = time.perf_counter() - start
    print("%.3f %d %d %d" % (seconds, X.shape[0], X.shape[1], X.nnz))


if __name__ == "__main__":
    main()
