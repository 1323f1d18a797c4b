"""Question sets narrowed to named questions (`--only`)."""

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
