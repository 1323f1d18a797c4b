"""Whether passages support a sentence: the word, name and figure rules `citations` verifies by.

A passage supports a sentence when every number in the sentence appears in it, its names
appear in it (or in its title or outlet), and enough of the sentence's content words do. Two
passages may support one sentence together when they tell one story or each gives one clause.
"""

from __future__ import annotations

import functools
import re
from itertools import combinations

from service.asked_claimant import outlet_name
from service.claimants import split_claimant
from service.domain import Passage
from service.figures import figures_bound, without_named_days
from service.name_forms import full_month_names, names_written_otherwise
from service.prompting import drop_instructions
from service.text import (
    MONTHS,
    SPELLED_NUMBERS,
    WEEKDAYS,
    content_words,
    names,
    numbers,
    spelled_as_digits,
    words,
)

MIN_OVERLAP = 0.5
# A short sentence with half its words new is mostly invention: "the transport director ate a
# sandwich for breakfast" shares only "transport director" with the passage that names him.
SHORT_SENTENCE_WORDS = 8
MIN_OVERLAP_SHORT = 2 / 3
# Two passages hold more words by chance than one: "Norway was named the world's happiest country for
# the ninth year in a row" found half its words (Norway, world, country, year) in two Olympics
# stories, and none of what it claims. A pair must hold two thirds.
MIN_PAIR_OVERLAP = 2 / 3
# In a two-passage claim each passage must carry this many of its words, not merely sit beside it.
MIN_WORDS_EACH_OF_PAIR = 2
# Among equally good pairs, the one the model itself cited wins: a tie-breaker, never a reason.
CITED_PAIR_PREFERENCE = 0.01
# "According to the budget, ..." credits the claim like "..., the budget said": a credit, checked
# by `claimants`, not a word of the claim a passage must hold ("said" is a stop word already).
_CREDIT_WORDS = frozenset(content_words("according"))


# "Today is 2026-03-04" (the prompt's own line, copied) says when, about nothing: no claim to support.
_WHEN_WORDS = frozenset(content_words("today yesterday tomorrow tonight date day week month year " + " ".join(
    [*WEEKDAYS, *MONTHS])))


def _claim_words(sentence: str) -> set[str]:
    """The content words a passage must hold to support the sentence."""
    return content_words(sentence) - _CREDIT_WORDS


def _haystack(passage: Passage) -> str:
    chunk = passage.chunk
    day = chunk.published
    # The outlet's name parts count as words, so "the Herald" matches harborview-herald.example.
    outlet = re.sub(r"[-.]", " ", chunk.source)
    text = full_month_names(drop_instructions(chunk.text))
    return f"{chunk.title} {chunk.source} {outlet} {day:%A %B} {day.day} {day.year} {text}"


def held_words(claim: set[str], text: str) -> set[str]:
    """The claim's content words the text holds. A figure's compound ("a five-day strike") also says
    its noun, in the plural too ("after five days"): stems are five-letter prefixes, so "five-day"
    was one word and "days" never met "day". Only a figure's: "cross-country" is no "country", and
    "cuts" meeting "cut" anywhere let two passages' unrelated clauses verify together."""
    said, parts = content_words(text), _figure_compound_parts(text)
    return {word for word in claim if word in said or word in parts or _singular(word) in parts}


# Verification asks about the same few passages for every sentence and every pair of passages.
@functools.lru_cache(maxsize=4096)
def _figure_compound_parts(text: str) -> frozenset[str]:
    return frozenset(content_words(" ".join(_FIGURE_COMPOUND.findall(text)).replace("-", " ")))


# "five-day", "two-year", "twenty-five-storey": a figure written out and what it counts.
_FIGURE_COMPOUND = re.compile(rf"\b(?:{'|'.join(sorted(SPELLED_NUMBERS))})(?:-\w+)+\b", re.IGNORECASE)


def _singular(stem: str) -> str:
    return stem[:-1] if len(stem) >= 4 and stem.endswith("s") and not stem.endswith("ss") else stem


def support_text(sentence: str, haystack: str, figures: tuple[str, str] | None = None) -> float:
    """0 when a number or name of the sentence is missing from the text, else word overlap.
    figures: the sentence and the text with their figures in digits, to compare figures with."""
    claim_figures, text_figures = figures or (sentence, haystack)
    if not numbers(claim_figures) <= numbers(text_figures):
        return 0.0
    missing = names(sentence) - {w.lower() for w in words(haystack)}
    if missing and missing - names_written_otherwise(sentence, haystack):
        return 0.0
    claim = _claim_words(sentence)
    if not claim or not _claim_words(split_claimant(sentence)[1]) - _WHEN_WORDS:
        return 0.0
    overlap = len(held_words(claim, haystack)) / len(claim)
    if len(claim) < SHORT_SENTENCE_WORDS and overlap < MIN_OVERLAP_SHORT:
        return 0.0
    return overlap


