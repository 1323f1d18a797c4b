from __future__ import annotations

from service.citations import verify
from service.trailing_detail import without_trailing_detail
from tests.test_citations import passage


def test_a_trailing_detail_is_cut_longest_reading_first() -> None:
    sentence = "The World Economic Forum took place in Davos, Switzerland, from January 19 to January 23, 2026."
    assert without_trailing_detail(sentence) == [
        "The World Economic Forum took place in Davos, Switzerland.",
        "The World Economic Forum took place.",
    ]
    assert without_trailing_detail("The United States has hosted the Winter Olympics four times: in 1960, 1980.") == [
        "The United States has hosted the Winter Olympics four times."
    ]


def test_a_tail_that_may_qualify_the_claim_is_never_cut() -> None:
    assert without_trailing_detail("Fares will rise by 5 percent in March unless the council objects.") == []
    assert without_trailing_detail("The mayor said the plan would pass, but not before 2029.") == []
    # Too little would be left to stand as a sentence.
    assert without_trailing_detail("It opened in 1990.") == []


def test_verify_keeps_a_supported_head_without_its_invented_tail() -> None:
    forum = passage(
        "Kentucky Gov. Andy Beshear attended the World Economic Forum in Davos, Switzerland to promote the state.",
        title="Beshear at the forum", source="ledger.example",
    )
    result = verify("The World Economic Forum took place in Davos, Switzerland, from January 19 to 23, 2026 [1].", [forum])
    (sentence,) = result.sentences
    assert sentence.verified and sentence.citations == [1]
    assert "Davos, Switzerland" in sentence.text and "2026" not in sentence.text and "January" not in sentence.text


def test_an_unsupported_head_is_still_dropped() -> None:
    forum = passage("Kentucky Gov. Andy Beshear attended the World Economic Forum in Davos.", source="ledger.example")
    result = verify("The harbour festival was cancelled by the port authority on Friday [1].", [forum])
    assert result.refused and not result.sentences[0].verified
