"""The learned sentence scorer: features mean what they say, and the shipped model fits them."""

from __future__ import annotations

import datetime as dt

import pytest

from service.domain import Chunk, Passage
from service.evidence import select_sentences
from service.sentence_ranking import DEFAULT_MODEL, FEATURES, SentenceRanker, sentence_features
from service.tokens import count_tokens


def passage(n: int, text: str, title: str = "City news") -> Passage:
    chunk = Chunk(
        id=f"a{n}-1-0000", article_id=f"a{n}", position=0, start=0, end=len(text), text=text, title=title,
        published=dt.date(2026, 1, 8), source="wire.example", url=None, content_hash="1" * 64,
    )
    return Passage(chunk=chunk, score=1.0 / (60 + n), dense_rank=n + 1, lexical_rank=None)


QUESTION = "Which US city was the center of a major immigration crackdown this week?"
ANSWER = "Tensions flared in Minneapolis after agents arrived for the immigration crackdown."
ECHO = "A major immigration crackdown is a matter for every US city, officials said."
FILLER = "The weather stayed mild and the markets were calm."


def fake_embed(texts: list[str]) -> list[list[float]]:
    # Unit vectors that differ by text: enough for tests of the features' logic.
    return [[1.0, 0.0] if i % 2 else [0.6, 0.8] for i, _ in enumerate(texts)]


def feature(rows, sentence_index: int, name: str) -> float:
    return float(rows[sentence_index][FEATURES.index(name)])


def test_one_row_of_features_per_sentence_of_every_passage() -> None:
    passages = [passage(0, f"{ECHO} {FILLER}"), passage(1, ANSWER)]
    sentences, rows = sentence_features(QUESTION, passages, count_tokens, fake_embed)
    assert rows.shape == (3, len(FEATURES))
    assert [(s.passage, passages[s.passage].chunk.text[s.start : s.end]) for s in sentences] == [
        (0, ECHO), (0, FILLER), (1, ANSWER),
    ]


def test_a_name_the_question_does_not_hold_counts_as_new() -> None:
    _, rows = sentence_features(QUESTION, [passage(0, f"{ANSWER} {ECHO}")], count_tokens, fake_embed)
    assert feature(rows, 0, "new_names") == 1  # Minneapolis
    assert feature(rows, 1, "new_names") == 0  # "A" opens the sentence; US is the question's


def test_words_every_candidate_shares_weigh_less_than_rare_ones() -> None:
    common = "The immigration crackdown continued."
    rare = "The crackdown centred on Minneapolis."
    passages = [passage(0, f"{common} {rare}"), passage(1, "The immigration crackdown widened."), passage(2, "A crackdown.")]
    _, rows = sentence_features("Where was the immigration crackdown centred?", passages, count_tokens, fake_embed)
    # Both share two question words; "immigration" is in two sentences, "centred" in one.
    assert feature(rows, 0, "words_shared") == feature(rows, 1, "words_shared") == 2
    assert feature(rows, 1, "rare_words_shared") > feature(rows, 0, "rare_words_shared")


@pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="the sentence model is trained by eval/train_sentence_ranker.py")
def test_the_shipped_model_prefers_the_answering_sentence_to_filler(embedder) -> None:
    passages = [passage(0, f"{ECHO} {FILLER}"), passage(1, ANSWER)]
    ranker = SentenceRanker(embedder.embed_batch)
    scored = ranker.score_sentences(QUESTION, passages, count_tokens)
    by_text = {passages[s.passage].chunk.text[s.start : s.end]: s.score for s in scored}
    assert all(0.0 <= score <= 1.0 for score in by_text.values())
    assert by_text[ANSWER] > by_text[FILLER]
    evidence = select_sentences(QUESTION, passages, 40, count_tokens, ranker.score_sentences, 0.0)
    assert "Minneapolis" in " ".join(p.chunk.text for p in evidence)


def test_a_model_trained_on_other_features_is_refused(tmp_path) -> None:
    lightgbm = pytest.importorskip("lightgbm")
    import numpy as np

    data = lightgbm.Dataset(np.random.default_rng(0).random((40, 2)), np.arange(40) % 2, feature_name=["a", "b"])
    model_file = tmp_path / "other.txt"
    lightgbm.train({"objective": "binary", "verbose": -1, "min_data_in_leaf": 1}, data, 2).save_model(str(model_file))
    with pytest.raises(ValueError, match="other features"):
        SentenceRanker(fake_embed, model_file)


def test_a_ranking_model_scores_every_sentence_above_zero(tmp_path, embedder) -> None:
    # A lambdarank model's raw scores are centred on 0; evidence never chooses a sentence scoring 0 or
    # less, so the scorer squashes them into (0, 1) and keeps their order.
    lightgbm = pytest.importorskip("lightgbm")
    import numpy as np

    rng = np.random.default_rng(0)
    features, labels = rng.random((200, len(FEATURES))), np.arange(200) % 5 == 0
    data = lightgbm.Dataset(features, labels.astype(int), group=[20] * 10, feature_name=FEATURES)
    params = {"objective": "lambdarank", "verbose": -1, "min_data_in_leaf": 5, "num_threads": 1}
    model_file = tmp_path / "ranking.txt"
    model = lightgbm.train(params, data, 20)
    model.save_model(str(model_file))
    passages = [passage(0, f"{ECHO} {FILLER}"), passage(1, ANSWER)]
    _, rows = sentence_features(QUESTION, passages, count_tokens, embedder.embed_batch)
    raw = model.predict(rows, raw_score=True)
    assert raw.min() < 0  # what a ranking model gives

    ranker = SentenceRanker(embedder.embed_batch, model_file)
    scores = np.array([s.score for s in ranker.score_sentences(QUESTION, passages, count_tokens)])
    assert ((scores > 0) & (scores < 1)).all()
    assert list(np.argsort(-scores, kind="stable")) == list(np.argsort(-raw, kind="stable"))
    evidence = " ".join(p.chunk.text for p in select_sentences(
        QUESTION, passages, 200, count_tokens, ranker.score_sentences, 0.0))
    assert all(sentence in evidence for sentence in (ECHO, FILLER, ANSWER))
