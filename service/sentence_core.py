"""A sentence without its trailing detail: what the verifier tries when the whole sentence fails.

A small model often gets the answer right and then adds a detail no passage gives: "luge is the
sport in which athletes travel the fastest, reaching speeds of up to 90 mph at the 2026 Winter
Olympics" (the 90 mph was the question's, the passage says "nearly 100 mph"). Dropping the whole
sentence loses a supported answer. These are the sentence's shorter readings, each ending where a
trailing modifier begins (a comma, a preposition, a participle), for `citations` to verify like any
other sentence. Only trailing detail goes: a tail that qualifies or negates the claim ("but only
for adults", "unless ...", "not ..."), says when ("on Monday", "in 2024", "after the vote") or
carries its credit ("..., officials said") is never cut, since without it the rest would say more
than the source does.
"""

from __future__ import annotations

import datetime as dt
import re

from service.claimants import ATTRIBUTION
from service.crediting import ATTRIBUTION_CUES
from service.text import MONTHS, WEEKDAYS, content_words
from service.timewords import recent_span, resolve_time_words

# Where a trailing modifier may begin: after a comma, or at one of these words.
_TAIL_OPENERS = (
    "in", "on", "at", "during", "after", "before", "since", "from", "near", "amid", "following",
    "with", "including", "as", "by", "for", "while", "when", "where", "which", "who", "across", "over",
)
_TAIL_START = re.compile(rf",\s+|\s+\(|\s+(?=(?i:{'|'.join(_TAIL_OPENERS)})\b)|\s+(?=[a-z]+ing\b)")
# A core ending in one of these was cut inside a phrase ("held in", "the director of") or a verb
# ("Becky G announced she is", cut from "... she is training to be a death doula").
_DANGLING = frozenset({
    *_TAIL_OPENERS, "the", "a", "an", "of", "to", "and", "or", "its", "their", "his", "her", "that", "than",
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "can", "could",
    "should", "may", "might", "must",
})
# A passive verb's "by" names the doer, which is the claim: "the United States was rocked by two
# train disasters" is not "the United States was rocked".
_PASSIVE_BEFORE_BY = re.compile(
    r"(?:ed|en|wn|hit|struck|led|held|made|caught|built|hurt|shut|cut|won|bought|sold|set|run|beat)$", re.IGNORECASE)
# A tail holding a qualifier or a hedge changes what the rest means; one holding an attribution cue
# (`crediting.ATTRIBUTION_CUES`: "according to", "said", ...) says whose claim it is.
_QUALIFIES = re.compile(r"\b(not|no|never|nor|none|without|only|except|unless|but|although|though|if|whether|however)\b"
                        r"|n't\b", re.IGNORECASE)
_HEDGES = re.compile(r"\b(denied|denies|deny|false|falsely|alleged|allegedly|reportedly|believes?|estimated)\b",
                     re.IGNORECASE)
# A tail that says when binds the claim to a day: "19 ships were waiting on Monday" is not "19 ships
# were waiting", and news asks about a day ("when the strike began"). Never cut.
_SAYS_WHEN = re.compile(
    rf"\b({'|'.join(WEEKDAYS + MONTHS)}|yesterday|today|tonight|tomorrow|ago|earlier|later|week|weekend|month|year|"
    r"morning|afternoon|evening|night|when|after|before|since|until|during|following|began|begins|started|ended)\b"
    r"|\b(in|by|since|until|before|after|from|to|during|of)\s+\d{4}\b",
    re.IGNORECASE,
)
# Items of a list go together or not at all: "four times: 1960, 2002" would be a shorter list, not a
# shorter claim; nor is anything after a colon cut.
_LIST = re.compile(r",\s*(?:and|or)\s")
# The core must still be a claim of some substance.
MIN_CORE_WORDS = 3
MAX_CORES = 4


def shorter_readings(sentence: str) -> list[str]:
    """The sentence cut before each trailing modifier, least cut first, at most MAX_CORES of them."""
    body = sentence.rstrip().rstrip(".!?")
    # "According to X, ..." opens the claim; the claim is what follows it.
    opener = ATTRIBUTION.match(body)
    claim_start = opener.end() if opener else 0
    readings: list[str] = []
    for match in reversed(list(_TAIL_START.finditer(body))):
        if match.start() < claim_start:
            break
        core, tail = body[: match.start()].rstrip(" ,;:"), body[match.start():]
        keeps_meaning = _QUALIFIES.search(tail) or _HEDGES.search(tail) or ATTRIBUTION_CUES.search(tail)
        last_word = core.rsplit(maxsplit=1)[-1].lower() if core.strip() else ""
        agent = tail.lstrip().lower().startswith("by ") and _PASSIVE_BEFORE_BY.search(last_word)
        if keeps_meaning or agent or _SAYS_WHEN.search(tail) or _LIST.search(tail) or ":" in core:
            break  # every longer cut would drop this tail too
        # A cut inside a clause that opens with a qualifier ("..., but only") would leave it half said.
        inside_a_qualifier = "," in core and _QUALIFIES.search(core.rsplit(",", 1)[1])
        if len(content_words(core[claim_start:])) < MIN_CORE_WORDS or last_word in _DANGLING or inside_a_qualifier \
                or not _balanced(core) or not _states_something(core[claim_start:]):
            continue
        reading = f"{core}."
        if reading not in readings:
            readings.append(reading)
        if len(readings) == MAX_CORES:
            break
    return readings


