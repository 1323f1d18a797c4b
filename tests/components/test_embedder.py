from __future__ import annotations

import numpy as np

from service.components.embedder import Embedder, LocalMiniLMEmbedder, RecentQueries


def test_local_vectors_are_unit_length_and_closer_for_paraphrases(embedder: Embedder) -> None:
    strike, walkout, ferry = (np.asarray(v) for v in embedder.embed_batch(
        ["Dock workers went on strike at the port.", "Port employees stopped working.", "The ferry timetable changed."]
    ))
    assert np.allclose([np.linalg.norm(strike), np.linalg.norm(ferry)], 1.0, atol=1e-4)
    assert strike @ walkout > strike @ ferry


def test_worker_threads_do_not_spin_after_a_question(embedder: Embedder) -> None:
    # Spinning threads held a core the steps after retrieval needed (eval/bench_outside_model.py).
    assert isinstance(embedder, LocalMiniLMEmbedder)
    options = embedder._session.get_session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_recent_questions_are_embedded_once(embedder: Embedder) -> None:
    calls: list[list[str]] = []

    class Counting:
        name, dimensions = "counting", 384

        def embed_batch(self, texts: list[str]) -> list[list[float]]:
            calls.append(texts)
            return embedder.embed_batch(texts)

    recent = RecentQueries(Counting())
    first = recent.embed_batch(["Who leads the union?"])
    assert recent.embed_batch(["Who leads the union?"]) == first
    assert calls == [["Who leads the union?"]]
