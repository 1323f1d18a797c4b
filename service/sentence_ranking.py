"""A learned sentence scorer: which sentence of the retrieved passages holds the answer?

The rule scorer in evidence.py counts words shared with the question. On real news the sentence
that answers often shares few of them ("Which city ...?" is answered by "Tensions flared in
Minneapolis ..."), while a sentence that repeats the question's words answers nothing. Signals that
tell them apart are cheap but hard to weigh by hand: words shared rarely across the candidates
(local IDF), names the question does not already hold (the answer is often a new name), the kind of
thing asked for, the passage's rank and retriever scores, the sentence's place in its article, its
neighbours. A small gradient-boosted model (LightGBM) weighs them; eval/train_sentence_ranker.py
trains it with week-grouped cross-validation into service/models/sentence_ranker.txt.

`sentence_features` is the one definition of the features, used by training and serving alike.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from service.answer_types import holds_kind, question_kind
from service.domain import Passage
from service.evidence import LEANS_BACK, ScoredSentence, question_keys
from service.reranking import KINDS, MISSING_RANK
from service.text import content_words, names, numbers, sentence_spans

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "sentence_ranker.txt"
FEATURES = [
    "words_shared", "words_shared_ratio", "rare_words_shared", "keys_shared", "new_names", "figures",
    "holds_kind", "question_kind", "title_words_shared", "passage_rank", "passage_score_ratio",
    "dense_rank", "lexical_rank", "sentence_index", "chunk_position", "tokens", "before_shared",
    "after_shared", "article_passages", "leans_back", "quoted", "best_in_passage", "question_words",
    "dense_similarity", "dense_similarity_gap",
]
Embed = Callable[[list[str]], list[list[float]]]
# Rows of unit vectors, one per sentence: stored ones read back (components/sentence_vectors.py).
EmbedSentences = Callable[[list[str]], np.ndarray]


def sentence_features(
    question: str,
    passages: list[Passage],
    count: Callable[[str], int],
    embed: Embed,
    embed_sentences: EmbedSentences | None = None,
) -> tuple[list[ScoredSentence], np.ndarray]:
    """Every sentence of every passage (score 0 until a model scores it) and one row of FEATURES each.

    embed gives unit vectors: a sentence's cosine to the question sees paraphrase that shared words miss.
    embed_sentences, when given, supplies the sentences' vectors (stored at ingest) and embed only the
    question's.
    """
    q_words = content_words(question)
    q_keys = question_keys(question)
    q_names = names(question)
    kind = question_kind(question)
    top_score = max((p.score for p in passages), default=1.0) or 1.0
    per_article = Counter(p.chunk.article_id for p in passages)
    parsed = []
    for index, passage in enumerate(passages):
        text = passage.chunk.text
        for start, end, _ in sentence_spans(text):
            parsed.append((index, start, end, text[start:end], content_words(text[start:end])))
    # A word in most candidate sentences tells them apart no better than a stop word.
    frequency = Counter(word for *_, words in parsed for word in words)
    total = max(len(parsed), 1)
    shared_by_sentence = [len(words & q_words) for *_, words in parsed]
    similarity = _similarities(question, [item[3] for item in parsed], embed, embed_sentences)
    best_similarity = max(similarity, default=0.0)
    positions_in_passage: dict[int, list[int]] = {}
    for position, item in enumerate(parsed):
        positions_in_passage.setdefault(item[0], []).append(position)
    sentences: list[ScoredSentence] = []
    rows = []
    for position, (index, start, end, sentence, words) in enumerate(parsed):
        passage = passages[index]
        shared = words & q_words
        same_passage = positions_in_passage[index]
        within = same_passage.index(position)
        before = shared_by_sentence[position - 1] if within > 0 else 0
        after = shared_by_sentence[position + 1] if within + 1 < len(same_passage) else 0
        sentence_names = names(sentence, first_words=True)  # "Whitfield said ..." shares a name
        sentences.append(ScoredSentence(index, start, end, 0.0, count(sentence)))
        rows.append([
            len(shared),
            len(shared) / max(len(q_words), 1),
            sum(math.log(total / frequency[word]) for word in shared),
            len((sentence_names | numbers(sentence)) & q_keys),
            len(names(sentence) - q_names),  # a sentence's capitalised first word is no new name
            len(numbers(sentence)),
            float(holds_kind(sentence, kind, question)),
            KINDS.index(kind),
            len(content_words(passage.chunk.title) & q_words),
            index,
            passage.score / top_score,
            passage.dense_rank or MISSING_RANK,
            passage.lexical_rank or MISSING_RANK,
            within,
            passage.chunk.position,
            sentences[-1].tokens,
            before,
            after,
            per_article[passage.chunk.article_id],
            float(bool(LEANS_BACK.match(sentence))),
            float(any(mark in sentence for mark in "\"“”")),
            float(len(shared) == max(shared_by_sentence[i] for i in same_passage)),
            len(q_words),
            similarity[position],
            best_similarity - similarity[position],
        ])
    return sentences, np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def _similarities(
    question: str, sentences: list[str], embed: Embed, embed_sentences: EmbedSentences | None
) -> list[float]:
    if not sentences:
        return []
    if embed_sentences is None:
        vectors = np.asarray(embed([question, *sentences]), dtype=np.float64)
        return [float(v) for v in vectors[1:] @ vectors[0]]
    question_vector = np.asarray(embed([question])[0], dtype=np.float64)
    return [float(v) for v in np.asarray(embed_sentences(sentences), dtype=np.float64) @ question_vector]


def squashed(raw_scores: np.ndarray) -> np.ndarray:
    """A model's raw scores as scores in (0, 1): a binary model's probabilities, a ranking model's
    order kept (its scores may be negative, and evidence never chooses a sentence scoring 0 or less)."""
    return 1.0 / (1.0 + np.exp(-raw_scores))


class SentenceRanker:
    """Scores sentences by the learned model, in (0, 1): higher, likelier to hold the answer."""

    def __init__(
        self, embed: Embed, model_file: Path = DEFAULT_MODEL, embed_sentences: EmbedSentences | None = None
    ) -> None:
        import lightgbm

        self._embed = embed
        self._embed_sentences = embed_sentences
        self._booster = lightgbm.Booster(model_file=str(model_file))
        if self._booster.feature_name() != FEATURES:
            raise ValueError(f"{model_file} was trained on other features: retrain with eval/train_sentence_ranker.py")

    def score_sentences(
        self, question: str, passages: list[Passage], count: Callable[[str], int]
    ) -> list[ScoredSentence]:
        sentences, features = sentence_features(question, passages, count, self._embed, self._embed_sentences)
        if not sentences:
            return []
        scores = squashed(np.asarray(self._booster.predict(features, raw_score=True)))
        return [
            ScoredSentence(s.passage, s.start, s.end, float(score), s.tokens)
            for s, score in zip(sentences, scores, strict=True)
        ]
