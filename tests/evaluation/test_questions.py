"""Question sets: narrowed to named questions (`--only`), and the sets on the fixed corpus."""

from __future__ import annotations

import pytest

from service.evaluation.questions import load_question_set, only_questions


def test_only_narrows_a_set_to_named_questions_in_the_sets_order() -> None:
    qset = load_question_set("fixed")
    first, third = qset.questions[0].id, qset.questions[2].id
    narrowed = only_questions(qset, [third, first])
    assert [q.id for q in narrowed.questions] == [first, third]
    assert narrowed.corpus_hash == qset.corpus_hash
    assert only_questions(qset, None) is qset


def test_only_names_the_questions_a_set_does_not_hold() -> None:
    with pytest.raises(ValueError, match="no question q999"):
        only_questions(load_question_set("fixed"), ["q001", "q999"])


@pytest.mark.parametrize("name", ["latest", "asked", "typed", "said"])
def test_every_question_of_a_set_on_the_fixed_corpus_names_an_article_it_holds(name: str) -> None:
    qset = load_question_set(name)
    answerable = [q for q in qset.questions if not q.unanswerable]
    assert answerable and all(q.supporting_ids and q.answers for q in answerable)
    assert all(not q.supporting_ids and not q.answers for q in qset.questions if q.unanswerable)


@pytest.mark.parametrize("name", ["asked", "typed", "said", "latest"])
def test_a_set_written_in_halves_loads_one_half_at_a_time(name: str) -> None:
    tune, report = load_question_set(f"{name}:tune"), load_question_set(f"{name}:report")
    assert {q.half for q in tune.questions} == {"tune"} and {q.half for q in report.questions} == {"report"}
    assert len(tune.questions) + len(report.questions) == len(load_question_set(name).questions)
    with pytest.raises(ValueError, match="unknown half"):
        load_question_set(f"{name}:other")
