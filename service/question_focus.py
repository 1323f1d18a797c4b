"""What one question asks for, and whether the kept sentences give it: the rules of `answerability`'s
focus check, one function a kind of gap.

Each check returns what the answer lacks ("the number of floors", "the cost of a single screening
ticket") or None. Some read only the answer's kept sentences; those marked so read what the source
says, since a small model copies the question's words into an answer whose source never said them:
the sentences the answer quotes (`sources`) or the whole passages it cites (`cited`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

from service.answer_subject import picks_an_option
from service.answer_types import (
    COUNT,
    MONEY,
    NAME,
    PERCENT,
    PLACE,
    SCORE,
    TIME,
    WHERE,
    answer_kind,
    expected_answer_type,
    gives_expected_answer,
    holds_answer,
    question_kind,
)
from service.asked_claimant import claimant_gap, name_words, words_gap
from service.claimants import ATTRIBUTION, SPEECH
from service.figure_units import counts
from service.statement_kind import definition_gap, forecast_gap, opponent_gap
from service.text import sentences, stem, words

_KIND_WORDS = {MONEY: "a sum of money", PERCENT: "a percentage", COUNT: "a number", TIME: "a date or time",
               PLACE: "a place", NAME: "a name", SCORE: "a score", WHERE: "the place asked for"}
# "How many container ships were ...": the words between "how many" and the verb name what is counted.
_COUNTED = re.compile(
    r"\bhow (?:many|much) ((?:[\w'-]+ ){0,6}?)(?:did|does|do|is|are|was|were|will|would|can|could|has|have|had"
    r"|should|took|take|attend|attended|borrowed|work|live)\b",
    re.I,
)
# "..., and by how many votes?": what is counted ends the question.
_COUNTED_LAST = re.compile(r"\bhow many ((?:[\w'-]+ ){0,2}[\w'-]+)\s*$", re.I)
# What a counted thing may also be called in a news sentence.
_ALSO_CALLED = {"people": {"crowd", "residents", "attendees", "spectators", "fans", "visitors", "person", "pupils",
                           "students", "workers", "voters", "members"},
                "money": {"dollars", "million", "billion"}}
_PERIODS: list[tuple[str, re.Pattern[str]]] = [
    ("month", re.compile(r"\b(january|february|march|april|june|july|august|september|october|november|december)\b",
                         re.I)),
    ("weekday", re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)),
    ("quarter", re.compile(r"\b(first|second|third|fourth)[- ]quarter\b", re.I)),
    ("year", re.compile(r"\b((?:19|20)\d\d)\b")),
]
# "Who designed ...", "Which company built ...": the act asked about must be in the answer.
_WHO_DID = re.compile(r"^(?i:who|(?:which|what) (?:company|firm|team|group|organi[sz]ation|architect|contractor|agency"
                      r"|party|club|person|official|studio|developer|builder)s?)\s+"
                      r"(?!is\b|was\b|are\b|were\b|will\b|has\b|had\b|did\b|does\b|can\b)([a-z]{3,})\b")
# How a source says that someone won: "Rory McIlroy won", "a 52 percent win", "the victory".
# (The first four letters of each word's root, as `_act_gap` compares them.)
_WON = frozenset({"won", "win", "winn", "vict", "beat", "defe", "clin", "triu", "cham"})
# "Who runs St. Brigid's Hospital?": news says who leads a body by their title ("Dr. Amara Nwosu-Hale,
# the hospital's chief executive"). (First four letters, as `_act_gap` compares them.)
_LEADS = re.compile(r"runs?|running|ran|leads?|led|heads?|headed|manag\w*|chair\w*|direct\w*|oversee\w*|oversaw")
_LEADER_TITLES = frozenset({"chie", "exec", "dire", "head", "chai", "pres", "lead", "mana", "ceo", "boss"})
# "Who said ...", "Which Lumatek executive warned ...": the speaker is the answer, so an answer that
# names them in its attribution ("According to chief executive Priya Sandoval, ...") gives it.
_ASKS_SPEAKER = re.compile(rf"^(?:who|(?:which|what) (?:[\w'’-]+ ){{0,3}}?[\w'’-]+)\s+{SPEECH}\b", re.I)
_WHO_IS = re.compile(r"^who (?:is|was|are|were) (?:the )?((?:[a-z-]+ ){0,2}[a-z-]+) (of|at|for|in)\b", re.I)
# "How much does a single screening ticket cost ...": the thing whose price is asked.
_PRICED = re.compile(r"\bhow much (?:did|does|do|will|would|is|was|were|has|have) ((?:the |a |an )?.+?) (?:be )?"
                     r"(?:expected to |likely to |going to )?cost\b", re.I)
# "a third ferry", "the fifth round": an ordinal picks one of several, and the answer must be about that one.
_ORDINAL = re.compile(r"\b(second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b(?![- ]quarter)",
                      re.I)
# "What did the city council decide ...": a body's own decision, which another body's does not answer.
_BODY_ACT = re.compile(r"\b(?:did|does|do|will|has|have)\s+((?:the\s+)?(?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+"
                       r"(?:(?:now|then|finally|also|still|eventually|ever|actually|formally|officially|not|never)\s+)?"
                       r"(decide|approve|vote|agree|reject|pass|adopt|ban|order|rule)\b", re.I)
_WHY = re.compile(r"^why\b|\bwhat was the reason\b", re.I)
_REASON = re.compile(r"\b(because|due to|caus\w*|reasons?|citing|cited|blam\w*|as a result|owing to|in order to|so that"
                     r"|amid|following|over concerns?|to protest|explain\w*)\b", re.I)


def _root(word: str) -> str:
    """A crude singular stem: "floors" and "120-bed" meet "floor" and "bed"."""
    return stem(word.lower().removesuffix("s"))


def _stems(text: str) -> set[str]:
    return {_root(w) for w in words(text) if w and not w[0].isdigit()}


def _counted_gap(
    part: str, kept: Sequence[str], cited: Sequence[str] = (), sources: Sequence[str] = ()
) -> str | None:
    match = _COUNTED.search(part) or _COUNTED_LAST.search(part)
    if not match or not match.group(1).strip():
        return None
    # "how many paintings by Ines Marrow does ...": what is counted comes before its qualifier.
    counted = re.split(r"\s(?:by|of|in|at|for|from|on|with)\s", f" {match.group(1)} ")[0]
    if not counted.strip():
        return None
    head = counted.split()[-1].lower()
    if head in {"money", "time", "longer", "more", "the", "a"}:
        return None
    wanted = {_root(head)} | {_root(w) for w in _ALSO_CALLED.get(head, ())}
    with_figures = [s for s in kept if re.search(r"\d", s) or re.search(r"\b(one|two|three|four|five|six|seven|eight"
                                                                          r"|nine|ten|dozen|hundred)\b", s, re.I)]
    if not any(wanted & _stems(s) for s in with_figures):
        return f"the number of {head}"
    # The cited passages must count them too: "owns one painting" over a passage whose only figures
    # are the painting's price and the day it was stolen answers no "how many paintings".
    asks_a_count = re.search(r"\bhow many\b", part, re.I)
    things = {head, *_ALSO_CALLED.get(head, ())}
    if asks_a_count and cited and not any(counts(s, things) for text in cited for s in sentences(text)):
        return f"the number of {head}"
    # Nor does a figure of something else beside the word: "52.4 percent of the vote" is no number of votes.
    if asks_a_count and sources and not any(counts(s, things) for s in [*kept, *sources]):
        return f"the number of {head}"
    return None


def _priced_gap(part: str, kept: Sequence[str], cited: Sequence[str] = ()) -> str | None:
    """A sum given for something else: "a festival pass costs 140 dollars" for the price of a single
    ticket. The thing priced must be named in a sentence that gives a sum, or in its passage's title
    and opening sentence (a story about the barrier may say "The project cost ...")."""
    priced = _PRICED.search(part)
    if not priced or not cited:
        return None
    thing = re.split(r"\s(?:at|of|in|for|on|from|by)\s", f" {priced.group(1)} ")[0].split()
    if not thing:
        return None
    head = _root(thing[-1])
    for text in cited:
        text_sentences = sentences(text)
        if head in _stems(text_sentences[0] if text_sentences else text) or any(
            head in _stems(s) and holds_answer(s, MONEY, part) for s in text_sentences
        ):
            return None
    return f"the cost of {' '.join(thing)}"


def _ordinal_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    """Asked about "a third ferry", an answer about the two ferries bought answers nothing."""
    # "(second from left)" describes a photo, not what is asked.
    asked = {m.group(1).lower() for m in _ORDINAL.finditer(re.sub(r"\([^)]*\)", " ", part))}
    text = " ".join([*kept, *sources]).lower()
    missing = [o for o in sorted(asked) if not re.search(rf"\b{o}\b", text)]
    return f"anything about the {missing[0]} one" if missing else None


# "How much will a festival pass cost next year?": this year's price, said in the present tense,
# names no year and so contradicts none; the year asked must be said.
_RELATIVE_YEAR = re.compile(r"\b(next|last|previous|coming) (year|season)\b", re.I)
_SAYS_A_YEAR = re.compile(r"\b(?:next|last|previous|coming|this) (?:year|season)\b|\b(?:19|20)\d\d\b", re.I)


def _period_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    text = " ".join(kept)
    relative = _RELATIVE_YEAR.search(part)
    if relative and not _SAYS_A_YEAR.search(" ".join([*kept, *sources])):
        return f"anything for {relative.group(1).lower()} {relative.group(2).lower()}"
    for family, pattern in _PERIODS:
        asked = {m.group(1).lower() for m in pattern.finditer(part)}
        if not asked:
            continue
        given = {m.group(1).lower() for m in pattern.finditer(text)}
        if given and not asked & given:
            return f"for {_listed(asked, family)} (they give {_listed(given, family)})"
    return None


def _listed(items: set[str], family: str) -> str:
    shown = sorted(items)
    return " and ".join(f"the {i} quarter" if family == "quarter" else i.capitalize() for i in shown)


def _act_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    # The role or act asked about must be in what the source says, not only in the answer: asked "who
    # directed the closing film?", a model writes "X directed the closing film" over a source sentence
    # that names the film and no director.
    text = _stems(" ".join(ATTRIBUTION.sub("", s) for s in sources or kept))
    who_is = _WHO_IS.search(part)
    if who_is:
        role = [w for w in who_is.group(1).split() if w not in {"the", "a", "an"}]
        # "Who is in charge of the executive branch?" asks who leads it: a leader's title answers.
        if [w.lower() for w in role] == ["in", "charge"]:
            return None if _LEADER_TITLES & {s[:4] for s in text} else "who is in charge"
        if role and not {_root(w) for w in role} <= text:
            return f"the {' '.join(role)}"
        # "Who is the chief executive of Kerrigan Marine?": the role and whose role it is, in one
        # sentence: one passage's "chief executive Viktor Ambrose" (of another company) and another's
        # "Kerrigan Marine" make no answer.
        named = re.match(r"(?:the )?((?:[A-Z][\w'’&.-]* ?)+)", part[who_is.end() :].lstrip())
        employer = name_words(named.group(1)) if named and who_is.group(2).lower() != "in" else []
        # The employer is named by its first word or its last: "Castellan's team was led by chief
        # executive Viktor Ambrose" answers for "Castellan Port Services".
        short_names = {employer[0].lower(), employer[-1].lower()} if employer else set()
        if role and employer and sources and not any(
            {_root(w) for w in role} <= _stems(source) and any(n in source.lower() for n in short_names)
            for source in sources
        ):
            return f"the {' '.join(role)} of {' '.join(employer)}"
        return None
    who_did = _WHO_DID.search(part)
    if who_did and expected_answer_type(part) != "number" and question_kind(part) in {NAME, None}:
        act = who_did.group(1).lower()
        # "Who said ...": a quote is credited by any verb of speech ("told", "added"), which the
        # speaker check (`asked_claimant`, the verifier's claimants) judges, not this one.
        said_acts = {s[:4] for s in text}
        given = bool(_WON & said_acts) if act == "won" else act[:4] in said_acts
        given = given or bool(_LEADS.fullmatch(act) and _LEADER_TITLES & said_acts)
        if not given and not re.fullmatch(SPEECH, act):
            return f"who {act} it"
    if _WHY.search(part) and not any(_REASON.search(s) for s in sources or kept):
        return "the reason"
    return None


def _body_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    """Asked what the city council decided, an answer about the school board's proposal answers
    nothing: the body asked about must be named in the answer or in the source sentence it quotes."""
    match = _BODY_ACT.search(part)
    if not match:
        return None
    body = [w for w in match.group(1).split() if w.lower() != "the"]
    if not body:
        return None
    said = _stems(" ".join([*kept, *sources]))  # "According to the school board, ..." names it too
    if _root(body[-1]) in said:
        return None
    return f"what the {' '.join(body)} did"


def part_gap(
    part: str, kept: Sequence[str], sources: Sequence[str] = (), cited: Sequence[str] = (), outlets: Sequence[str] = ()
) -> str | None:
    """What the kept sentences lack to answer this one question, or None (the most specific first).
    sources: the passage sentences quoted in support of the kept ones; outlets: the cited passages'."""
    checks = (
        partial(_counted_gap, cited=cited, sources=sources),
        partial(_priced_gap, cited=cited),
        partial(_ordinal_gap, sources=sources),
        partial(_period_gap, sources=sources),
        partial(claimant_gap, sources=sources, outlets=outlets),
        partial(words_gap, sources=sources),
        partial(_act_gap, sources=sources),
        partial(_body_gap, sources=sources),
        definition_gap,
        partial(forecast_gap, sources=sources),
        partial(opponent_gap, sources=sources),
    )
    for check in checks:
        gap = check(part, kept)
        if gap:
            return gap
    if picks_an_option(part, kept):
        return None
    kind = answer_kind(part)
    bodies = list(kept) if _ASKS_SPEAKER.search(part) else [ATTRIBUTION.sub("", s) for s in kept]
    if kind is not None and not any(holds_answer(b, kind, part) for b in bodies):
        return _KIND_WORDS[kind]
    # "A goalless draw" is a score without a figure.
    if kind != SCORE and not gives_expected_answer(part, " ".join(kept)):
        return f"the {expected_answer_type(part)} asked for"
    return None
