"""Train the evidence sentence scorer (service/models/sentence_ranker.txt); report cross-validated figures.

For each answerable question the top --depth passages are retrieved as the service does, every
sentence of them is featurised by service.sentence_ranking.sentence_features, and a sentence is
labelled 1 when it holds the gold answer. Folds are grouped by week (service/evaluation/folds.py).
The model judges each sentence alone (LightGBM's binary objective, the default), or with
`--params '{"objective": "lambdarank"}'` learns to rank one question's sentences against each other
(each question a group). Ranking was measured and not kept: README, "Trained to rank, not kept".
Printed for held-out questions only, per set and for the questions whose gold answer is in one of
their supporting articles (where an answer can be found for the right reason): the share whose gold
answer is in the best-scored sentence ("top sentence"), and the share whose gold answer is inside
the selected evidence ("answer in prompt") and the evidence tokens, for the rule scorer and for the
learned one at each token budget.

    .venv/bin/python eval/train_sentence_ranker.py --set ../shared/data/rtqa-dev --index eval/runs/bench-index \
        [--also fixed eval/runs/fixed-index] [--save service/models/sentence_ranker.txt]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from service.domain import Passage
from service.evaluation import metrics
from service.evaluation.folds import fold_of_groups
from service.evaluation.questions import load_question_set
from service.evidence import ScoredSentence, select_sentences
from service.retrieval import SearchQuery
from service.sentence_ranking import FEATURES, sentence_features, squashed
from service.settings import Settings
from service.timewords import request_window
from service.tokens import count_tokens
from service.wiring import Services

PARAMS = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 30,
    "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "verbose": -1, "seed": 7,
    "num_threads": 2,
}
ROUNDS = 200
BUDGETS = (200, 300, 400)


def dataset(spec: str, index: Path, depth: int) -> list[dict[str, Any]]:
    qset = load_question_set(spec)
    base = Settings()
    settings = base.model_copy(update={"data_dir": index, "retrieval": base.retrieval.model_copy(update={"rerank": False})})
    services = Services(settings)
    services.ingestor.ingest_paths(qset.corpus)
    supporting_text = _supporting_texts(services, qset)
    rows = []
    for question in qset.questions:
        if question.unanswerable or not question.answers:
            continue
        window = request_window(question.question, question.as_of, None, None)
        query = SearchQuery(question.question, depth, window, None, question.as_of)
        passages = services.retriever.search(query)
        stored = services.sentence_vectors
        sentences, features = sentence_features(question.question, passages, count_tokens,
                                                 services.embedder.embed_batch, stored.vectors if stored else None)
        if not sentences:
            continue
        labels = [
            metrics.answer_in_passages([passages[s.passage].chunk.text[s.start : s.end]], question.answers, 1)
            for s in sentences
        ]
        rows.append({
            "set": spec, "group": f"{spec}:{question.group or question.id}", "question": question.question,
            "answers": question.answers, "passages": passages, "sentences": sentences, "x": features,
            "y": np.array(labels),
            "supported": any(metrics.answer_in_passages([supporting_text.get(i, "")], question.answers, 1)
                             for i in question.supporting_ids),
        })
    return rows


def _supporting_texts(services: Services, qset: Any) -> dict[str, str]:
    wanted = sorted({i for q in qset.questions for i in q.supporting_ids})
    return {article.id: f"{article.title} {article.text}" for article in services.store.get_articles(wanted)}


def train(rows: list[dict[str, Any]], params: dict[str, Any] | None = None, rounds: int = ROUNDS) -> Any:
    import lightgbm

    params = PARAMS | (params or {})
    # A ranking objective compares the sentences of one question: each question is a group.
    groups = [len(r["y"]) for r in rows] if params["objective"] != "binary" else None
    labels = np.concatenate([r["y"] for r in rows]).astype(int)
    data = lightgbm.Dataset(np.vstack([r["x"] for r in rows]), labels, group=groups, feature_name=FEATURES)
    return lightgbm.train(params, data, num_boost_round=rounds)


def cached_dataset(spec: str, index: Path, depth: int, cache: Path | None) -> list[dict[str, Any]]:
    """The dataset, read from cache when given and present (retrieval and sentence vectors take minutes)."""
    import pickle

    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())  # type: ignore[no-any-return]
    rows = dataset(spec, index, depth)
    if cache:
        cache.write_bytes(pickle.dumps(rows))
    return rows


def held_out_scores(rows: list[dict[str, Any]], folds: int, params: dict[str, Any] | None = None,
                    rounds: int = ROUNDS) -> list[np.ndarray]:
    fold_of = fold_of_groups([r["group"] for r in rows], folds)
    scores: list[np.ndarray] = [np.zeros(0)] * len(rows)
    for fold in range(folds):
        model = train([r for r in rows if fold_of[r["group"]] != fold], params, rounds)
        for i, row in enumerate(rows):
            if fold_of[row["group"]] == fold:
                scores[i] = squashed(model.predict(row["x"], raw_score=True))  # as SentenceRanker scores
    return scores


def evidence_scores(rows: list[dict[str, Any]], scores: list[np.ndarray] | None, k: int, budget: int,
                    min_score: float) -> dict[str, float]:
    """Answer in prompt and evidence tokens when evidence is chosen from the top k passages."""
    hits, tokens = [], []
    for i, row in enumerate(rows):
        passages: list[Passage] = row["passages"][:k]
        if scores is None:
            evidence = select_sentences(row["question"], passages, budget, count_tokens)
        else:
            scored = [ScoredSentence(s.passage, s.start, s.end, float(p), s.tokens)
                      for s, p in zip(row["sentences"], scores[i], strict=True) if s.passage < k]
            evidence = select_sentences(row["question"], passages, budget, count_tokens,
                                        lambda *_, scored=scored: scored, min_score)
        text = "\n".join(p.chunk.text for p in evidence)
        hits.append(metrics.answer_in_passages([text], row["answers"], 1))
        tokens.append(count_tokens(text))
    return {"answer_in_prompt": round(float(np.mean(hits)), 3), "tokens_p50": float(np.median(tokens))}


def report(name: str, rows: list[dict[str, Any]], scores: list[np.ndarray], args: argparse.Namespace) -> None:
    if not rows:
        return
    figures: dict[str, Any] = {"questions": len(rows)}
    figures["top sentence holds the answer"] = round(float(np.mean(
        [row["y"][int(np.argmax(score))] > 0 for row, score in zip(rows, scores, strict=True)])), 3)
    for k in args.k:
        for budget in BUDGETS:
            figures[f"rules k={k} budget={budget}"] = evidence_scores(rows, None, k, budget, 0.0)
            for threshold in args.min_probability:
                figures[f"learned k={k} budget={budget} p>{threshold}"] = evidence_scores(
                    rows, scores, k, budget, threshold)
    print(json.dumps({name: figures}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="question_set", required=True, help="question set to train on")
    parser.add_argument("--index", type=Path, required=True, help="data dir holding that set's corpus")
    parser.add_argument("--also", nargs=2, action="append", default=[], metavar=("SET", "INDEX"),
                        help="another set (and its index) to train on too; figures are reported per set")
    parser.add_argument("--depth", type=int, default=10, help="passages retrieved per question")
    parser.add_argument("--k", type=int, nargs="+", default=[5, 10], help="passages the evidence is chosen from")
    parser.add_argument("--min-probability", type=float, nargs="+", default=[0.0, 0.05, 0.1])
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds, grouped by week")
    parser.add_argument("--cache", type=Path, help="pickle of the featurised questions, written once and reused")
    parser.add_argument("--save", type=Path, help="write the model trained on all questions here")
    parser.add_argument("--params", type=json.loads, default={},
                        help=f"LightGBM parameters over the defaults, as JSON (defaults: {json.dumps(PARAMS)})")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="boosting rounds")
    args = parser.parse_args()

    rows = cached_dataset(args.question_set, args.index, args.depth, args.cache)
    for spec, index in args.also:
        rows += cached_dataset(spec, Path(index), args.depth, args.cache and args.cache.with_suffix(f".{Path(spec).name}"))
    scores = held_out_scores(rows, args.folds, args.params, args.rounds)
    for spec in dict.fromkeys(r["set"] for r in rows):
        mine = [i for i, r in enumerate(rows) if r["set"] == spec]
        report(spec, [rows[i] for i in mine], [scores[i] for i in mine], args)
        supported = [i for i in mine if rows[i]["supported"]]
        report(f"{spec}: gold in a supporting article", [rows[i] for i in supported],
               [scores[i] for i in supported], args)
    model = train(rows, args.params, args.rounds)
    gains = dict(zip(FEATURES, model.feature_importance("gain").round(1).tolist(), strict=True))
    print("gain by feature:", json.dumps(dict(sorted(gains.items(), key=lambda kv: -kv[1]))))
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        model.save_model(str(args.save))
        print(f"saved {args.save} ({args.save.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
