"""A learned reranker over the fused candidates: which passage holds the answer?

Reciprocal rank fusion knows only two ranks per passage. Whether a passage can answer also shows
in things fusion never sees: the question's names and figures in it, a sentence holding the kind
of thing asked for (a sum of money for "what did it cost"), the title, the date against the
question's day. No cross-encoder ships its weights on the package registries, so a small
gradient-boosted ranker (LightGBM) over these features does that job. It is trained by
eval/train_reranker.py, with cross-validated figures, into service/models/reranker.txt.

`candidate_features` is the one definition of the features, used by training and serving alike.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np

from service.answer_types import holds_kind, question_kind
from service.domain import DateRange, Passage
from service.evidence import question_keys, relevance
from service.text import content_words, names, numbers, sentences

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "reranker.txt"
KINDS = [None, "money", "percent", "count", "time", "place", "name"]
# A passage absent from one retriever's list ranks just past its end.
MISSING_RANK = 100
FEATURES = [
    "fused_rank", "fused_score_ratio", "dense_rank", "lexical_rank", "dense_score", "lexical_score_ratio",
    "word_overlap", "title_overlap", "names_shared", "names_shared_ratio", "numbers_shared",
    "kind_sentences", "kind_any", "best_sentence", "log_age_days", "after_question_day", "in_window",
    "position", "same_article", "question_kind", "length_chars", "question_words",
]


def candidate_features(
    question: str, as_of: dt.date | None, window: DateRange, passages: list[Passage]
) -> np.ndarray:
    """One row of FEATURES per passage, in the fused order given."""
    q_words = content_words(question)
    q_keys = question_keys(question)
    q_names = names(question)
    q_numbers = numbers(question)
    kind = question_kind(question)
    top_fused = max((p.score for p in passages), default=1.0) or 1.0
    top_lexical = max((p.lexical_score or 0.0 for p in passages), default=1.0) or 1.0
    lowest_dense = min((p.dense_score for p in passages if p.dense_score is not None), default=0.0)
    per_article: dict[str, int] = {}
    for p in passages:
        per_article[p.chunk.article_id] = per_article.get(p.chunk.article_id, 0) + 1
    rows = []
    for rank, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        text_words = content_words(chunk.text)
        chunk_names = names(chunk.text, first_words=True) | names(chunk.title, first_words=True)
        chunk_sentences = sentences(chunk.text) or [chunk.text]
        holding = sum(holds_kind(s, kind, question) for s in chunk_sentences)
        age = (as_of - chunk.published).days if as_of else 0
        rows.append([
            rank,
            passage.score / top_fused,
            passage.dense_rank or MISSING_RANK,
            passage.lexical_rank or MISSING_RANK,
            passage.dense_score if passage.dense_score is not None else lowest_dense,
            (passage.lexical_score or 0.0) / top_lexical,
            len(q_words & text_words) / max(len(q_words), 1),
            len(q_words & content_words(chunk.title)) / max(len(q_words), 1),
            len(q_names & chunk_names),
            len(q_names & chunk_names) / max(len(q_names), 1),
            len(q_numbers & numbers(chunk.text)),
            holding / len(chunk_sentences),
            float(holding > 0),
            max(relevance(s, q_words, q_keys) for s in chunk_sentences),
            math.log1p(abs(age)),
            float(age < 0),
            float(window.contains(chunk.published)) if (window.start or window.end) else 0.5,
            chunk.position,
            per_article[chunk.article_id],
            KINDS.index(kind),
            len(chunk.text),
            len(q_words),
        ])
    return np.asarray(rows, dtype=np.float64).reshape(len(passages), len(FEATURES))


class Reranker:
    """Orders candidates by the learned model's score; ties keep the fused order."""

    def __init__(self, model_file: Path = DEFAULT_MODEL) -> None:
        import lightgbm

        self._booster = lightgbm.Booster(model_file=str(model_file))
        expected = self._booster.feature_name()
        if expected != FEATURES:
            raise ValueError(f"{model_file} was trained on other features: retrain with eval/train_reranker.py")

    def scores(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(self._booster.predict(features), dtype=np.float64)

    def rerank(
        self, question: str, as_of: dt.date | None, window: DateRange, passages: list[Passage]
    ) -> list[Passage]:
        if len(passages) < 2:
            return passages
        scores = self.scores(candidate_features(question, as_of, window, passages))
        order = sorted(range(len(passages)), key=lambda i: (-scores[i], i))
        return [passages[i] for i in order]
