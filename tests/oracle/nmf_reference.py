#!/usr/bin/python3
"""Oracle: termdrift's NMF (`termdrift topics --model nmf`) against
scikit-learn's NMF(init='nndsvd', solver='cd', beta_loss='frobenius').

For each corpus (data/seeds with k = 4; corpora/sotu with k = 20 when it has
been fetched) termdrift writes the TF-IDF matrix X it factorised (tfidf.mtx,
17 digits) and its factors W and H (nmf_w.mtx, nmf_h.mtx), and this script
checks, on that same X:

(a) --max-iter 0, the NNDSVD start.  scikit-learn computes the truncated SVD
    with randomized_svd (10 oversamples, 4 or 7 power iterations, numpy's
    generator), which termdrift cannot reproduce; termdrift computes the top
    k singular triplets to rounding error instead.  So W and H are compared
    - with _initialize_nmf run on the exact SVD (randomized_svd replaced by
      LAPACK's dense SVD and the same svd_flip): every column of W and row of
      H within 1e-9 (relative, Frobenius): only rounding separates the two;
    - with _initialize_nmf as it is: every column within 1e-9 plus the
      distance of scikit-learn's own randomized column to the exact one
      (the triangle inequality: termdrift sits on the exact value, so it can
      only be as far from scikit-learn as scikit-learn is from it).  On the
      seeds (5 documents <= k + 10 random vectors) scikit-learn's SVD is
      exact too and this is again 1e-9; on the State of the Union speeches
      the trailing components of scikit-learn's start are up to ~10% away
      from the exact NNDSVD.
(b) --max-iter 200 --tol 1e-4, the fit.  The reconstruction error
    ||X - W H||_F (computed here from the files) must be within 1% of
    scikit-learn's reconstruction_err_ for NMF(init='nndsvd', solver='cd',
    max_iter=200, tol=1e-4): the starts differ as in (a), so the two runs
    follow different paths to nearby local minima.  As a check of the solver
    itself, scikit-learn's coordinate descent is also started from
    termdrift's own NNDSVD factors (init='custom') for as many iterations as
    termdrift did: the errors must then agree within 1e-6 (relative), the
    two differing only in rounding (termdrift updates the gradient after each
    coordinate and multiplies by 1 / hess).

Usage: nmf_reference.py TERMDRIFT   (run from the repository root)
Exit status 0 when every check passes; 1 otherwise, with the differences.
"""
import os
import subprocess
import sys
import tempfile
import warnings
from unittest import mock

import numpy as np
import scipy.io
import scipy.linalg
import scipy.sparse as sp
import sklearn.decomposition._nmf as sk_nmf
from sklearn.decomposition import NMF
from sklearn.utils.extmath import svd_flip

INIT_TOL = 1e-9      # termdrift's NNDSVD vs the exact one (relative, per component)
FIT_TOL = 0.01       # reconstruction error vs scikit-learn's own fit (relative)
SAME_START_TOL = 1e-6  # vs scikit-learn's CD from termdrift's start (relative)
MAX_ITER = 200
TOL = 1e-4

CORPORA = [("data/seeds", 4), ("corpora/sotu", 20)]
FLAGS = ["--tokenizer", "sklearn", "--stopwords", "none", "--no-boilerplate", "--dedup", "off",
         "--precision", "17"]


def run_topics(termdrift, corpus, k, max_iter, out):
    cmd = [termdrift, "topics", "-i", corpus, "-o", out, "--model", "nmf", "--k", str(k),
           "--max-iter", str(max_iter), "--tol", repr(TOL),
           "--outputs", "tfidf.mtx,nmf_w.mtx,nmf_h.mtx"] + FLAGS
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError("termdrift failed (%d): %s" % (run.returncode, run.stderr.strip()))
    X = sp.csr_matrix(scipy.io.mmread(os.path.join(out, "tfidf.mtx")), dtype=float)
    W = np.asarray(scipy.io.mmread(os.path.join(out, "nmf_w.mtx")), dtype=float)
    H = np.asarray(scipy.io.mmread(os.path.join(out, "nmf_h.mtx")), dtype=float)
    if W.shape != (X.shape[0], k) or H.shape != (k, X.shape[1]):
        raise RuntimeError("W is %r and H %r for a %r X and k = %d" % (W.shape, H.shape, X.shape, k))
    return X, W, H


def exact_svd(M, n_components, **_):
    """randomized_svd's contract computed exactly (dense LAPACK SVD)."""
    U, s, Vt = scipy.linalg.svd(M.toarray() if sp.issparse(M) else M, full_matrices=False)
    U, Vt = svd_flip(U, Vt)
    return U[:, :n_components], s[:n_components], Vt[:n_components]


def error(X, W, H):
    """||X - W H||_F without forming W H (as _beta_divergence for sparse X)."""
    norm_x = X.data @ X.data
    norm_wh = np.sum((W.T @ W) * (H @ H.T))
    cross = np.sum((X @ H.T) * W)
    return np.sqrt(max(norm_x + norm_wh - 2 * cross, 0.0))


