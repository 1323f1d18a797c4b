"""The learned reranker: one feature definition for training and serving, a shipped model that
matches it, and reordering that never loses or invents a passage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from service.domain import Chunk, DateRange, Passage
from service.reranking import DEFAULT_MODEL, FEATURES, Reranker, candidate_features


def passage(n: int, text: str, title: str = "Barrier news", score: float = 0.03) -> Passage:
    chunk = Chunk(
        id=f"a{n}-0", article_id=f"a{n}", position=0, start=0, end=len(text), text=text, title=title,
        published=dt.date(2026, 11, 23), source="gazette.example", url=None, content_hash=str(n) * 64,
    )
    return Passage(chunk=chunk, score=score / (n + 1), dense_rank=n + 1, dense_score=0.5 - n / 100)


PASSAGES = [
    passage(0, "The River Tarn rose to 4.87 metres at the Weir Street gauge."),
    passage(1, "The barrier was installed last year at a cost of 19.5 million pounds."),
    passage(2, "Farmland near Elsworth was flooded on Monday."),
]
QUESTION = "What did the Millbrook flood barrier cost?"


def test_features_have_one_column_per_name() -> None:
    features = candidate_features(QUESTION, dt.date(2026, 11, 24), DateRange(), PASSAGES)
    assert features.shape == (3, len(FEATURES))
    kind_any = features[:, FEATURES.index("kind_any")]
    assert kind_any.tolist() == [0.0, 1.0, 0.0]  # only the cost sentence holds a sum of money
    assert features[:, FEATURES.index("fused_rank")].tolist() == [1.0, 2.0, 3.0]


def test_the_shipped_model_was_trained_on_these_features() -> None:
    reranker = Reranker(DEFAULT_MODEL)
    scores = reranker.scores(candidate_features(QUESTION, dt.date(2026, 11, 24), DateRange(), PASSAGES))
    assert scores.shape == (3,) and np.isfinite(scores).all()


def test_reranking_is_a_permutation() -> None:
    reranked = Reranker(DEFAULT_MODEL).rerank(QUESTION, dt.date(2026, 11, 24), DateRange(), PASSAGES)
    assert sorted(p.chunk.id for p in reranked) == sorted(p.chunk.id for p in PASSAGES)


def test_a_model_of_other_features_is_refused(tmp_path: Path) -> None:
    lightgbm = pytest.importorskip("lightgbm")
    rows = np.random.default_rng(0).random((40, 2))
    booster = lightgbm.train({"objective": "binary", "verbose": -1, "min_data_in_leaf": 1},
                             lightgbm.Dataset(rows, (rows[:, 0] > 0.5).astype(int), feature_name=["a", "b"]),
                             num_boost_round=2)
    booster.save_model(str(tmp_path / "other.txt"))
    with pytest.raises(ValueError, match="retrain"):
        Reranker(tmp_path / "other.txt")
