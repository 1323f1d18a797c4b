"""Figures bound to what they count: a number in an answer is supported only by the article's text.

A verified answer once read "Northgate will complete the tram extension by 2026 [2]": the article
said construction starts in April 2027 and services begin in late 2029; 2026 was only the year in
its date line and URL, which the verifier's haystack held. A figure must now appear in the passage's
own text, in a sentence that shares a word with what the answer ties the figure to. The one
exception is the publication date itself: "On March 2, 2026, the council voted" is supported by a
passage published that day.

A figure also counts something: "St. Brigid's wing has 120 floors" was verified by "its new 120-bed
wing". The words right after a figure in the answer (its unit: floors, dollars, workers) must be in
a passage sentence holding the figure, unless the passage writes the figure bare or with the
currency sign.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from service.claimants import ATTRIBUTION, CREDITED
from service.domain import Passage
from service.prompting import drop_instructions
from service.text import (
    CLAIM_STOPWORDS,
    MONTHS,
    NUMBER,
    WEEKDAYS,
    content_words,
    names,
    numbers,
    sentences,
    stem,
    words,
)

# Words within this distance of a figure are what the sentence says the figure counts.
CONTEXT_WORDS = 4
# What joins the figures of one run: "34 and 41", "3 to 5", "10, 12 or 14".
_JOINER = re.compile(r"\s*(?:,|and|or|to|-|–)\s*(?:and\s+|or\s+)?")
_MONTH = r"(?P<month>" + "|".join(m.capitalize() for m in MONTHS) + r")"
_DATE = re.compile(rf"{_MONTH}\.?\s+(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?"
                   rf"|\b(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')}(?:,?\s+(?P<year2>\d{{4}}))?"
                   rf"|{_MONTH.replace('month', 'month3')}\s+(?P<year3>\d{{4}})")
_ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(w.capitalize() for w in WEEKDAYS) + r")\b")
_WEEKDAY_DATE = re.compile(r"\b(?P<weekday>" + "|".join(w.capitalize() for w in WEEKDAYS) + r"),?\s+"
                           + _MONTH + r"\.?\s+(?P<day>\d{1,2})(?!\d)")


def _normal(figure: str) -> str:
    return next(iter(numbers(figure)), figure)


def _named_days(published: dt.date, text: str) -> set[dt.date]:
    """The passage's publication day, and each day its text names by weekday: "on Tuesday" in a
    story published on Wednesday is the day before (the same day when published on a Tuesday)."""
    days = {published}
    for weekday in _WEEKDAY.findall(text):
        days.add(published - dt.timedelta(days=(published.weekday() - WEEKDAYS.index(weekday.lower())) % 7))
    return days


def dateline_figures(sentence: str, published: dt.date, text: str = "") -> set[str]:
    """Figures of the sentence that name the passage's own publication day ("March 2, 2026",
    "2026-03-02"), or a day its text names by weekday: a model turns "on Tuesday" into the date."""
    days = _named_days(published, text)
    found: set[str] = set()
    for match in _DATE.finditer(sentence):
        month = MONTHS.index((match.group("month") or match.group("month2") or match.group("month3")).lower()) + 1
        day = match.group("day") or match.group("day2")
        year = match.group("year") or match.group("year2") or match.group("year3")
        if any(d.month == month and (not day or int(day) == d.day) and (not year or int(year) == d.year) for d in days):
            found |= {_normal(part) for part in (day, year) if part}
    for match in _ISO_DATE.finditer(sentence):
        if (int(match["year"]), int(match["month"]), int(match["day"])) in {(d.year, d.month, d.day) for d in days}:
            found |= {_normal(part) for part in match.groups()}
    return found


def without_named_days(sentence: str, published: dt.date, text: str) -> str:
    """The sentence with its ISO dates of named days left out, for checks that look for each of its
    figures among the passage's: "2026-03-02" is written "on Monday" there."""
    days = {d.isoformat() for d in _named_days(published, text)}
    return _ISO_DATE.sub(lambda m: "" if m.group(0) in days else m.group(0), sentence)


def _context(sentence: str, start: int, end: int) -> set[str]:
    before = sentence[:start].split()[-CONTEXT_WORDS:]
    after = sentence[end:].split()[:CONTEXT_WORDS]
    return content_words(" ".join(before + after))