def support(sentence: str, passage: Passage) -> float:
    if not passage.chunk.text.strip():
        return 0.0
    # Figures are compared in digits on both sides ("seven workers" is "7 workers"); words as written.
    sentence = full_month_names(sentence)
    claim, digits = spelled_as_digits(sentence), _with_digits(passage)
    if not figures_bound(claim, [digits]):
        return 0.0
    chunk = passage.chunk
    figures = (without_named_days(claim, chunk.published, chunk.text), _haystack(digits))
    return support_text(without_named_days(sentence, chunk.published, chunk.text), _haystack(passage), figures)


def _with_digits(passage: Passage) -> Passage:
    chunk = passage.chunk
    update = {"text": spelled_as_digits(full_month_names(chunk.text)), "title": spelled_as_digits(chunk.title)}
    return Passage(chunk=chunk.model_copy(update=update), score=passage.score)


def article_texts(passages: list[Passage]) -> list[str]:
    """Each passage's text joined with the others' of its article: a column's author line is often
    in another chunk than the column's words."""
    return [" ".join(_haystack(other) for other in passages if other.chunk.article_id == passage.chunk.article_id)
            for passage in passages]


def pair_support(sentence: str, passages: list[Passage], cited: list[int], question: str = "") -> list[int]:
    """Two passages that together support a sentence no single one does (comparisons across outlets).
    question: what the sentence answers, whose subject it may leave unsaid."""
    claim = _claim_words(sentence)
    best: tuple[float, list[int]] = (0.0, [])
    claim_digits, digits = spelled_as_digits(sentence), [_with_digits(p) for p in passages]
    for i, j in combinations(range(1, len(passages) + 1), 2):
        if not figures_bound(claim_digits, [digits[i - 1], digits[j - 1]]):
            continue
        first, second = _haystack(passages[i - 1]), _haystack(passages[j - 1])
        if min(len(claim & content_words(first)), len(claim & content_words(second))) < MIN_WORDS_EACH_OF_PAIR:
            continue
        in_digits = [_haystack(digits[i - 1]), _haystack(digits[j - 1])]
        if not _one_story(f"{sentence} {question}", passages[i - 1], passages[j - 1]) \
                and not _clause_each(sentence, list(zip([first, second], in_digits, strict=True))):
            continue
        figures = (claim_digits, " ".join(in_digits))
        score = support_text(sentence, f"{first} {second}", figures) + CITED_PAIR_PREFERENCE * len({i, j} & set(cited))
        if score >= MIN_PAIR_OVERLAP and score > best[0]:
            best = (score, [i, j])
    return best[1]


def _one_story(claim: str, first: Passage, second: Passage) -> bool:
    """Two passages tell the claim's story (the sentence and the question it answers) when they are
    one article's, both titles hold a word of it, both passages a name it uses, or it names their
    outlets: one story two outlets may tell differently ("the Herald counted 18,000, while the Ledger
    counted 23,000"). A word or name the two share but the claim does not use is no tie: two
    Harborview stories both name Harborview, and a spokesperson in one is not who "opened the
    library" in the other."""
    one, other = first.chunk, second.chunk
    said = {w.lower() for w in words(claim)}
    shared_names = names(f"{one.title}. {one.text}") & names(f"{other.title}. {other.text}")
    return bool(one.article_id == other.article_id
                or content_words(one.title) & content_words(other.title) & content_words(claim)
                or shared_names & names(claim, first_words=True)
                or {outlet_name(one.source), outlet_name(other.source)} & said)


_CLAUSE_BREAK = re.compile(r",?\s+(?:and|while|whereas|but)\s+|;\s*")


def _clause_each(sentence: str, haystacks: list[tuple[str, str]]) -> bool:
    """Each clause of the sentence is one passage's on its own ("400 dock workers walked out, and the
    council approved the ferry route"), so two stories are told side by side, not stitched into one
    claim ("the Northgate tram extension will go to the Westbury and Crane Street branch libraries").
    haystacks: each passage as written and with its figures in digits, as `support` compares them."""
    clauses = [c for c in _CLAUSE_BREAK.split(sentence) if content_words(c)]
    return len(clauses) > 1 and all(
        any(support_text(c, text, (spelled_as_digits(c), in_digits)) >= MIN_OVERLAP for text, in_digits in haystacks)
        for c in clauses
    )
