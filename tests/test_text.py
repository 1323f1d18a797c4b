"""The shared text rules: one sentence splitter, one word rule, one name rule."""

from __future__ import annotations

import pytest

from service.text import (
    CACHED_TEXT_CHARS,
    content_words,
    names,
    numbers,
    search_terms,
    sentence_spans,
    sentences,
    spelled_as_digits,
    words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The council voted. Mayor Dana Whitfield said it would cost more.",
         ["The council voted.", "Mayor Dana Whitfield said it would cost more."]),
        # Abbreviations and initials end no sentence: the answer splitter once cut "U.S." in two.
        ("It ended because the U.S. [1] stopped aid.", ["It ended because the U.S. [1] stopped aid."]),
        ("It ended because the U. S. cut aid. Then talks began.",
         ["It ended because the U. S. cut aid.", "Then talks began."]),
        ("Aid from the U.S. President rose.", ["Aid from the U.S. President rose."]),
        ("J. K. Rowling wrote it. Dr. Reyes agreed.", ["J. K. Rowling wrote it.", "Dr. Reyes agreed."]),
        ("St. Brigid's opened. It was late.", ["St. Brigid's opened.", "It was late."]),
        ('He said "we will win." Then he left.', ['He said "we will win."', "Then he left."]),
        ("First paragraph\n\nsecond paragraph", ["First paragraph", "second paragraph"]),
        ("The vote was 7 to 2. 12 members abstained.", ["The vote was 7 to 2.", "12 members abstained."]),
        # A month's abbreviation before its day ends no sentence: answers lost "6, 2026" to a cut here.
        ("Maduro was captured on Saturday, Jan. 6, 2026 [1]. He was flown out.",
         ["Maduro was captured on Saturday, Jan. 6, 2026 [1].", "He was flown out."]),
        ("The vote moved to Sept. 5. 12 members abstained.", ["The vote moved to Sept. 5.", "12 members abstained."]),
        ("The deadline was in Feb. March was quieter.", ["The deadline was in Feb.", "March was quieter."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_words_drop_possessives_and_keep_figures() -> None:
    assert words("Harborview's ferry cost 12.5 million") == ["Harborview", "ferry", "cost", "12.5", "million"]


def test_initialisms_with_full_stops_are_one_word() -> None:
    # The model writes "U. S." where the passage writes "U.S.": both are "US", as "J. K." is "JK".
    assert words("U. S. Passports and U.S. law") == ["US", "Passports", "and", "US", "law"]
    assert words("J. K. Rowling met Michael J. Fox.") == ["JK", "Rowling", "met", "Michael", "J", "Fox"]


def test_content_words_are_stems_without_stop_words_or_figures() -> None:
    assert content_words("The striking workers said 40 ships waited") == {"strik", "worke", "ships", "waite"}


def test_numbers_are_normalised() -> None:
    assert numbers("1,400 homes, 07 ships and 12.5 million.") == {"1400", "7", "12.5"}


def test_names_skip_sentence_openers_unless_asked() -> None:
    question = "What did Mayor Dana Whitfield say about Harborview?"
    assert names(question) == {"dana", "whitfield", "harborview"}
    assert names("Harborview council approves ferry") == set()
    assert names("Harborview council approves ferry", first_words=True) == {"harborview"}


def test_names_after_an_abbreviation_are_still_mid_sentence() -> None:
    assert "senate" in names("Aid from the U.S. Senate rose.")


def test_search_terms_drop_question_and_time_words() -> None:
    assert search_terms("What did the port union say yesterday?") == ["port", "union", "say"]


def test_dotted_initialisms_are_the_same_word() -> None:
    assert words("the U.S. law and the UK") == ["the", "US", "law", "and", "the", "UK"]
    assert names("A new US law allows it.") <= names("Under a new U.S. law it is allowed.")


def test_a_whole_article_splits_as_its_passages_do() -> None:
    # Texts longer than CACHED_TEXT_CHARS bypass the cache; the split must not depend on it.
    paragraph = "The council met on Monday. It voted 7 to 2 for the St. Brigid's ferry. "
    article = paragraph * (CACHED_TEXT_CHARS // len(paragraph) + 2)
    assert len(article) > CACHED_TEXT_CHARS
    spans = sentence_spans(article)
    assert len(spans) == 2 * (CACHED_TEXT_CHARS // len(paragraph) + 2)
    assert [article[s:e] for s, e, _ in spans[:2]] == sentences(paragraph)
    assert sentence_spans(paragraph) == sentence_spans(paragraph)  # cached copies, not one shared list
    assert sentence_spans(paragraph) is not sentence_spans(paragraph)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("Seven workers were injured", "7 workers were injured"),
        ("twenty-five ships and thirty one boats", "25 ships and 31 boats"),
        ("no one was hurt; one of them fled", "no one was hurt; one of them fled"),  # "one" alone is no figure
        ("the ninth year, often tender", "the ninth year, often tender"),
    ],
)
def test_spelled_as_digits(text: str, digits: str) -> None:
    assert spelled_as_digits(text) == digits
