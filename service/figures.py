"""Figures bound to what they count: a number in an answer is supported only by the article's text.

A verified answer once read "Northgate will complete the tram extension by 2026 [2]": the article
said construction starts in April 2027 and services begin in late 2029; 2026 was only the year in
its date line and URL, which the verifier's haystack held. A figure must now appear in the passage's
own text, in a sentence that shares a word with what the answer ties the figure to. The one
exception is the publication date itself: "On March 2, 2026, the council voted" is supported by a
passage published that day.

A figure also counts something, its unit (`figure_units.py`): "St. Brigid's wing has 120 floors"
is not supported by "its new 120-bed wing".
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from service.claimants import ATTRIBUTION, CREDITED
from service.domain import Passage
from service.figure_units import figure_end, names_a_year, normal_figure, unit_bound, unit_of
from service.name_forms import names_written_otherwise
from service.prompting import drop_instructions
from service.text import (
    MONTHS,
    NUMBER,
    WEEKDAYS,
    content_words,
    names,
    numbers,
    sentences,
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
            found |= {normal_figure(part) for part in (day, year) if part}
    for match in _ISO_DATE.finditer(sentence):
        if (int(match["year"]), int(match["month"]), int(match["day"])) in {(d.year, d.month, d.day) for d in days}:
            found |= {normal_figure(part) for part in match.groups()}
    return found


def without_named_days(sentence: str, published: dt.date, text: str) -> str:
    """The sentence with its ISO dates of named days left out, for checks that look for each of its
    figures among the passage's: "2026-03-02" is written "on Monday" there."""
    days = {d.isoformat() for d in _named_days(published, text)}
    return _ISO_DATE.sub(lambda m: "" if m.group(0) in days else m.group(0), sentence)


def _context(sentence: str, start: int, end: int) -> set[str]:
    """The words around the figure that say what it counts, except a span of time: every stretch of
    days is "days", so "the port strike lasted 2 days" had been bound by an opinion column's "Both
    sides have spent 2 days arguing", which shared only that word. A count's noun does bind: "about
    1,400 members walked out" is "about 1,400 members had stopped work". Words before a comma are
    another clause's, often the claimant's: "According to usatoday.com, five years"."""
    before = re.split(r"[,;:]\s", sentence[:start])[-1].split()[-CONTEXT_WORDS:]
    after = sentence[end:].split()[:CONTEXT_WORDS]
    return content_words(" ".join(before + after)) - _SPANS_OF_TIME


_SPANS_OF_TIME = content_words("second seconds minute minutes hour hours day days week weeks month months year years")


@functools.lru_cache(maxsize=4096)  # asked again for every passage the sentence is checked against
def _names_before(sentence: str, start: int) -> frozenset[str]:
    """The names just before a figure, whose figure it is ("Kerrigan Marine bid $46 million"); not
    the claimant's ("According to the Ledger, 46 million ...", "Mayor Halvorsen said 46 million"):
    who says it is `claimants`' to check."""
    credits = [m.group(1) for m in ATTRIBUTION.finditer(sentence)]
    credits += [m.group(1) or m.group(2) for m in CREDITED.finditer(sentence)]
    claimants = {w.lower() for credit in credits for w in words(credit)}
    before = sentence[:start].split()[-CONTEXT_WORDS:]
    # Only the figure's own phrase: "Equatorial Guinea during his 10-day trip" ties 10 to the trip.
    for i in range(len(before) - 1, -1, -1):
        if before[i].lower() in _PHRASE_BREAKS or before[i].endswith((",", ";", ":")):
            before = before[i + 1 :]
            break
    return frozenset(names(" ".join(before), first_words=True) - claimants - set(MONTHS) - set(WEEKDAYS))


_PHRASE_BREAKS = frozenset({"during", "from", "in", "on", "at", "for", "after", "before", "since", "until", "by",
                            "with", "across", "over", "of", "to", "and", "or", "as"})


def _weekdays(text: str) -> set[str]:
    return {day.lower() for day in _WEEKDAY.findall(text)}


def _day_of(figure: str, part: str) -> str | None:
    """The weekday the passage sentence names nearest the figure, if it names one: "By Thursday
    afternoon, 19 ships were waiting, the most since the strike began on Monday" ties 19 to Thursday."""
    at = [m.start() for m in NUMBER.finditer(part) if normal_figure(m.group(0)) == figure]
    named = [(m.start(), m.group(0).lower()) for m in _WEEKDAY.finditer(part)]
    if not at or not named:
        return None
    return min(named, key=lambda day: min(abs(day[0] - position) for position in at))[1]


