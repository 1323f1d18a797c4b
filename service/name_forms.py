"""One name written two ways: news style against a model's plain words.

Support requires every name of a claim to be in its passage, so "the US has spent $25 billion"
failed against a passage that says "the United States", and "born between January 1, 2025 and
December 31, 2028" failed against the AP style "Jan. 1, 2025, and Dec. 31, 2028". Both are the same
name, and both cost right answers on the public set.
"""

from __future__ import annotations

import functools
import re

from service.text import words

# Each group names one country or body, as `text.words` reads them ("U.S." is "US"). Case counts:
# the pronoun "us" is no country. A demonym is in its country's group: "an American economist" is
# supported by a passage about "the U.S. economy" as far as names go; the claim's other words must
# still be there.
SAME_NAMES: tuple[tuple[str, ...], ...] = (
    ("US", "USA", "United States", "America", "American", "Americans"),
    ("UK", "Britain", "Great Britain", "United Kingdom", "British"),
    ("EU", "European Union"),
    ("UN", "United Nations"),
)

# The months AP style abbreviates before a day or a year (it spells out March to July; the sentence
# splitter in `text` also leaves "Mar. 5" whole, as other styles write it).
_MONTH_ABBREVIATION = re.compile(r"\b(Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.(?=\s*\d)")
_MONTH_NAMES = {"Jan": "January", "Feb": "February", "Aug": "August", "Sep": "September", "Sept": "September",
                "Oct": "October", "Nov": "November", "Dec": "December"}


# Support expands the same passage texts for every sentence of every answer.
@functools.lru_cache(maxsize=2048)
def full_month_names(text: str) -> str:
    """'Jan. 1, 2025' as 'January 1, 2025'; other text unchanged."""
    return _MONTH_ABBREVIATION.sub(lambda m: _MONTH_NAMES[m.group(1)], text)


def names_written_otherwise(claim: str, text: str) -> set[str]:
    """The claim's name words that name something the text names in another of its forms:
    {"us"} for a claim's "US" against a text's "United States", {"united", "states"} the other way,
    {"democrat"} for a claim's "Democrat" against a text's "Democrats"."""
    claim_words, text_words = _padded_words(claim), _padded_words(text)
    covered: set[str] = set()
    for group in SAME_NAMES:
        if any(f" {form} " in text_words for form in group):
            for form in group:
                if f" {form} " in claim_words:
                    covered.update(form.lower().split())
    # One of a group and the group: "the Democrat candidate" is of the "Democrats" a passage names.
    for word in set(claim_words.split()):
        one = word.removesuffix("s")
        other_form = one if one != word else f"{word}s"
        if word[:1].isupper() and one.endswith(_MEMBER_ENDINGS) and f" {other_form} " in text_words:
            covered.add(word.lower())
    return covered


# How the name of one member of a party, faith or people ends ("Democrat", "Republican", "Israeli",
# "Catholic", "Muslim"), unlike a surname that is another person's with an "s" ("Edward", "Edwards").
_MEMBER_ENDINGS = ("an", "at", "i", "ist", "ic", "im")


@functools.lru_cache(maxsize=4096)
def _padded_words(text: str) -> str:
    return f" {' '.join(words(text))} "
