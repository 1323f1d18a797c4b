"""Train the passage reranker (service/models/reranker.txt) and report cross-validated figures.

For each question of a set, the fused candidates (without reranking) are featurised by
service.reranking.candidate_features and labelled 1 when the passage holds the gold answer.
Folds are grouped by question group (a RealTimeQA week), so no week's news is both trained and
scored on: the figures estimate what unseen weeks will see. Printed per fold and overall:
answer recall@1/3/5/10 of the fused order and of the reranked order, on held-out questions only.

    .venv/bin/python eval/train_reranker.py --set ../shared/data/rtqa-dev --index eval/runs/bench-index \
        [--check fixed --check-index eval/runs/fixed-index] [--save service/models/reranker.txt]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from service.evaluation import metrics
from service.evaluation.folds import fold_of_groups
from service.evaluation.questions import load_question_set
from service.reranking import FEATURES, candidate_features
from service.retrieval import SearchQuery
from service.settings import RetrievalSettings, Settings
from service.timewords import resolve_time_words
from service.wiring import Services

DEPTHS = (1, 3, 5, 10)
PARAMS = {
    "objective": "lambdarank", "learning_rate": 0.05, "num_leaves": 7, "min_data_in_leaf": 20,
    "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambdarank_truncation_level": 10,
    "verbose": -1, "seed": 7, "num_threads": 2,
}
ROUNDS = 150


def candidate_pools(spec: str, index: Path, depth: int, candidates: int | None = None) -> tuple[list[dict], Services]:
    """Per answerable question: its fused candidates (reranker off), `depth` deep from `candidates` per
    retriever (the setting's default when None), which hold the gold answer, and the served evidence step."""
    qset = load_question_set(spec)
    base = Settings()
    retrieval = base.retrieval.model_copy(update={"rerank": False, **({"candidates": candidates} if candidates else {})})
    services = Services(base.model_copy(update={"data_dir": index, "retrieval": retrieval}))
    services.ingestor.ingest_paths(qset.corpus)
    rows = []
    for question in qset.questions:
        if question.unanswerable or not question.answers:
            continue
        window = resolve_time_words(question.question, question.as_of)
        passages = services.retriever.search(SearchQuery(question.question, depth, window, None, question.as_of))
        if not passages:
            continue
        labels = [metrics.answer_in_passages([p.chunk.text], question.answers, 1) for p in passages]
        rows.append({
            "id": question.id, "set": spec, "group": f"{spec}:{question.group or question.id}",
            "question": question.question, "as_of": question.as_of, "window": window,
            "answers": question.answers, "passages": passages, "y": np.array(labels),
            "evidence": services.finder.evidence,  # the served evidence step (learned sentence scorer by default)
        })
    return rows, services


def dataset(spec: str, index: Path, depth: int) -> list[dict]:
    """Per question: features of its fused candidates and which hold the gold answer."""
    rows, _ = candidate_pools(spec, index, depth)
    for row in rows:
        row["x"] = candidate_features(row["question"], row["as_of"], row["window"], row["passages"])
    return rows


def recall(rows: list[dict], scores: list[np.ndarray] | None) -> dict[str, float]:
    """Share of questions with a gold-holding passage in the top k, fused order or by scores."""
    result = {}
    for k in DEPTHS:
        hits = []
        for i, row in enumerate(rows):
            order = np.arange(len(row["y"])) if scores is None else np.argsort(-scores[i], kind="stable")
            hits.append(float(row["y"][order[:k]].any()))
        result[f"@{k}"] = round(float(np.mean(hits)), 3)
    return result


def answer_in_prompt(rows: list[dict], scores: list[np.ndarray] | None, settings: RetrievalSettings) -> float:
    """Share of questions whose gold answer is inside the evidence the service selects from the top k."""
    hits = []
    for i, row in enumerate(rows):
        order = np.arange(len(row["y"])) if scores is None else np.argsort(-scores[i], kind="stable")
        top = [row["passages"][j] for j in order[: settings.k]]
        evidence = row["evidence"](row["question"], top)
        hits.append(metrics.answer_in_passages([" ".join(p.chunk.text for p in evidence)], row["answers"], 1))
    return round(float(np.mean(hits)), 3)


def train(rows: list[dict]):
    import lightgbm

    usable = [r for r in rows if r["y"].any()]  # a question with no gold passage teaches no order
    data = lightgbm.Dataset(
        np.vstack([r["x"] for r in usable]), np.concatenate([r["y"] for r in usable]),
        group=[len(r["y"]) for r in usable], feature_name=FEATURES,
    )
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def cross_validate(rows: list[dict], folds: int) -> tuple[dict, dict, list[np.ndarray]]:
    fold_of = fold_of_groups([r["group"] for r in rows], folds)
    scores: list[np.ndarray | None] = [None] * len(rows)
    for fold in range(folds):
        train_rows = [r for r in rows if fold_of[r["group"]] != fold]
        model = train(train_rows)
        for i, row in enumerate(rows):
            if fold_of[row["group"]] == fold:
                scores[i] = model.predict(row["x"])
    held_out = [s for s in scores if s is not None]
    return recall(rows, None), recall(rows, held_out), held_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="question_set", required=True, help="question set to train on")
    parser.add_argument("--index", type=Path, required=True, help="data dir holding that set's corpus")
    parser.add_argument("--depth", type=int, default=30, help="fused candidates per question")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds, grouped by week")
    parser.add_argument("--also", nargs=2, action="append", default=[], metavar=("SET", "INDEX"),
                        help="another set (and its index) to train on too; figures are reported per set")
    parser.add_argument("--check", help="a second set, scored with the model trained on all of --set")
    parser.add_argument("--check-index", type=Path, help="data dir of the --check set")
    parser.add_argument("--save", type=Path, help="write the model trained on all of --set here")
    args = parser.parse_args()

    rows = dataset(args.question_set, args.index, args.depth)
    for spec, index in args.also:
        rows += dataset(spec, Path(index), args.depth)
    with_gold = [r for r in rows if r["y"].any()]
    print(f"{len(rows)} answerable questions, {len(with_gold)} with a gold passage in the top {args.depth}")
    fused, reranked, held_out = cross_validate(rows, args.folds)
    retrieval = Settings().retrieval
    fused["answer_in_prompt"] = answer_in_prompt(rows, None, retrieval)
    reranked["answer_in_prompt"] = answer_in_prompt(rows, held_out, retrieval)
    print(json.dumps({"all sets": {"fused": fused, "reranked (cross-validated)": reranked}}))
    for spec in dict.fromkeys(r["set"] for r in rows):
        mine = [i for i, r in enumerate(rows) if r["set"] == spec]
        subset, scores = [rows[i] for i in mine], [held_out[i] for i in mine]
        print(json.dumps({spec: {
            "fused": recall(subset, None) | {"answer_in_prompt": answer_in_prompt(subset, None, retrieval)},
            "reranked (cross-validated)": recall(subset, scores)
            | {"answer_in_prompt": answer_in_prompt(subset, scores, retrieval)},
        }}))
    model = train(rows)
    gains = dict(zip(FEATURES, model.feature_importance("gain").round(1).tolist(), strict=True))
    print("gain by feature:", json.dumps(dict(sorted(gains.items(), key=lambda kv: -kv[1]))))
    if args.check and args.check_index:
        check = dataset(args.check, args.check_index, args.depth)
        check_scores = [model.predict(r["x"]) for r in check]
        print(json.dumps({
            "check set": args.check,
            "fused": recall(check, None) | {"answer_in_prompt": answer_in_prompt(check, None, retrieval)},
            "reranked (trained on --set only)": recall(check, check_scores)
            | {"answer_in_prompt": answer_in_prompt(check, check_scores, retrieval)},
        }))
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        model.save_model(str(args.save))
        print(f"saved {args.save} ({args.save.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
