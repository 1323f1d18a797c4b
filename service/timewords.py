"""Time words in a question ("yesterday", "this week", "on July 8") -> a date range.

Everything is relative to `as_of`, the "today" of the request. The first expression found
wins; a question with no time words gets an open range.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from service.domain import DateRange
from service.text import WEEKDAYS, content_words

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "ten": 10,
    "fourteen": 14,
    "thirty": 30,
}


# A month-day without a year this many days after as_of is an upcoming event ("the match on
# Saturday, March 7" asked on March 6), not last year's day.
UPCOMING_DAYS = 60
# "Recently" in news: this month's stories.
RECENT_DAYS = 30


def _past(day: dt.date, as_of: dt.date) -> dt.date:
    """A month-day without a year is the most recent one not after as_of."""
    return day if day <= as_of else day.replace(year=day.year - 1)


def _month_day(m: re.Match[str], as_of: dt.date) -> DateRange | None:
    month = _MONTHS[(m.group("m1") or m.group("m2")).lower()]
    day = int(m.group("d1") or m.group("d2"))
    year = int(m.group("y")) if m.group("y") else as_of.year
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if not m.group("y") and as_of < date <= as_of + dt.timedelta(days=UPCOMING_DAYS):
        # News of an upcoming day was published before it: no day to keep to.
        return None
    date = date if m.group("y") else _past(date, as_of)
    return DateRange(start=date, end=date)


def _month_range(year: int, month: int, until: dt.date | None = None) -> DateRange:
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    end = following - dt.timedelta(days=1)
    return DateRange(start=start, end=min(end, until) if until else end)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


_NUM = r"(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
Rule = tuple[re.Pattern[str], Callable[[re.Match[str], dt.date], DateRange | None]]
_RULES: list[Rule] = [
    (
        re.compile(r"\b(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})\b"),
        lambda m, a: DateRange(start=(d := dt.date(int(m["y"]), int(m["mo"]), int(m["d"]))), end=d),
    ),
    (
        re.compile(
            rf"\b(?:(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_RE}))\b,?(?:\s+(?P<y>\d{{4}}))?",
            re.I,
        ),
        _month_day,
    ),
    (re.compile(r"\btoday\b|\bthis morning\b|\btonight\b", re.I), lambda m, a: DateRange(start=a, end=a)),
    (
        re.compile(r"\byesterday\b|\blast night\b", re.I),
        lambda m, a: DateRange(start=(d := a - dt.timedelta(days=1)), end=d),
    ),
    (
        re.compile(r"\bday before yesterday\b", re.I),
        lambda m, a: DateRange(start=(d := a - dt.timedelta(days=2)), end=d),
    ),
    (
        re.compile(rf"\b{_NUM}\s+days?\s+ago\b", re.I),
        lambda m, a: DateRange(start=(d := a - dt.timedelta(days=_count(m["n"].lower()))), end=d),
    ),
    (
        re.compile(rf"\b(?:past|last)\s+{_NUM}\s+days\b", re.I),
        lambda m, a: DateRange(start=a - dt.timedelta(days=_count(m["n"].lower())), end=a),
    ),
    (
        re.compile(r"\b(?:this|past)\s+week\b", re.I),
        lambda m, a: DateRange(start=a - dt.timedelta(days=6), end=a),
    ),
    (
        re.compile(r"\blast\s+week\b", re.I),
        lambda m, a: DateRange(start=a - dt.timedelta(days=13), end=a - dt.timedelta(days=7)),
    ),
    (re.compile(r"\bthis\s+month\b", re.I), lambda m, a: _month_range(a.year, a.month, until=a)),
    (
        re.compile(r"\blast\s+month\b", re.I),
        lambda m, a: _month_range(*((a.year, a.month - 1) if a.month > 1 else (a.year - 1, 12))),
    ),
    (re.compile(r"\bthis\s+year\b", re.I), lambda m, a: DateRange(start=dt.date(a.year, 1, 1), end=a)),
    (
        re.compile(r"\b(?:recently|lately|in recent (?:days|weeks))\b", re.I),
        lambda m, a: DateRange(start=a - dt.timedelta(days=RECENT_DAYS), end=a),
    ),
    (
        # "on Saturday, March 7" is the month-day's to resolve: it may be a coming Saturday.
        re.compile(r"\b(?:on\s+|last\s+|this\s+past\s+)(?P<w>" + "|".join(WEEKDAYS) + r")\b"
                   rf"(?!,?\s+(?:(?:{_MONTH_RE})\.?\s+\d|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_RE})\b))", re.I),
        lambda m, a: DateRange(
            start=(d := a - dt.timedelta(days=(a.weekday() - WEEKDAYS.index(m["w"].lower())) % 7 or 7)),
            end=d,
        ),
    ),
    (
        re.compile(rf"\bin\s+(?P<m>{_MONTH_RE})\b(?:\s+(?P<y>\d{{4}}))?", re.I),
        lambda m, a: _month_range(
            int(m["y"]) if m["y"] else (a.year if _MONTHS[m["m"].lower()] <= a.month else a.year - 1),
            _MONTHS[m["m"].lower()],
        ),
    ),
]


# Only a day counted back from today, or an ISO date, keeps retrieval to its days. Spans are soft:
# what a week's news rests on may have been reported before it. So are a weekday or a calendar day
# named in a question: "the eclipse on Tuesday" was previewed before it and reported after, "on
# Thursday" asked on a Thursday may mean today, and "January 6" may name an event of another year.
# On the public dev set this put the answer in the prompt for 2 more of the 6 such questions and
# lost none of the fixed or hard set's (README, "Time words").
_EXACT = re.compile(
    r"^(?:today|tonight|this morning|yesterday|last night|day before yesterday|\w+\s+days?\s+ago|\d{4}-\d{2}-\d{2})$",
    re.I,
)


# Time words that count from today, as an answer's claim: "Mississippi was hit by historic flooding this
# week" is no claim a 2020 story supports (dates and weekdays are the figures check's).
_RELATIVE = re.compile(
    r"^(?:today|tonight|this morning|yesterday|last night|day before yesterday|\S+\s+days?\s+ago"
    r"|(?:past|last)\s+\S+\s+days|(?:this|past|last)\s+(?:week|month|year)|recently|lately|in recent \w+)$",
    re.I,
)


def relative_window(text: str, as_of: dt.date) -> DateRange | None:
    """The days a sentence's time words counted from today name ("this week", "yesterday"), or None."""
    window = resolve_time_words(text, as_of)
    return window if window.phrase and _RELATIVE.match(window.phrase) else None


