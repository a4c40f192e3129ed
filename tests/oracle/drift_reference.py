#!/usr/bin/python3
"""A reference for termdrift drift, written from the README's definitions
with numpy and scipy: termdrift tfidf's tables (tf.csv, tfidf.csv, docs.csv)
are binned by day again here, and every value of drift_by_day.csv,
term_trends.csv and term_trends_wide.csv must agree within 1e-9:

- JSD: scipy.spatial.distance.jensenshannon(p, q, base=2) ** 2 of the
  smoothed distributions over the whole vocabulary; Hellinger from its
  definition; the cosine distance of the bins' TF-IDF centroids;
- the log-odds ratio with an informative Dirichlet prior and its z-score
  (Monroe, Colaresi and Quinn 2008), prior = mean bin size x corpus share;
- the permutation p-value, where the pool splits in at most R ways, by
  enumerating every split with itertools (an exact test); otherwise it must be
  a multiple of 1 / (R + 1) in (0, 1].

Usage: drift_reference.py TERMDRIFT
"""
import csv
import itertools
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date, timedelta

import numpy as np
from scipy.spatial.distance import jensenshannon

CORPORA = [
    ("drift.jsonl", ["-i", "tests/e2e/data/drift.jsonl"], 99),
    ("seeds", ["-i", "data/seeds"], 999),
]
COMMON = ["--today", "2026-01-01", "-q", "--precision", "17"]
SMOOTHING = 0.01
TOL = 1e-9


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def num(text):
    return math.nan if text == "" else float(text)


def close(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def jsd_hellinger(ca, cb, n_terms):
    p = (ca + SMOOTHING) / (ca.sum() + n_terms * SMOOTHING)
    q = (cb + SMOOTHING) / (cb.sum() + n_terms * SMOOTHING)
    jsd = jensenshannon(p, q, base=2) ** 2
    hel = math.sqrt(0.5 * ((np.sqrt(p) - np.sqrt(q)) ** 2).sum())
    return jsd, hel


def log_odds(y_i, n_i, y_j, n_j, a_w, a0):
    delta = math.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - math.log((y_j + a_w) / (n_j + a0 - y_j - a_w))
    return delta, delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))


