"""The hard set (eval/questions_hard.jsonl): twins, halves, and gold answers the articles state."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from service.domain import canonical_url
from service.evaluation.metrics import normalize
from service.evaluation.questions import FIXED_SET, load_question_set

HARD_FILE = FIXED_SET / "questions_hard.jsonl"
KINDS = ["attribute", "day_or_event", "attribution", "number_kind", "partial"]


def _records() -> list[dict]:
    return [json.loads(line) for line in HARD_FILE.read_text().splitlines() if line.strip()]


def _article_texts() -> dict[str, list[str]]:
    """Canonical URL -> normalised text of each corpus file with that URL (an update shares its URL)."""
    texts: dict[str, list[str]] = {}
    for path in sorted((FIXED_SET / "corpus").glob("*.txt")):
        text = path.read_text()
        url = text.strip().splitlines()[-1].strip()
        texts.setdefault(canonical_url(url), []).append(normalize(text))
    return texts


RECORDS = _records()
BY_ID = {r["id"]: r for r in RECORDS}


def test_records_parse_with_the_fixed_set_fields() -> None:
    assert [r["id"] for r in RECORDS] == [f"h{i:03d}" for i in range(1, len(RECORDS) + 1)]
    for r in RECORDS:
        assert {"id", "type", "kind", "question", "as_of", "answer", "accepted", "supporting_urls", "pair",
                "half"} <= set(r)
        assert r["type"] in {"unanswerable", "partial", "factoid"}
        assert r["kind"] in KINDS
        assert r["half"] in {"tune", "report"}
        assert "2026-03-02" <= r["as_of"] <= "2026-03-08"  # within the corpus week


def test_every_record_has_a_twin_in_the_same_half() -> None:
    for r in RECORDS:
        twin = BY_ID[r["pair"]]
        assert twin["pair"] == r["id"] and twin["id"] != r["id"]
        assert twin["half"] == r["half"] and twin["kind"] == r["kind"] and twin["as_of"] == r["as_of"]
        # One side of each pair is the hard one (unanswerable or partial), the other an answerable twin.
        assert sorted([r["type"] == "factoid", twin["type"] == "factoid"]) == [False, True]


def test_counts_and_balanced_halves() -> None:
    types = Counter(r["type"] for r in RECORDS)
    assert types["unanswerable"] >= 30
    assert types["factoid"] >= 30
    halves = Counter(r["half"] for r in RECORDS)
    assert halves["tune"] == halves["report"]
    for kind in KINDS:
        per_half = Counter(r["half"] for r in RECORDS if r["kind"] == kind)
        assert per_half["tune"] == per_half["report"] > 0, kind


def test_halves_are_the_seeded_shuffle() -> None:
    """The split is the one the README states, fixed before any tuning: Random(13), kind by kind."""
    rng = random.Random(13)
    for kind in KINDS:
        keys = [r["id"] for r in RECORDS if r["kind"] == kind and r["type"] != "factoid"]
        rng.shuffle(keys)
        for i, key in enumerate(keys):
            assert BY_ID[key]["half"] == ("tune" if i < len(keys) // 2 else "report"), key


def test_answers_are_stated_in_a_supporting_article() -> None:
    texts = _article_texts()
    for r in RECORDS:
        if r["type"] == "unanswerable":
            assert not r["answer"] and not r["accepted"] and not r["supporting_urls"], r["id"]
            continue
        assert r["answer"] and r["supporting_urls"], r["id"]
        urls = [canonical_url(u) for u in r["supporting_urls"]]
        assert all(u in texts for u in urls), r["id"]
        golds = [normalize(g) for g in [r["answer"], *r["accepted"]]]
        assert any(g and g in text for u in urls for text in texts[u] for g in golds), r["id"]


def test_unanswerable_twins_name_what_is_missing() -> None:
    for r in RECORDS:
        if r["type"] != "factoid":
            assert r.get("missing"), r["id"]


@pytest.mark.parametrize("half", ["tune", "report"])
def test_loader_gives_one_half(half: str) -> None:
    qset = load_question_set(f"hard:{half}")
    assert qset.name == f"hard:{half}"
    assert {q.half for q in qset.questions} == {half}
    assert len(qset.questions) == sum(r["half"] == half for r in RECORDS)
    ids = {q.id for q in qset.questions}
    for q in qset.questions:
        assert q.pair in ids
        assert q.group == min(q.id, q.pair)


def test_hard_set_shares_the_fixed_corpus_and_its_index() -> None:
    hard, fixed = load_question_set("hard"), load_question_set("fixed")
    assert len(hard.questions) == len(RECORDS)
    assert hard.corpus == fixed.corpus and hard.corpus_hash == fixed.corpus_hash
    for q in hard.questions:
        assert len(q.supporting_ids) == len(BY_ID[q.id]["supporting_urls"])
        assert q.unanswerable == (q.type == "unanswerable")
    assert not any(q.pair or q.half for q in fixed.questions)


def test_unknown_half_is_refused() -> None:
    with pytest.raises(ValueError, match="half"):
        load_question_set("hard:dev")