# A figure written as a modifier: "11-day", "133-year-old", "2,000-mile".
_FIGURE_MODIFIER = re.compile(r"\b\d[\d,.]*-(?:[a-z]+-)*[a-z]+\s+")


def without_asked_figures(sentence: str, question: str) -> str | None:
    """The sentence without the figure modifiers it copied from the question, or None when it has
    none. The question's premise is the asker's, not a source's: asked about the Pope's "11-day tour
    of Africa", the model wrote "kicked off his 11-day tour of Africa in Algeria" where its source
    says a 10-day trip. The answer, Algeria, stands; the wrong figure must not be shown as sourced."""
    asked = {match.group(0).strip() for match in _FIGURE_MODIFIER.finditer(question)}
    cut = _FIGURE_MODIFIER.sub(lambda match: "" if match.group(0).strip() in asked else match.group(0), sentence)
    if cut == sentence:
        return None
    # "an 88-day blackout" without its figure is "a blackout".
    cut = re.sub(r"\b([Aa])n\s+(?=[b-df-hj-np-tv-z])", r"\1 ", cut)
    return re.sub(r"\b([Aa])\s+(?=[aeiou])", r"\1n ", cut)


def without_asked_span(sentence: str, question: str) -> str | None:
    """The sentence without the recent span it copied from the question ("said this week"), or None
    when it has none. Asked "Which US agency said this week it could run out of cash ...?", the
    model wrote "the US Postal Service said this week it could run out of cash", and its source said
    so thirteen days before the week began. The span is the asker's premise, like a figure copied from
    the question; what is left is checked against every passage (`citations.verify`), and an answer
    resting only on articles months older than the span is refused (`answer_age`)."""
    phrase = recent_span(resolve_time_words(question, dt.date.today()))
    if not phrase:
        return None
    cut = re.sub(rf"(?i)(?:^|\s+|(?<=[\"“]))\b{re.escape(phrase)}\b,?", "", sentence, count=1).strip()
    if cut == sentence.strip():
        return None
    return cut[:1].upper() + cut[1:]


_RELATIVE_OPENER = re.compile(r"\b(?:who|which|that)\s+", re.IGNORECASE)


def _states_something(core: str) -> bool:
    """The core keeps a verb of its own, not only one inside a relative clause: "most of the
    passengers who arrived", cut from "... who arrived in the US were quarantined in Baltimore", says nothing."""
    relative = {match.end() for match in _RELATIVE_OPENER.finditer(core)}
    return any(match.start() not in relative for match in _FINITE_VERB.finditer(core))


def _balanced(text: str) -> bool:
    """No quotation or bracket left open: a quote cut in the middle is no longer what was said."""
    straight_quotes = text.count('"') % 2 == 0
    return straight_quotes and text.count("(") == text.count(")") and text.count("“") == text.count("”")


# Where one clause of a series ends and the next begins: "X left 18,000 homes without power, the
# council backed a ferry route, and the union said ...".
_SERIES_BREAK = re.compile(r",\s+(?:and\s+|but\s+|while\s+)?|;\s+(?:and\s+)?")
# A clause says something happened: a finite verb, by its common forms.
_FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|did|does|said|says|told|left|won|lost"
    r"|made|took|gave|got|went|came|saw|found|held|kept|put|set|cut|hit|rose|fell|paid|met|led|ran|began|brought"
    r"|built|bought|sold|struck|spent|sent|chose|drew|[a-z]{3,}ed)\b"
)
_CLAUSE_OPENERS = frozenset({"which", "who", "whose", "where", "when", "with", "by", "in", "on", "at", "for", "from",
                             "including", "after", "before", "as", "to", "of"})
# Fewer clauses than this are one claim with two parts, which the sentence's own check judges whole.
MIN_SERIES_CLAUSES = 3
MIN_CLAUSE_WORDS = 3


def series_clauses(sentence: str) -> list[str]:
    """A sentence that runs several claims together, as sentences of their own; [] when it is not one.
    Asked for the day's news, a small model writes all of it in one sentence, which no single
    passage supports; each clause may be checked on its own. Every part must be a clause (a verb,
    three words, no opening preposition or relative word), or the sentence is left whole."""
    parts = [part.strip().rstrip(".") for part in _SERIES_BREAK.split(sentence.strip().rstrip("."))]
    if len(parts) < MIN_SERIES_CLAUSES:
        return []
    for part in parts:
        first = part.split()[0].lower() if part.split() else ""
        if len(part.split()) < MIN_CLAUSE_WORDS or first in _CLAUSE_OPENERS or not _FINITE_VERB.search(part):
            return []
    return [f"{part[0].upper()}{part[1:]}." for part in parts]