@functools.lru_cache(maxsize=4096)  # asked again for every passage the sentence is checked against
def _names_before(sentence: str, start: int) -> frozenset[str]:
    """The names just before a figure, whose figure it is ("Kerrigan Marine bid $46 million"); not
    the claimant's ("According to the Ledger, 46 million ...", "Mayor Halvorsen said 46 million"):
    who says it is `claimants`' to check."""
    credits = [m.group(1) for m in ATTRIBUTION.finditer(sentence)]
    credits += [m.group(1) or m.group(2) for m in CREDITED.finditer(sentence)]
    claimants = {w.lower() for credit in credits for w in words(credit)}
    before = sentence[:start].split()[-CONTEXT_WORDS:]
    return frozenset(names(" ".join(before), first_words=True) - claimants - set(MONTHS) - set(WEEKDAYS))


def _weekdays(text: str) -> set[str]:
    return {day.lower() for day in _WEEKDAY.findall(text)}


def _day_of(figure: str, part: str) -> str | None:
    """The weekday the passage sentence names nearest the figure, if it names one: "By Thursday
    afternoon, 19 ships were waiting, the most since the strike began on Monday" ties 19 to Thursday."""
    at = [m.start() for m in NUMBER.finditer(part) if _normal(m.group(0)) == figure]
    named = [(m.start(), m.group(0).lower()) for m in _WEEKDAY.finditer(part)]
    if not at or not named:
        return None
    return min(named, key=lambda day: min(abs(day[0] - position) for position in at))[1]


def figure_bound(
    sentence: str, start: int, end: int, text: str, figure: str | None = None, published: dt.date | None = None,
    heading: str = "",
) -> bool:
    """The figure at sentence[start:end] (or `figure`, one of the run there) appears in text, in a
    sentence (or its neighbours) that shares a word with the figure's context in the answer (a bare
    figure needs only to appear), names there the names just before it (or the heading, the
    passage's title and outlet, does) and, when the answer names a weekday, ties the figure to it:
    "19 ships were waiting on Monday" is not "By Thursday afternoon, 19 ships were waiting"."""
    figure = _normal(figure or sentence[start:end])
    parts = sentences(text) or [text]
    holding = [i for i, part in enumerate(parts) if figure in numbers(part)]
    context, days = _context(sentence, start, end), _weekdays(sentence)
    # A year goes with an event's name as loosely as "the Winter Games at Beijing 2022" does.
    year = re.fullmatch(r"(?:19|20)\d\d", figure)
    names_before = set() if year else set(_names_before(sentence, start)) - {w.lower() for w in words(heading)}

    def bound_at(i: int) -> bool:
        region = " ".join(parts[max(i - 1, 0) : i + 2])
        if context and not context & content_words(region):
            return False
        # "Kerrigan Marine bid $46 million" may not take the ferry plan's cost from another paragraph;
        # what follows the figure ("a two-year deal with Castellan") may come from the story at large.
        if names_before - {w.lower() for w in words(region)}:
            return False
        if not days:
            return True
        named = _day_of(figure, parts[i])
        if named is not None:
            return named in days
        # A sentence that names no day takes it from its neighbours or its date line.
        return bool(days & _weekdays(region)) or (published is not None and WEEKDAYS[published.weekday()] in days)

    return any(bound_at(i) for i in holding)


def calendar_consistent(sentence: str, published: dt.date) -> bool:
    """Every "Saturday, March 8" of the sentence is that weekday in the calendar (the year nearest the
    passage's): a model that moves a match "from Saturday to Sunday, March 8" writes "Saturday, March 8"."""
    for match in _WEEKDAY_DATE.finditer(sentence):
        month, day = MONTHS.index(match["month"].lower()) + 1, int(match["day"])
        candidates = []
        for year in (published.year - 1, published.year, published.year + 1):
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                continue
        if candidates:
            nearest = min(candidates, key=lambda d: abs((d - published).days))
            if WEEKDAYS[nearest.weekday()] != match["weekday"].lower():
                return False
    return True


# The word a figure counts, written right after it: "120 floors", "2,500-dollar bonus".
_UNIT = re.compile(r"(?:\s+|-)([A-Za-z][A-Za-z'’]*)")
# Scale words are part of the figure, not what it counts: "46 million dollars" counts dollars.
_SCALES = frozenset({"million", "billion", "trillion", "thousand", "hundred", "m", "bn", "k"})
_CURRENCY_SIGNS = {"dolla": "$", "pound": "£", "euro": "€"}
# Units a passage may write before the figure instead: "aged 34" is "34 years old".
_WRITTEN_BEFORE = {"year": {"aged", "age", "ages"}}


def _unit_stem(word: str) -> str:
    # "120 beds" is written "120-bed" as often as not: singular and plural are one unit.
    return stem(word.lower().rstrip("s"))


