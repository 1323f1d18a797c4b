"""What a figure counts: its unit, the words right after it in an answer.

"St. Brigid's wing has 120 floors" was verified by "its new 120-bed wing". The unit of a figure in
the answer (floors, dollars, workers) must be in a passage sentence holding the figure, unless the
passage writes the figure bare or with the currency sign. `counts` asks the same of a passage
sentence for "how many" questions.
"""

from __future__ import annotations

import re

from service.text import CLAIM_STOPWORDS, MONTHS, NUMBER, numbers, sentences, stem


def normal_figure(figure: str) -> str:
    """A figure as `numbers` writes it: "45,000" -> "45000"."""
    return next(iter(numbers(figure)), figure)


# The word a figure counts, written right after it: "120 floors", "2,500-dollar bonus".
_UNIT = re.compile(r"(?:\s+|-)([A-Za-z][A-Za-z'’]*)")
# Scale words are part of the figure, not what it counts: "46 million dollars" counts dollars.
_SCALES = frozenset({"million", "billion", "trillion", "thousand", "hundred", "m", "bn", "k"})
_CURRENCY_SIGNS = {"dolla": "$", "pound": "£", "euro": "€"}
# A clock time and a percent sign say what a figure is as plainly as a word does: the "6" of
# "reopen at 6 a.m." is no "6 percent".
_SIGN_UNITS = ((re.compile(r"\s?[ap]\.?m\b\.?", re.IGNORECASE), "o'clock"), (re.compile(r"\s?%"), "percent"))
# Units a passage may write before the figure instead: "aged 34" is "34 years old".
_WRITTEN_BEFORE = {"year": {"aged", "age", "ages"}}


def _unit_stem(word: str) -> str:
    # "120 beds" is written "120-bed" as often as not: singular and plural are one unit.
    return stem(word.lower().rstrip("s"))


def figure_end(match: re.Match[str]) -> int:
    # NUMBER takes a comma after the figure along ("45,000, because"): it is no part of it.
    return match.start() + len(match.group(0).rstrip(","))


def names_a_year(sentence: str, match: re.Match[str]) -> bool:
    """A year or the end of a span of years ("2026-27 budget") counts nothing."""
    figure = match.group(0)
    return bool(re.fullmatch(r"(?:19|20)\d\d", figure)) or bool(re.search(r"\d[-–/]$", sentence[: match.start()]))


def unit_of(sentence: str, end: int) -> frozenset[str]:
    """Stems of the (up to two) words that say what the figure ending at `end` counts ("300 additional
    workers": additional, worker); empty for a year, a date or a bare figure."""
    for sign, unit in _SIGN_UNITS:
        if sign.match(sentence, end):
            return frozenset({_unit_stem(unit)})
    position = end
    found: list[str] = []
    while len(found) < 2 and (match := _UNIT.match(sentence, position)):
        word = match.group(1).lower()
        position = match.end()
        if word in _SCALES:
            continue
        if word in CLAIM_STOPWORDS:
            break
        found.append(_unit_stem(word))
    return frozenset(found)


def unit_bound(units: frozenset[str], figure: str, text: str) -> bool:
    """Some sentence of the passage holds the figure bare ("closer to 45,000, because"), with its
    currency sign ("$46 million" for "46 million dollars"), or beside one of the words it counts
    in the answer. A passage that writes it "120-bed" alone does not support "120 floors"."""
    for part in sentences(text) or [text]:
        occurrences = [m for m in NUMBER.finditer(part) if normal_figure(m.group(0)) == figure]
        if not occurrences:
            continue
        if units & {_unit_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'’]*", part)}:
            return True
        for match in occurrences:
            written_with = unit_of(part, figure_end(match))
            if not written_with or written_with & units:
                return True
            signs = {_CURRENCY_SIGNS[unit] for unit in units if unit in _CURRENCY_SIGNS}
            if any(sign in part[max(match.start() - 2, 0) : match.start()] for sign in signs):
                return True
            before = {w.lower() for w in re.findall(r"[A-Za-z]+", part[max(match.start() - 30, 0) : match.start()])[-2:]}
            if any(_WRITTEN_BEFORE.get(unit, set()) & before for unit in units):
                return True
    return False


# Counts a news sentence writes in words: "seven workers", "a dozen homes".
_COUNT_WORDS = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
                          r"|forty|fifty|hundreds?|thousands?|dozens?)\b", re.IGNORECASE)
_MONTH_BEFORE = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\.?\s*$", re.IGNORECASE)


def counts(sentence: str, things: set[str]) -> bool:
    """Whether the sentence gives a number of `things` (nouns, singular or plural): a figure
    written before one of them ("seven workers", "300 additional workers"), a number of times after
    the act the thing is named from ("amended 27 times": amendments),
    or a bare figure in a sentence that names them ("the workers numbered 300"). Years, days of a
    month and clock times count nothing, nor does a figure of something else ("2.3 million dollars")."""
    wanted = {_unit_stem(thing) for thing in things}
    sentence_stems = {_unit_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'’]*", sentence)}
    for match in [*NUMBER.finditer(sentence), *_COUNT_WORDS.finditer(sentence)]:
        end = figure_end(match)
        units = unit_of(sentence, end)
        if units & wanted:
            return True
        before, after = sentence[: match.start()], sentence[end : end + 1]
        # "has been amended 27 times" counts amendments: the act the thing counted is named from.
        acted = re.search(r"([A-Za-z]+)\s+$", before)
        if _unit_stem("times") in units and acted and stem(acted.group(1)) in {stem(t) for t in things}:
            return True
        year = re.fullmatch(r"(?:19|20)\d\d", match.group(0).rstrip(",")) or re.search(r"\d[-–/]$", before)
        dated = year or _MONTH_BEFORE.search(before) or after == ":" or before.endswith(":")
        if not units and not dated and wanted & sentence_stems:
            return True
    return False