def check_init(X, W, H, k):
    problems = []
    W_sk, H_sk = sk_nmf._initialize_nmf(X, k, init="nndsvd", random_state=0)
    with mock.patch.object(sk_nmf, "randomized_svd", exact_svd):
        W_ex, H_ex = sk_nmf._initialize_nmf(X, k, init="nndsvd")
    worst_exact = worst_sk = worst_sk_exact = 0.0
    for t in range(k):
        for name, ours, sk, ex in (("W", W[:, t], W_sk[:, t], W_ex[:, t]), ("H", H[t], H_sk[t], H_ex[t])):
            # all three distances relative to the exact factor, so that the
            # triangle inequality holds as written
            scale = np.linalg.norm(ex) or 1.0
            d_exact = np.linalg.norm(ours - ex) / scale
            d_sk = np.linalg.norm(ours - sk) / scale
            d_sk_exact = np.linalg.norm(sk - ex) / scale
            worst_exact, worst_sk = max(worst_exact, d_exact), max(worst_sk, d_sk)
            worst_sk_exact = max(worst_sk_exact, d_sk_exact)
            if d_exact > INIT_TOL:
                problems.append("%s component %d is %.3g from the exact NNDSVD" % (name, t, d_exact))
            if d_sk > d_sk_exact + INIT_TOL:
                problems.append("%s component %d is %.3g from scikit-learn's, which is %.3g from the exact one"
                                % (name, t, d_sk, d_sk_exact))
    if (W < 0).any() or (H < 0).any():
        problems.append("negative entries in the NNDSVD factors")
    info = "init: vs exact NNDSVD %.2g, vs scikit-learn %.2g (scikit-learn vs exact %.2g)" % (
        worst_exact, worst_sk, worst_sk_exact)
    return problems, info


def check_fit(X, W, H, k, W0, H0):
    problems = []
    if (W < 0).any() or (H < 0).any() or not (np.isfinite(W).all() and np.isfinite(H).all()):
        problems.append("W or H has a negative or non-finite entry")
    ours = error(X, W, H)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = NMF(n_components=k, init="nndsvd", solver="cd", beta_loss="frobenius", tol=TOL,
                    max_iter=MAX_ITER, alpha_W=0.0, alpha_H=0.0, l1_ratio=0.0, shuffle=False,
                    random_state=0)
        model.fit_transform(X)
        theirs = model.reconstruction_err_
        if abs(ours - theirs) > FIT_TOL * theirs:
            problems.append("error %.10g vs scikit-learn's %.10g" % (ours, theirs))
        # the same algorithm from the same start: scikit-learn's CD stops by
        # the same rule, so it does the same iterations up to rounding
        same = NMF(n_components=k, init="custom", solver="cd", beta_loss="frobenius", tol=TOL,
                   max_iter=MAX_ITER, alpha_W=0.0, alpha_H=0.0, l1_ratio=0.0, shuffle=False)
        Ws = same.fit_transform(X, W=W0.copy(), H=H0.copy())
        same_err = error(X, Ws, same.components_)
        if abs(ours - same_err) > SAME_START_TOL * same_err:
            problems.append("error %.10g vs %.10g for scikit-learn's CD from termdrift's start"
                            % (ours, same_err))
    info = ("fit: error %.10g, scikit-learn %.10g (%d iterations; %+.2g%%), from our start %.10g "
            "(%d iterations; %+.2g)" % (ours, theirs, model.n_iter_, 100 * (ours - theirs) / theirs,
                                       same_err, same.n_iter_, (ours - same_err) / same_err))
    return problems, info


def main():
    termdrift = sys.argv[1] if len(sys.argv) > 1 else "build/termdrift"
    failures = checks = 0
    for corpus, k in CORPORA:
        if not os.path.isdir(corpus):
            print("nmf oracle: %s not present, skipped" % corpus)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                X, W0, H0 = run_topics(termdrift, corpus, k, 0, os.path.join(tmp, "init"))
                problems, info = check_init(X, W0, H0, k)
                X2, W, H = run_topics(termdrift, corpus, k, MAX_ITER, os.path.join(tmp, "fit"))
                if (X2 != X).nnz:
                    problems.append("the two runs factorised different matrices")
                fit_problems, fit_info = check_fit(X, W, H, k, W0, H0)
                problems += fit_problems
                info += "; " + fit_info
            except RuntimeError as e:
                problems, info = [str(e)], ""
        checks += 1
        label = "%s k=%d" % (corpus, k)
        if problems:
            failures += 1
            print("nmf oracle: FAIL %s: %s" % (label, "; ".join(problems)))
        print("nmf oracle: %s: %s" % (label, info))
    print("nmf oracle: %d of %d corpora agree with scikit-learn" % (checks - failures, checks))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