# Words just before a day of a month that make it the day something starts or the day it ends by:
# "Applications open on March 16" does not support "farmers can apply by March 16".
_STARTS = frozenset({"from", "starting", "after", "since", "open", "opens", "opening", "begin", "begins", "start",
                     "starts", "launch", "launches"})
_ENDS = frozenset({"by", "before", "until", "till", "through", "deadline", "close", "closes", "closing", "end", "ends"})


def date_direction(before: str, after: str = "") -> str | None:
    """'start' or 'end' when the figure between `before` and `after` is a day of a month that the
    words just before it make the first or the last day of something; else None ("on March 16")."""
    tokens = [w.strip(",.").lower() for w in before.split()]
    if tokens and tokens[-1] in MONTHS:
        tokens = tokens[:-1]
    elif not (after.split()[:1] and after.split()[0].strip(",.").lower() in MONTHS):
        return None
    tokens = [t for t in tokens if t not in WEEKDAYS]
    for word in reversed(tokens[-3:]):
        if word in _ENDS:
            return "end"
        if word in _STARTS:
            return "start"
    return None


def _directions(figure: str, part: str) -> set[str | None]:
    return {date_direction(part[: m.start()], part[m.end() :]) for m in NUMBER.finditer(part)
            if normal_figure(m.group(0)) == figure}


def figure_bound(
    sentence: str, start: int, end: int, text: str, figure: str | None = None, published: dt.date | None = None,
    heading: str = "",
) -> bool:
    """The figure at sentence[start:end] (or `figure`, one of the run there) appears in text, in a
    sentence (or its neighbours) that shares a word with the figure's context in the answer (a bare
    figure needs only to appear), names the names of the figure's own phrase in that sentence or the
    one before (news names a thing, then writes "The school has 140 pupils"; the title and outlet
    count too) and, when the answer names a weekday, ties the figure to it:
    "19 ships were waiting on Monday" is not "By Thursday afternoon, 19 ships were waiting". A day
    the answer makes a deadline ("apply by March 16") is no day the passage makes a start
    ("Applications open on March 16"), nor the reverse."""
    figure = normal_figure(figure or sentence[start:end])
    parts = sentences(text) or [text]
    holding = [i for i, part in enumerate(parts) if figure in numbers(part)]
    context, days = _context(sentence, start, end), _weekdays(sentence)
    # The passage's day must not be of the opposite kind: a start where the answer gives a deadline.
    direction = date_direction(sentence[:start], sentence[end:])
    opposite = {"start": "end", "end": "start"}.get(direction or "")
    # A year or a day of a month goes with an event's name as loosely as "the Winter Games at Beijing
    # 2022" or "Davos, Switzerland from January 16" do.
    year = re.fullmatch(r"(?:19|20)\d\d", figure) or re.search(rf"\b{_MONTH}\.?\s*$", sentence[:start])
    names_before = set() if year else set(_names_before(sentence, start)) - {w.lower() for w in words(heading)}

    def bound_at(i: int) -> bool:
        region = " ".join(parts[max(i - 1, 0) : i + 2])
        if context and not context & content_words(region):
            return False
        # "Kerrigan Marine bid $46 million" may not take the ferry plan's cost from another paragraph,
        # nor "Bellamy Park Elementary has 140 pupils" Linwood's from the sentence before Bellamy is
        # named; what follows the figure ("a two-year deal with Castellan") may come from anywhere near.
        near = " ".join(parts[max(i - 1, 0) : i + 1])
        missing = names_before - {w.lower() for w in words(near)}
        if missing and missing - names_written_otherwise(sentence, near):
            return False
        if opposite and _directions(figure, parts[i]) <= {opposite}:
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
        figure = normal_figure(match.group(0))
        if figure in dated:
            continue
        units = unit_of(sentence, figure_end(match)) if match.end() == end and not names_a_year(sentence, match) \
            else frozenset()
        if not any(figure_bound(sentence, start, end, text, figure, published, heading)
                   and (not units or unit_bound(units, figure, text)) for text, published, heading in texts):
            return False
    return True
