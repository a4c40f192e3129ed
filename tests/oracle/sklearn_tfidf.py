#!/usr/bin/python3
"""Oracle: termdrift's term counts and TF-IDF against scikit-learn's.

For each corpus and each option set, runs `termdrift tfidf` with
--tokenizer sklearn --stopwords none --no-boilerplate --dedup off
--ngram-across-sentences --precision 17 on a JSON Lines file, fits
scikit-learn's CountVectorizer and TfidfVectorizer on the same texts, and
checks: identical vocabularies (same terms, same order), identical counts,
identical document frequencies, idf and every tf-idf value within 1e-12.

Usage: sklearn_tfidf.py TERMDRIFT   (run from the repository root)
Exit status 0 when every case agrees; 1 otherwise, with the differences.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import scipy.io
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

TOL = 1e-12


def seeds_corpus():
    docs = []
    for path in sorted(glob.glob("data/seeds/*.txt")):
        with open(path, encoding="utf-8") as f:
            docs.append((os.path.basename(path)[:-4], f.read()))
    return docs


def made_up_corpus():
    texts = [
        "Café déjà vu: naïve façade, CAFÉ again; résumé 2025-02-26.",
        "Москва и Киев: переговоры 2025 года, Київ’s Ελλάδα ΟΔΟΣ σοφός.",
        "",
        "snake_case and __dunder__ words, x_1 y2 3z, 46,000 troops and 2.5% GDP.",
        "İstanbul İSTANBUL ǅemal Straße STRASSE ﬁne ＦＵＬＬ width 東京 北京 東京.",
        "e\u0301te\u0301 combining marks; emoji 🙂🙂 here; tab\tand\nnew line",
        "   ",
        "a a a b b c the the the of of and and and and",
        "Security guarantee security GUARANTEE backstop backstop Backstop.",
        "_ __ a1 1a 12 1 ½ ³ Ⅻ ⅻ ① x²",
    ]
    return [("m%02d" % i, t) for i, t in enumerate(texts)]


# (termdrift options, scikit-learn keyword arguments)
CASES = [
    ([], {}),
    (["--sublinear"], {"sublinear_tf": True}),
    (["--binary"], {"binary": True}),
    (["--idf", "plain"], {"smooth_idf": False}),
    (["--norm", "l1"], {"norm": "l1"}),
    (["--norm", "none"], {"norm": None}),
    (["--idf", "none"], {"use_idf": False}),
    (["--min-df", "2"], {"min_df": 2}),
    (["--min-df", "0.3", "--max-df", "0.9"], {"min_df": 0.3, "max_df": 0.9}),
    (["--max-df", "3"], {"max_df": 3}),
    (["--max-features", "40"], {"max_features": 40}),
    (["--ngram", "1:2"], {"ngram_range": (1, 2)}),
    (["--ngram", "1:3", "--sublinear", "--norm", "l1"], {"ngram_range": (1, 3), "sublinear_tf": True, "norm": "l1"}),
    (["--ngram", "2:3", "--min-df", "2"], {"ngram_range": (2, 3), "min_df": 2}),
]

BASE = ["--tokenizer", "sklearn", "--stopwords", "none", "--no-boilerplate", "--dedup", "off",
        "--ngram-across-sentences", "--precision", "17", "-q", "--threads", "2"]


def read_vocab(path):
    import csv
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


def check_case(termdrift, name, docs, opts, kwargs, workdir):
    problems = []
    jsonl = os.path.join(workdir, name + ".jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        for doc_id, text in docs:
            f.write(json.dumps({"id": doc_id, "date": "2025-02-26", "text": text}, ensure_ascii=False) + "\n")
    out = os.path.join(workdir, "out")
    cmd = [termdrift, "tfidf", "-i", jsonl, "-o", out] + BASE + opts
    run = subprocess.run(cmd, capture_output=True, text=True)
    texts = [t for _, t in docs]
    count_kwargs = {k: v for k, v in kwargs.items() if k in ("min_df", "max_df", "max_features", "ngram_range")}
    cv = CountVectorizer(**count_kwargs)
    try:
        counts = cv.fit_transform(texts)
    except ValueError as err:
        # scikit-learn refuses (every term pruned, ...): termdrift must too.
        if run.returncode == 1 and run.stderr.count("\n") == 1:
            return []
        return ["scikit-learn refused (%s) but termdrift exited %d" % (err, run.returncode)]
    if run.returncode != 0:
        return ["termdrift failed (%d): %s" % (run.returncode, run.stderr.strip())]

    tv = TfidfVectorizer(**kwargs)
    weights = tv.fit_transform(texts)
    sk_terms = list(cv.get_feature_names_out())

    vocab = read_vocab(os.path.join(out, "vocab.csv"))
    td_terms = [r["term"] for r in vocab]
    ties = "max_features" in kwargs
    if ties:
        # scikit-learn's order among terms of equal frequency at the cut is
        # not stable; accept any choice that keeps the highest frequencies.
        cf = {r["term"]: int(r["cf"]) for r in vocab}
        full = CountVectorizer(**{k: v for k, v in count_kwargs.items() if k != "max_features"})
        all_counts = np.asarray(full.fit_transform(texts).sum(axis=0)).ravel()
        all_cf = dict(zip(full.get_feature_names_out(), all_counts))
        cut = min(cf.values())
        if len(td_terms) != kwargs["max_features"] or sorted(td_terms) != td_terms:
            problems.append("max_features: %d terms, sorted=%s" % (len(td_terms), sorted(td_terms) == td_terms))
        if any(c > cut for t, c in all_cf.items() if t not in cf):
            problems.append("max_features: a dropped term is more frequent than a kept one")
        if set(td_terms) != set(sk_terms):
            tied = {t for t, c in all_cf.items() if c == cut}
            if (set(td_terms) ^ set(sk_terms)) - tied:
                problems.append("max_features: differences beyond the tie at the cut")
            return problems  # matrices differ in the tied columns: nothing more to compare
    if td_terms != sk_terms:
        missing = [t for t in sk_terms if t not in set(td_terms)][:10]
        extra = [t for t in td_terms if t not in set(sk_terms)][:10]
        return problems + ["vocabulary differs: %d vs %d terms; missing %r; extra %r"
                           % (len(td_terms), len(sk_terms), missing, extra)]

    dtm = scipy.io.mmread(os.path.join(out, "dtm.mtx")).tocsr()
    if dtm.shape != counts.shape or (dtm != counts).nnz != 0:
        problems.append("counts differ (shapes %s vs %s)" % (dtm.shape, counts.shape))
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    if [int(r["df"]) for r in vocab] != list(df):
        problems.append("document frequencies differ")
    if kwargs.get("use_idf", True):
        idf = np.array([float(r["idf"]) for r in vocab])
        if np.max(np.abs(idf - tv.idf_)) > TOL:
            problems.append("idf differs by %g" % np.max(np.abs(idf - tv.idf_)))
    tfidf = scipy.io.mmread(os.path.join(out, "tfidf.mtx")).tocsr()
    diff = abs(tfidf - weights)
    worst = diff.max() if diff.nnz else 0.0
    if tfidf.shape != weights.shape or worst > TOL:
        problems.append("tf-idf differs by %g" % worst)
    return problems


def main():
    termdrift = os.path.abspath(sys.argv[1])
    failures = 0
    checks = 0
    with tempfile.TemporaryDirectory() as workdir:
        for name, docs in (("seeds", seeds_corpus()), ("made_up", made_up_corpus())):
            for opts, kwargs in CASES:
                checks += 1
                problems = check_case(termdrift, name, docs, opts, kwargs, workdir)
                label = "%s %s" % (name, " ".join(opts) or "(defaults)")
                if problems:
                    failures += 1
                    print("oracle: FAIL %s: %s" % (label, "; ".join(problems)))
    print("oracle: %d of %d cases agree with scikit-learn" % (checks - failures, checks))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
