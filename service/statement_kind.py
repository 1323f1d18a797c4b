"""What kind of statement answers: a question about what was forecast wants a statement that looks
ahead, one about what a thing is wants more than when it starts (two of `question_focus`'s checks),
a match "against" a named side wants that side named, and "where" wants a place after a word that
says where (`answer_types.holds_answer`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.text import CALENDAR_WORDS, words

# "What maximum gust did the weather office forecast?" asks what was expected; the gust recorded
# the next day ("the strongest gust, 104 km/h, was recorded at ...") is another figure.
_ASKS_FORECAST = re.compile(
    r"\b(?:did|does|do|will|has|have)\b[^?]*?\b(forecast|predict|expect|project|anticipate)\b"
    r"|\b(?:is|are|was|were)\s+(?:\w+\s+){0,2}?(forecast|predicted|expected|projected|anticipated)\s+to\b",
    re.I,
)
_LOOKS_AHEAD = re.compile(r"\b(?:forecast\w*|predict\w*|expect\w*|project(?:s|ed|ion|ions)?|estimat\w*|anticipat\w*"
                          r"|outlook|likely|could|would|will|may|might|plan\w*|scheduled|set to|due to|up to|warn\w*)\b", re.I)
_PARTICIPLES = {"predict": "predicted", "expect": "expected", "project": "projected", "anticipate": "anticipated"}


def forecast_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    """Asked what was forecast or expected, the source must look ahead, not report what happened.
    Not an estimate: "the strike is costing 11 million dollars a day" is one, said in the present."""
    match = _ASKS_FORECAST.search(part)
    if not match or any(_LOOKS_AHEAD.search(s) for s in sources or kept):
        return None
    verb = (match.group(1) or match.group(2)).lower()
    return f"what was {_PARTICIPLES.get(verb, verb)}"


# "the Gulls' match against Eastbrook Rovers": which match is asked is said by the other side's name.
_OPPONENT = re.compile(r"\b(?:against|versus|vs\.?)\s+(?:the\s+)?([A-Z][\w'’.-]*)")


def opponent_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    """Asked about a match against a named side, an answer about another match does not answer:
    "the Gulls beat the Port Solace Mariners 3-1" for the score against Eastbrook Rovers (fixed q092)."""
    match = _OPPONENT.search(part)
    if not match:
        return None
    side = match.group(1).lower()
    if any(side in {w.lower() for w in words(text)} for text in [*kept, *sources]):
        return None
    return f"the match against {match.group(1)}"


# "What are stage 3 water restrictions?" asks what they are; "they take effect on March 9" says when.
_DEFINITION = re.compile(r"^\s*what\s+(?:is|are)\s+(?:an?\s+|the\s+)?((?:[\w'’-]+\s+){0,4}[\w'’-]+)\s*\??\s*$", re.I)
_SCHEDULE = re.compile(r"\b(?:tak(?:e|es|ing)|took|come|comes|came)\s+(?:into\s+)?(?:effect|force)\b"
                       r"|\b(?:begin|begins|began|start|starts|started|end|ends|ended|expire|expires|last|lasts)\s+"
                       r"(?:on|from|until|through|in|at|next|this|today|tomorrow)\b", re.I)


def definition_gap(part: str, kept: Sequence[str]) -> str | None:
    """Asked what a thing is, an answer that only says when it starts or ends does not say."""
    match = _DEFINITION.match(part)
    if not match or "name" in match.group(1).lower().split():
        return None  # "What is the name of ...?" asks for a name, which the name checks judge
    if kept and all(_SCHEDULE.search(sentence) and not _SAYS_WHAT.search(_SCHEDULE.sub(" ", sentence))
                    for sentence in kept):
        return f"what {match.group(1)} {match.group(0).split()[1].lower()}"
    return None


# Beyond when, the sentence says what the thing is, holds or does: "stage 3 restrictions ban
# hosepipes", "..., which limit ...", "stage 3 is the strictest level" (not "are due to").
_SAYS_WHAT = re.compile(r"\b(?:is|are|was|were)\b(?!\s+(?:due|set|expected|scheduled|planned|still|to)\b)"
                        r"|\b(?:means?|include[sd]?|bans?|limits?|requires?|allows?|restricts?|prohibits?|covers?"
                        r"|involves?|consists?|which)\b", re.I)


# "Where ...?" is answered by where: "in a ventilation unit on the roof" names no town, and "captured
# by the United States on Saturday" names a country but says who and when, not where.
_ASKS_WHERE = re.compile(r"(?i)\s*where\b")
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|on|inside|outside|off|along|across|throughout|from|to|into|onto|aboard|around|within|between"
    r"|beside|behind|under|over|outside of|north of|south of|east of|west of)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+"
    r"|his\s+|her\s+|this\s+|that\s+)?([\w'’.-]+)",
    re.I,
)


def asks_where(question: str) -> bool:
    """The question opens with "where" (not "which country", which a name alone answers)."""
    return bool(_ASKS_WHERE.match(question))


_WHEN_WORDS = frozenset({"today", "yesterday", "tomorrow", "tonight", "week", "weekend", "month", "year", "spring",
                         "summer", "autumn", "fall", "winter", "morning", "afternoon", "evening", "night", "noon",
                         "midnight"}) | {word.lower() for word in CALENDAR_WORDS}


def holds_place(sentence: str, question: str) -> bool:
    """A place the question does not already give, after a word that says where: not a time
    ("on Saturday", "in 2026", "in the morning") and not the question's own words."""
    asked = {w.lower() for w in words(question)}
    for match in _LOCATIVE.finditer(sentence):
        head = match.group(1).lower().strip(".")
        if head in asked or head[:1].isdigit() or head in _WHEN_WORDS:
            continue
        return True
    return False
