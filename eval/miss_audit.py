"""Which retrieval misses could any retriever have found? A listing to read by hand.

`newsdesk eval retrieval` counts a question as findable when its gold string occurs anywhere in the
corpus, but a short gold ("Japan", "Florida", "57%") occurs by chance in articles about something
else: a World Cup schedule holds "Japan" without saying Japan closed schools over bear attacks. For
every answerable question whose gold occurs in the corpus but in none of the top --depth passages
of a retrieval report, this prints the question, its date and the --show gold-holding chunks nearest
to it (cosine of the stored chunk vectors to the question), each with its date and the words around
the gold. Reading the listing tells a chance match from a passage that answers the question: the
second kind is what retrieval can still win.

    .venv/bin/python eval/miss_audit.py --report eval/runs/r1/report.json --index eval/runs/bench-index \
        --set ../shared/data/rtqa-dev > audit.md
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from service.evaluation import metrics
from service.evaluation.questions import load_question_set
from service.settings import Settings
from service.wiring import Services

CONTEXT_CHARS = 160


def gold_context(text: str, golds: list[str]) -> str:
    lowered = text.lower()
    position = max((lowered.find(g.lower()) for g in golds), default=-1)
    if position < 0:  # the gold matched only after normalisation (quotes, punctuation)
        return text[: 2 * CONTEXT_CHARS]
    return text[max(0, position - CONTEXT_CHARS) : position + CONTEXT_CHARS // 3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--report", type=Path, required=True, help="report.json of `newsdesk eval retrieval`")
    parser.add_argument("--index", type=Path, required=True, help="data dir the report was scored on")
    parser.add_argument("--set", dest="question_set", required=True, help="the report's question set")
    parser.add_argument("--depth", type=int, default=10, help="a miss: no gold in the top this many passages")
    parser.add_argument("--show", type=int, default=2, help="gold-holding chunks listed per miss")
    args = parser.parse_args()

    services = Services(Settings().model_copy(update={"data_dir": args.index}))
    questions = {q.id: q for q in load_question_set(args.question_set).questions}
    records = json.loads(args.report.read_text())["questions"]
    chunks, vectors = [], []
    for chunk, vector in services.store.iter_chunk_vectors():
        chunks.append(chunk)
        vectors.append(vector)
    matrix = np.asarray(vectors, dtype=np.float32)
    texts = [metrics.normalize(f"{c.title} {c.text}") for c in chunks]

    misses = [r for r in records if r["gold_in_corpus"] and not (r["answer_rank"] and r["answer_rank"] <= args.depth)]
    print(f"# Misses at depth {args.depth}: {len(misses)} of {sum(r['gold_in_corpus'] for r in records)} "
          f"questions whose gold occurs in the corpus\n")
    for record in misses:
        question = questions[record["id"]]
        golds = [metrics.normalize(g) for g in record["gold"] if metrics.normalize(g)]
        holding = [i for i, text in enumerate(texts) if any(g in text for g in golds)]
        query = np.asarray(services.query_embedder.embed_batch([question.question])[0], dtype=np.float32)
        nearest = [holding[i] for i in np.argsort(-(matrix[holding] @ query))[: args.show]]
        print(f"## {record['id']} (asked {question.as_of}): {question.question}\n"
              f"gold {record['gold']}, in {len(holding)} chunks\n")
        for i in nearest:
            context = " ".join(gold_context(chunks[i].text, record["gold"]).split())
            print(f"- {chunks[i].published} \"{chunks[i].title[:70]}\": ...{context}...")
        print()


if __name__ == "__main__":
    main()