def _figure_end(match: re.Match[str]) -> int:
    # NUMBER takes a comma after the figure along ("45,000, because"): it is no part of it.
    return match.start() + len(match.group(0).rstrip(","))


def _names_a_year(sentence: str, match: re.Match[str]) -> bool:
    """A year or the end of a span of years ("2026-27 budget") counts nothing."""
    figure = match.group(0)
    return bool(re.fullmatch(r"(?:19|20)\d\d", figure)) or bool(re.search(r"\d[-–/]$", sentence[: match.start()]))


def unit_of(sentence: str, end: int) -> frozenset[str]:
    """Stems of the (up to two) words that say what the figure ending at `end` counts ("300 additional
    workers": additional, worker); empty for a year, a date or a bare figure."""
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
        occurrences = [m for m in NUMBER.finditer(part) if _normal(m.group(0)) == figure]
        if not occurrences:
            continue
        if units & {_unit_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'’]*", part)}:
            return True
        for match in occurrences:
            if not unit_of(part, _figure_end(match)):
                return True
            signs = {_CURRENCY_SIGNS[unit] for unit in units if unit in _CURRENCY_SIGNS}
            if any(sign in part[max(match.start() - 2, 0) : match.start()] for sign in signs):
                return True
            before = {w.lower() for w in re.findall(r"[A-Za-z]+", part[max(match.start() - 30, 0) : match.start()])[-2:]}
            if any(_WRITTEN_BEFORE.get(unit, set()) & before for unit in units):
                return True
    return False


def _runs(sentence: str) -> list[tuple[re.Match[str], int, int]]:
    """Each figure with the span of its run: "aged 34 and 41" is one run, so 41's context reaches
    back past 34 to what both count (a verified "34 and 41 years old" once lost its 41)."""
    matches = list(NUMBER.finditer(sentence))
    spans = [[m.start(), m.end()] for m in matches]
    for i in range(1, len(matches)):
        if _JOINER.fullmatch(sentence[matches[i - 1].end() : matches[i].start()]):
            spans[i][0] = spans[i - 1][0]
    for i in range(len(matches) - 2, -1, -1):
        if _JOINER.fullmatch(sentence[matches[i].end() : matches[i + 1].start()]):
            spans[i][1] = spans[i + 1][1]
    return [(m, start, end) for m, (start, end) in zip(matches, spans, strict=True)]


def figures_bound(sentence: str, passages: list[Passage]) -> bool:
    """Every figure of the sentence is bound in the text of one of the passages."""
    if not all(calendar_consistent(sentence, p.chunk.published) for p in passages):
        return False
    texts = [(drop_instructions(p.chunk.text), p.chunk.published, f"{p.chunk.title} {re.sub(r'[-.]', ' ', p.chunk.source)}")
             for p in passages]
    dated = set().union(*(dateline_figures(sentence, p.chunk.published, p.chunk.text) for p in passages))
    for match, start, end in _runs(sentence):
        figure = _normal(match.group(0))
        if figure in dated:
            continue
        units = unit_of(sentence, _figure_end(match)) if match.end() == end and not _names_a_year(sentence, match) \
            else frozenset()
        if not any(figure_bound(sentence, start, end, text, figure, published, heading)
                   and (not units or unit_bound(units, figure, text)) for text, published, heading in texts):
            return False
    return True


# Counts a news sentence writes in words: "seven workers", "a dozen homes".
_COUNT_WORDS = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
                          r"|forty|fifty|hundreds?|thousands?|dozens?)\b", re.IGNORECASE)
_MONTH_BEFORE = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\.?\s*$", re.IGNORECASE)


def counts(sentence: str, things: set[str]) -> bool:
    """Whether the sentence gives a number of `things` (nouns, singular or plural): a figure
    written before one of them ("seven workers", "300 additional workers"),
    or a bare figure in a sentence that names them ("the workers numbered 300"). Years, days of a
    month and clock times count nothing, nor does a figure of something else ("2.3 million dollars")."""
    wanted = {_unit_stem(thing) for thing in things}
    sentence_stems = {_unit_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'’]*", sentence)}
    for match in [*NUMBER.finditer(sentence), *_COUNT_WORDS.finditer(sentence)]:
        end = _figure_end(match)
        units = unit_of(sentence, end)
        if units & wanted:
            return True
        before, after = sentence[: match.start()], sentence[end : end + 1]
        year = re.fullmatch(r"(?:19|20)\d\d", match.group(0).rstrip(",")) or re.search(r"\d[-–/]$", before)
        dated = year or _MONTH_BEFORE.search(before) or after == ":" or before.endswith(":")
        if not units and not dated and wanted & sentence_stems:
            return True
    return False
