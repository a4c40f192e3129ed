#!/usr/bin/python3
"""gensim's LdaSeqModel (dynamic topic model, Blei and Lafferty 2006) on the
same documents termdrift's drift benchmark reads: the speeches of a folder
with a manifest.csv (file,date,...), tokenized by termdrift (its tokens.csv,
so both see the same words), grouped into time slices of SLICE years.

Usage: bench_gensim_ldaseq.py TOKENS_CSV MANIFEST_CSV TOPICS SLICE_YEARS
Prints one line: documents, slices, topics, seconds.
"""
import csv
import sys
import time
from collections import defaultdict

from gensim.corpora import Dictionary
from gensim.models.ldaseqmodel import LdaSeqModel


def main():
    tokens_csv, manifest_csv, k, slice_years = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    start = time.perf_counter()
    words = defaultdict(list)
    with open(tokens_csv, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row.get("stopword", "0") in ("0", "false", ""):
                words[row["doc_id"]].append(row["token"])
    years = {}
    with open(manifest_csv, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            years[row["file"].rsplit(".", 1)[0]] = int(row["date"][:4])
    docs = sorted(words, key=lambda d: (years.get(d, 0), d))
    texts = [words[d] for d in docs]
    first = min(years[d] for d in docs)
    slices = defaultdict(int)
    for d in docs:
        slices[(years[d] - first) // slice_years] += 1
    time_slice = [slices[s] for s in sorted(slices)]
    dictionary = Dictionary(texts)
    corpus = [dictionary.doc2bow(t) for t in texts]
    LdaSeqModel(corpus=corpus, id2word=dictionary, time_slice=time_slice, num_topics=k, em_min_iter=1,
                em_max_iter=1, random_state=1)
    seconds = time.perf_counter() - start
    print("gensim LdaSeqModel: %d documents, %d slices, %d topics, 1 EM iteration: %.1f s"
          % (len(docs), len(time_slice), k, seconds))


if __name__ == "__main__":
    main()
