#!/usr/bin/python3
"""The reference side of the NMF benchmark: scikit-learn's NMF on the TF-IDF
matrix termdrift wrote, with the options src/nmf.c reproduces.

Usage: bench_nmf_sklearn.py TFIDF.mtx K MAX_ITER [REPEATS]
Runs NMF(init='nndsvd', solver='cd', beta_loss='frobenius', tol=0,
max_iter=MAX_ITER, alpha_W=0, alpha_H=0, l1_ratio=0, shuffle=False) so that
both sides do exactly MAX_ITER iterations.  The time covers fit_transform
only (the NNDSVD start included, reading the file excluded); with REPEATS > 1
the fastest run is reported.
Prints: seconds, documents, terms, nonzeros, iterations, reconstruction error
(one line, space-separated; the error with 17 significant digits).
"""
import sys
import time
import warnings

import scipy.io
import scipy.sparse as sp
from sklearn.decomposition import NMF


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit("usage: bench_nmf_sklearn.py TFIDF.mtx K MAX_ITER [REPEATS]")
    path, k, max_iter = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    repeats = int(sys.argv[4]) if len(sys.argv) == 5 else 1
    X = sp.csr_matrix(scipy.io.mmread(path), dtype=float)
    best = None
    for _ in range(repeats):
        model = NMF(n_components=k, init="nndsvd", solver="cd", beta_loss="frobenius",
                    tol=0.0, max_iter=max_iter, alpha_W=0.0, alpha_H=0.0, l1_ratio=0.0,
                    shuffle=False)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit_transform(X)
        seconds = time.perf_counter() - start
        best = seconds if best is None else min(best, seconds)
    print("%.3f %d %d %d %d %.17g" % (best, X.shape[0], X.shape[1], X.nnz, model.n_iter_,
                                      model.reconstruction_err_))


if __name__ == "__main__":
    main()