def recent_span(window: DateRange) -> str | None:
    """The words of a vague span counted back from today ("this week", "recently"), or None: a named
    day or month ("on Tuesday", "January 6") may be of another year, and exact days filter strictly."""
    return window.phrase if window.soft and window.phrase and _RELATIVE.match(window.phrase) else None


# Words the question quotes are someone else's: "Who said 'Tonight we stopped asking them to
# wait'?" asks about a vote days ago, not tonight.
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*\s[^’]*’')


# Asking for the latest names no days: the story may have begun weeks ago, but its newest report
# is the answer ("What's the latest on the Lumatek fire?" was answered from the first day's report).
_LATEST = re.compile(
    r"\b(?:latest|most recent|newest|what(?:'|’|\s+i)s\s+new|any\s+news|(?:any|an|the)\s+updates?"
    # Asking how things stand is asking for the newest report: "the current Lunar New Year" is this
    # year's, not last year's, and "when will the board now vote" is the rescheduled date.
    r"|current(?:ly)?|now|at present|presently)\b"
    r"|^\W*(?:news|updates?)\s+(?:on|about|from|for|regarding)\b",  # "Update on the stolen painting please"
    re.I,
)


# What any request for news is about when it names nothing else: "Any updates?", "What's the latest news?".
_NEWS_IN_GENERAL = content_words(
    "what whats news headlines stories story update updates happened happening going today please anything "
    "everything yesterday tonight week weekend month morning evening night days past last give tell show "
    + " ".join(WEEKDAYS)
)


# "What happened in Harborview yesterday?", "Any news from Cresswell?": a place narrows news in
# general, as a day does; it names no story. Read as one, the answer was the two sentences that
# said "Harborview", not the day's stories there.
_PLACE = re.compile(r"\b(?:in|from|at|around|across)\s+(?:[A-Z][\w'’-]*\s*){1,3}")


def names_a_story(question: str) -> bool:
    """Whether a question names what it is about ("the latest on the port strike"), rather than
    asking for news in general ("What's the latest news?", "What happened in Harborview yesterday?")."""
    return bool(content_words(_PLACE.sub(" ", _LATEST.sub(" ", question))) - _NEWS_IN_GENERAL)


def resolve_time_words(question: str, as_of: dt.date) -> DateRange:
    """The date range a question's time words name, or an open range. Quoted words name none."""
    question = _QUOTED.sub(lambda quote: " " * len(quote.group(0)), question)
    window = _named_range(question, as_of)
    return window.model_copy(update={"newest_first": True}) if _LATEST.search(question) else window


def _named_range(question: str, as_of: dt.date) -> DateRange:
    found: list[tuple[int, DateRange]] = []
    for pattern, build in _RULES:
        for match in pattern.finditer(question):
            try:
                value = build(match, as_of)
            except (ValueError, KeyError, OverflowError):
                # A day before 0001-01-01 or after 9999-12-31 ("yesterday" as of year 1): no window.
                value = None
            if value is not None:
                phrase = match.group(0).strip()
                update = {"phrase": phrase, "soft": not _EXACT.match(phrase)}
                found.append((match.start(), value.model_copy(update=update)))
                break
    if not found:
        return DateRange()
    return min(found, key=lambda item: item[0])[1]


def request_window(question: str, as_of: dt.date, date_from: dt.date | None, date_to: dt.date | None) -> DateRange:
    """Explicit dates win over time words: a client's date_from/date_to filter strictly."""
    if date_from or date_to:
        return DateRange(start=date_from, end=date_to, phrase="request")
    return resolve_time_words(question, as_of)
