#!/usr/bin/python3
"""The reference side of the LDA benchmark: scikit-learn's variational LDA on
the document-term counts termdrift wrote (`termdrift tf --outputs dtm.mtx`).

Usage: bench_lda_sklearn.py DTM.mtx K [MAX_ITER]
Runs LatentDirichletAllocation(learning_method='batch', max_iter=MAX_ITER,
random_state=0) with the priors of lda_opts_default (doc_topic_prior 5 / K,
topic_word_prior 0.01), one process.  Batch variational EM makes every
iteration a full pass over the corpus, as a Gibbs sweep is; MAX_ITER defaults
to 16, about the time of src/lda.c's 500 sweeps with K = 20 on the State of
the Union corpus (measured: about 20 s each).  The time covers fit only (reading
the file and the perplexity excluded).
Prints: seconds, documents, terms, nonzeros, tokens, iterations, perplexity
of the training counts, and the mean NPMI coherence of the topics' top 10
terms by document co-occurrence, as termdrift's topic_summary.csv defines it
(one line, space-separated).
"""
import sys
import time

import scipy.io
import scipy.sparse as sp
from sklearn.decomposition import LatentDirichletAllocation


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: bench_lda_sklearn.py DTM.mtx K [MAX_ITER]")
    path, k = sys.argv[1], int(sys.argv[2])
    max_iter = int(sys.argv[3]) if len(sys.argv) == 4 else 16
    X = sp.csr_matrix(scipy.io.mmread(path), dtype=float)
    model = LatentDirichletAllocation(n_components=k, learning_method="batch", max_iter=max_iter,
                                      doc_topic_prior=5.0 / k, topic_word_prior=0.01,
                                      random_state=0, n_jobs=1)
    start = time.perf_counter()
    model.fit(X)
    seconds = time.perf_counter() - start
    perplexity = model.perplexity(X)
    print("%.3f %d %d %d %d %d %.6g %.4f" % (seconds, X.shape[0], X.shape[1], X.nnz, int(X.sum()),
                                             model.n_iter_, perplexity, coherence(X, model.components_)))


def coherence(X, components, n=10):
    """Mean over topics of the mean NPMI of the pairs of its top n terms:
    ln(P(a,b) / (P(a) P(b))) / -ln P(a,b), -1 for a pair never together,
    probabilities over documents (src/cli/topics.c's definition)."""
    import math
    present = (X > 0).astype(float).tocsc()
    n_docs = X.shape[0]
    total = 0.0
    for row in components:
        top = sorted(range(len(row)), key=lambda w: (-row[w], w))[:n]
        cols = present[:, top].toarray()
        pairs = []
        for i in range(len(top)):
            for j in range(i + 1, len(top)):
                pa, pb = cols[:, i].sum() / n_docs, cols[:, j].sum() / n_docs
                pab = (cols[:, i] * cols[:, j]).sum() / n_docs
                pairs.append(-1.0 if pab <= 0 else 1.0 if pab >= 1 else math.log(pab / (pa * pb)) / -math.log(pab))
        total += sum(pairs) / len(pairs)
    return total / len(components)


if __name__ == "__main__":
    main()