def check(name, args, permutations, td, tmp):
    problems = []
    tf_dir, drift_dir = os.path.join(tmp, name + "-tfidf"), os.path.join(tmp, name + "-drift")
    subprocess.run([td, "tfidf"] + args + COMMON + ["-o", tf_dir], check=True)
    subprocess.run([td, "drift"] + args + COMMON + ["-o", drift_dir, "--permutations", str(permutations),
                                                     "--seed", "5"], check=True)
    vocab = read(os.path.join(tf_dir, "vocab.csv"))
    n_terms = len(vocab)
    term_id = {v["term"]: int(v["term_id"]) for v in vocab}
    docs = [d for d in read(os.path.join(tf_dir, "docs.csv")) if d["status"] == "ok"]
    counts = defaultdict(lambda: np.zeros(n_terms))
    weights = defaultdict(lambda: np.zeros(n_terms))
    for row in read(os.path.join(tf_dir, "tf.csv")):
        counts[row["doc_id"]][int(row["term_id"])] += int(row["count"])
    for row in read(os.path.join(tf_dir, "tfidf.csv")):
        weights[row["doc_id"]][term_id[row["term"]]] += float(row["tfidf"])
    dated = [d for d in docs if d["date"]]
    days = sorted({d["date"] for d in dated})
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    bins = [(first + timedelta(n)).isoformat() for n in range((last - first).days + 1)]
    members = {b: [d["doc_id"] for d in dated if d["date"] == b] for b in bins}
    sums = {b: sum((counts[d] for d in members[b]), np.zeros(n_terms)) for b in bins}
    grand = sum(sums.values())
    full = [b for b in bins if members[b]]
    a0 = grand.sum() / len(full)

    rows = read(os.path.join(drift_dir, "drift_by_day.csv"))
    if [r["date"] for r in rows] != bins:
        problems.append("drift_by_day.csv dates %s, expected %s" % ([r["date"] for r in rows], bins))
        return problems
    prev_of = {}
    prev = None
    for r in rows:
        b = r["date"]
        if int(r["n_docs"]) != len(members[b]):
            problems.append("%s: n_docs %s, expected %d" % (b, r["n_docs"], len(members[b])))
        if not members[b]:
            if any(r[k] for k in ("prev_date", "jsd", "jsd_p_value", "hellinger", "cosine", "jsd_from_first")):
                problems.append("%s: an empty bin has measures" % b)
            continue
        jsd_first, _ = jsd_hellinger(sums[full[0]], sums[b], n_terms)
        if not close(num(r["jsd_from_first"]), jsd_first):
            problems.append("%s: jsd_from_first %s, expected %r" % (b, r["jsd_from_first"], jsd_first))
        if prev is None:
            prev = b
            continue
        prev_of[b] = prev
        jsd, hel = jsd_hellinger(sums[prev], sums[b], n_terms)
        ca = sum((weights[d] for d in members[prev]), np.zeros(n_terms))
        cb = sum((weights[d] for d in members[b]), np.zeros(n_terms))
        cosine = 1 - ca.dot(cb) / (np.linalg.norm(ca) * np.linalg.norm(cb))
        for key, want in (("jsd", jsd), ("hellinger", hel), ("cosine", cosine)):
            if not close(num(r[key]), want):
                problems.append("%s: %s %s, expected %r" % (b, key, r[key], want))
        if r["prev_date"] != prev:
            problems.append("%s: prev_date %s, expected %s" % (b, r["prev_date"], prev))
        pool = members[prev] + members[b]
        p_value = num(r["jsd_p_value"])
        if math.comb(len(pool), len(members[prev])) <= permutations:
            reached = ways = 0
            for group in itertools.combinations(pool, len(members[prev])):
                rest = [d for d in pool if d not in group]
                sa = sum((counts[d] for d in group), np.zeros(n_terms))
                sb = sum((counts[d] for d in rest), np.zeros(n_terms))
                split, _ = jsd_hellinger(sa, sb, n_terms)
                reached += split >= jsd - 1e-12 * max(1.0, jsd)
                ways += 1
            if not close(p_value, reached / ways):
                problems.append("%s: exact p-value %s, expected %r" % (b, r["jsd_p_value"], reached / ways))
        elif not (0 < p_value <= 1 and close(p_value * (permutations + 1), round(p_value * (permutations + 1)))):
            problems.append("%s: p-value %s is not k / %d" % (b, r["jsd_p_value"], permutations + 1))
        prev = b

    n_rows = 0
    for r in read(os.path.join(drift_dir, "term_trends.csv")):
        n_rows += 1
        b, t = r["date"], term_id[r["term"]]
        y, n_b = sums[b][t], sums[b].sum()
        a_w = a0 * grand[t] / grand.sum()
        want = {"count": y, "rel_freq": y / n_b}
        want["log_odds_vs_rest"], want["z_vs_rest"] = log_odds(y, n_b, grand[t] - y, grand.sum() - n_b, a_w, a0)
        if b in prev_of:
            p = prev_of[b]
            want["log_odds_vs_prev"], want["z_vs_prev"] = log_odds(y, n_b, sums[p][t], sums[p].sum(), a_w, a0)
        else:
            want["log_odds_vs_prev"] = want["z_vs_prev"] = math.nan
        for key, value in want.items():
            if not close(num(r[key]), value):
                problems.append("term_trends %s %s: %s %s, expected %r" % (b, r["term"], key, r[key], value))
    expected_rows = sum(int(((sums[b] > 0) | ((sums[prev_of[b]] > 0) if b in prev_of else False)).sum())
                        for b in full)
    if n_rows != expected_rows:
        problems.append("term_trends.csv has %d rows, expected %d" % (n_rows, expected_rows))

    wide = read(os.path.join(drift_dir, "term_trends_wide.csv"))
    for r in wide:
        for term, value in r.items():
            if term == "date":
                continue
            b = r["date"]
            want = 1e4 * sums[b][term_id[term]] / sums[b].sum() if members[b] else math.nan
            if not close(num(value), want):
                problems.append("term_trends_wide %s %s: %s, expected %r" % (b, term, value, want))
    return problems


def main():
    td = sys.argv[1] if len(sys.argv) > 1 else "build/termdrift"
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, args, permutations in CORPORA:
            problems = check(name, args, permutations, td, tmp)
            for p in problems[:10]:
                print("drift oracle: %s: %s" % (name, p))
            print("drift oracle: %s: %s" % (name, "agrees" if not problems else "%d differences" % len(problems)))
            failed += bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
