"""An answer's text -> its sentences and the source numbers each cites."""

from __future__ import annotations

import pytest

from service.split_answer import split_answer


def test_markers_after_the_full_stop_and_lists() -> None:
    assert split_answer("One fact. [1] Two facts [1, 2].") == [("One fact.", [1]), ("Two facts.", [1, 2])]


def test_each_item_of_a_list_is_a_claim_with_its_own_citations() -> None:
    answer = "The council decided two things:\n- to buy two ferries [1]\n- to cap rents [2]\n1. and more [3]."
    assert split_answer(answer) == [
        ("The council decided two things.", []), ("to buy two ferries.", [1]), ("to cap rents.", [2]), ("and more.", [3])
    ]


def test_a_reply_that_opens_with_a_list_item_loses_its_marker() -> None:
    # "1." would be read as a figure of the claim, and "- " kept in the sentence shown.
    assert split_answer("1. Police recovered the painting [1].\n2. Two men were arrested [1].") == [
        ("Police recovered the painting.", [1]), ("Two men were arrested.", [1])]
    assert split_answer("- Police recovered the painting [1].") == [("Police recovered the painting.", [1])]


def test_prompt_echoes_are_not_claims() -> None:
    assert split_answer("Today is 2026-06-10. About 400 dock workers walked out [1].") == [
        ("About 400 dock workers walked out.", [1])]


def test_a_citation_range_is_a_marker_not_two_figures() -> None:
    # "[1-7]" was read as the figures 1 and 7, which no passage binds: a correct answer was dropped.
    assert split_answer("Tiger Woods crashed in Florida [1-3].") == [("Tiger Woods crashed in Florida.", [1, 2, 3])]
    assert split_answer("A fact [2, 4-5; 7].") == [("A fact.", [2, 4, 5, 7])]
    assert split_answer("A fact [1-900].") == [("A fact.", [1, 900])]


def test_a_list_of_markers_leaves_no_stray_commas() -> None:
    # Public 20260306_1 read "the event called a blood moon is described in sources,,,, and."
    assert split_answer("It is described in sources [1], [2], [3], [4], and [5].") == [
        ("It is described in sources.", [1, 2, 3, 4, 5])
    ]
    assert split_answer("Prices rose [1], and wages fell [2].") == [("Prices rose, and wages fell.", [1, 2])]


def test_a_comma_left_before_the_full_stop_by_a_marker_goes_with_it() -> None:
    assert split_answer("The painting was stolen on Sunday, March 1, [1]. It was found on Thursday, March 5, [2].") == [
        ("The painting was stolen on Sunday, March 1.", [1]), ("It was found on Thursday, March 5.", [2])]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("According to [6], two people were killed near Grafton.", [("Two people were killed near Grafton.", [6])]),
        ("According to sources [1] and [3], the barrier cost 19.5 million pounds.",
         [("The barrier cost 19.5 million pounds.", [1, 3])]),
        ("According to the article [2], it rained.", [("It rained.", [2])]),
        # A credit that names someone stays.
        ("According to the Herald, it rained [1].", [("According to the Herald, it rained.", [1])]),
    ],
)
def test_a_credit_that_is_only_a_source_number_is_a_citation(answer: str, expected: list) -> None:
    assert split_answer(answer) == expected


def test_a_quotation_of_several_sentences_is_one_claim() -> None:
    # Said set m13: the second half, cut off, read "According to Gulls, But nobody is going to sit ...".
    answer = ('According to Gulls coach Mirela Voss, "It is frustrating, because the players were ready for '
              'Saturday. But nobody is going to sit under a loose roof on my watch." [1] The match moved to Sunday [2].')
    assert split_answer(answer) == [
        ('According to Gulls coach Mirela Voss, "It is frustrating, because the players were ready for Saturday. '
         'But nobody is going to sit under a loose roof on my watch."', [1]),
        ("The match moved to Sunday.", [2]),
    ]
    # A quotation never closed joins a few sentences, not the rest of the answer.
    unclosed = 'He said "One. Two. Three. Four. Five. Six.'
    assert len(split_answer(unclosed)) == 3
