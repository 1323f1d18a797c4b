"""Measure alternatives to the served retrieval order, with no model: do they put the answer in front of it?

For each answerable question of each set, the fused candidates (reranker off) are taken 50 deep from
100 per retriever, and reordered by each alternative:
- rules: reciprocal rank fusion with other constants and keyword weights, a recency half-life, at
  most one passage per article among the first;
- learned (LightGBM lambdarank, as service/reranking.py) over the served reranker's 22 features, or
  those plus 12 more (the chunk's and its best sentence's cosine to the question, the article's best
  rank and cosine, how many other candidate articles share its title's words, signed age, each
  retriever's reciprocal-rank share, names shared with the title), cross-validated: folds grouped by
  question group (a RealTimeQA week), every question scored by a model that never saw its group.
Printed per set: answer recall@1/5/10 over passages, and for the fused order and the learned one the
share of questions whose gold answer is inside the evidence the service selects from the top k
(the served evidence step, learned sentence scorer by default).

    .venv/bin/python eval/retrieval_alternatives.py --set ../shared/data/rtqa-dev eval/runs/bench-index \
        --set fixed eval/runs/fixed-index --set hard eval/runs/fixed-index
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
from train_reranker import candidate_pools  # eval/ is on the path when this script runs

from service.evaluation import metrics
from service.evaluation.folds import fold_of_groups
from service.reranking import FEATURES, candidate_features
from service.settings import Settings
from service.text import content_words, names, sentence_spans
from service.wiring import Services

DEPTH, CANDIDATES = 50, 100
EXTRA = ["chunk_cosine", "chunk_cosine_gap", "chunk_cosine_rank", "article_best_rank", "article_best_cosine",
         "story_agreement", "age_days", "dense_share", "lexical_share", "sentence_cosine", "sentence_cosine_gap",
         "title_names_shared"]
PARAMS = {"objective": "lambdarank", "learning_rate": 0.05, "num_leaves": 7, "min_data_in_leaf": 20,
          "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambdarank_truncation_level": 10,
          "verbose": -1, "seed": 7, "num_threads": 2}


def chunk_vectors(index: Path, chunk_ids: list[str]) -> dict[str, np.ndarray]:
    """Chunk vectors from the keyword file, which keeps one per chunk (components/fts_index.py)."""
    found: dict[str, np.ndarray] = {}
    with sqlite3.connect(index / "lexical.sqlite3") as db:
        for offset in range(0, len(chunk_ids), 500):
            page = chunk_ids[offset : offset + 500]
            for chunk_id, blob in db.execute(
                "SELECT c.chunk_id, v.vector FROM chunk c JOIN chunk_vector v ON v.rowid = c.rowid "
                f"WHERE c.chunk_id IN ({','.join('?' * len(page))})", page,
            ):
                found[chunk_id] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    return found


def extra_features(row: dict[str, Any], question_vector: np.ndarray, vectors: dict[str, np.ndarray],
                   sentence_cosines: list[float]) -> np.ndarray:
    passages = row["passages"]
    cosine = np.array([float(vectors[p.chunk.id] @ question_vector) if p.chunk.id in vectors else np.nan
                       for p in passages])
    best = float(np.nanmax(cosine)) if np.isfinite(cosine).any() else 0.0
    cosine_rank = np.empty(len(passages))
    cosine_rank[np.argsort(-np.nan_to_num(cosine, nan=-1.0))] = np.arange(1, len(passages) + 1)
    best_rank: dict[str, int] = {}
    best_cosine: dict[str, float] = {}
    titles: dict[str, set[str]] = {}
    for i, p in enumerate(passages):
        article = p.chunk.article_id
        best_rank.setdefault(article, i + 1)
        best_cosine[article] = max(best_cosine.get(article, -1.0), float(np.nan_to_num(cosine[i], nan=-1.0)))
        titles.setdefault(article, content_words(p.chunk.title))
    question_names = names(row["question"])
    best_sentence = max((c for c in sentence_cosines if not np.isnan(c)), default=np.nan)
    features = []
    for i, p in enumerate(passages):
        mine = titles[p.chunk.article_id]
        agreeing = sum(1 for other, words in titles.items() if other != p.chunk.article_id and mine
                       and len(mine & words) / max(len(mine | words), 1) >= 0.3)
        age = (row["as_of"] - p.chunk.published).days if row["as_of"] else 0
        features.append([
            cosine[i], best - cosine[i], cosine_rank[i], best_rank[p.chunk.article_id],
            best_cosine[p.chunk.article_id], agreeing, max(min(age, 400), -30),
            1 / (60 + p.dense_rank) if p.dense_rank else 0.0, 1 / (60 + p.lexical_rank) if p.lexical_rank else 0.0,
            sentence_cosines[i], best_sentence - sentence_cosines[i],
            len(question_names & names(p.chunk.title, first_words=True)),
        ])
    return np.asarray(features, dtype=np.float64)


def featurize(rows: list[dict[str, Any]], services: Services, index: Path) -> None:
    embed = services.query_embedder.embed_batch
    stored = services.sentence_vectors  # embeds and stores what the index does not hold yet
    for row in rows:
        question_vector = np.asarray(embed([row["question"]])[0], dtype=np.float32)
        vectors = chunk_vectors(index, [p.chunk.id for p in row["passages"]])
        cosines = []
        for p in row["passages"]:
            text = p.chunk.text
            found = [text[start:end] for start, end, _ in sentence_spans(text)]
            matrix = stored.vectors(found) if stored and found else np.zeros((0, len(question_vector)))
            cosines.append(float(np.max(matrix @ question_vector)) if len(matrix) else np.nan)
        row["x"] = np.hstack([candidate_features(row["question"], row["as_of"], row["window"], row["passages"]),
                              extra_features(row, question_vector, vectors, cosines)])


def rule_order(row: dict[str, Any], rrf_k: int, lexical_weight: float, half_life: float, one_per_article: bool) -> np.ndarray:
    scores = []
    for p in row["passages"]:
        score = (1 / (rrf_k + p.dense_rank) if p.dense_rank else 0.0) + \
            (lexical_weight / (rrf_k + p.lexical_rank) if p.lexical_rank else 0.0)
        if half_life and row["as_of"]:
            score *= 0.5 ** (max((row["as_of"] - p.chunk.published).days, 0) / half_life)
        scores.append(score)
    order = list(np.argsort(-np.array(scores), kind="stable"))
    if one_per_article:
        seen: set[str] = set()
        first: list[int] = []
        later: list[int] = []
        for i in order:
            article = row["passages"][i].chunk.article_id
            (later if article in seen else first).append(i)
            seen.add(article)
        order = first + later
    return np.array(order)


def learned_orders(rows: list[dict[str, Any]], columns: list[int], folds: int = 5) -> list[np.ndarray]:
    import lightgbm

    fold_of = fold_of_groups([r["group"] for r in rows], folds)
    orders: list[np.ndarray] = [np.arange(0)] * len(rows)
    for fold in range(folds):
        train = [r for r in rows if fold_of[r["group"]] != fold and r["y"].any()]
        data = lightgbm.Dataset(np.vstack([r["x"][:, columns] for r in train]), np.concatenate([r["y"] for r in train]),
                                group=[len(r["y"]) for r in train])
        model = lightgbm.train(PARAMS, data, num_boost_round=150)
        for i, row in enumerate(rows):
            if fold_of[row["group"]] == fold:
                orders[i] = np.argsort(-np.asarray(model.predict(row["x"][:, columns])), kind="stable")
    return orders


def recall(rows: list[dict[str, Any]], orders: list[np.ndarray], k: int) -> float:
    return float(np.mean([row["y"][order[:k]].any() for row, order in zip(rows, orders, strict=True)]))


def in_prompt(rows: list[dict[str, Any]], orders: list[np.ndarray], k: int) -> float:
    hits = []
    for row, order in zip(rows, orders, strict=True):
        evidence = row["evidence"](row["question"], [row["passages"][i] for i in order[:k]])
        hits.append(metrics.answer_in_passages(["\n".join(p.chunk.text for p in evidence)], row["answers"], 1))
    return float(np.mean(hits))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs=2, action="append", required=True, metavar=("SET", "INDEX"))
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for spec, index in args.set:
        mine, services = candidate_pools(spec, Path(index), DEPTH, CANDIDATES)
        featurize(mine, services, Path(index))
        rows += mine
    k = Settings().retrieval.k
    fused = [np.arange(len(r["y"])) for r in rows]
    variants: dict[str, list[np.ndarray]] = {"fused (served)": fused}
    for rrf_k, weight in ((5, 1.0), (20, 1.0), (60, 0.5), (60, 1.5)):
        variants[f"fusion k={rrf_k} keyword weight {weight}"] = [rule_order(r, rrf_k, weight, 0, False) for r in rows]
    for half_life in (30, 365):
        variants[f"recency half-life {half_life} d"] = [rule_order(r, 60, 1.0, half_life, False) for r in rows]
    variants["one passage per article first"] = [rule_order(r, 60, 1.0, 0, True) for r in rows]
    base = list(range(len(FEATURES)))
    variants["learned, 22 served features"] = learned_orders(rows, base)
    variants["learned, 34 features"] = learned_orders(rows, list(range(len(FEATURES) + len(EXTRA))))
    print("| set | order | answer recall@1 | @5 | @10 | answer in prompt |\n|---|---|---|---|---|---|")
    for spec in dict.fromkeys(r["set"] for r in rows):
        chosen = [i for i, r in enumerate(rows) if r["set"] == spec]
        subset = [rows[i] for i in chosen]
        for name, orders in variants.items():
            picked = [orders[i] for i in chosen]
            prompt = f"{in_prompt(subset, picked, k):.3f}" if name == "fused (served)" or name.startswith("learned") else "-"
            print(f"| {spec} ({len(subset)}) | {name} | {recall(subset, picked, 1):.3f} | {recall(subset, picked, 5):.3f} "
                  f"| {recall(subset, picked, 10):.3f} | {prompt} |")


if __name__ == "__main__":
    main()
