"""Do the verified sentences answer the question that was asked?

Verification keeps the sentences a passage supports; it does not ask whether they answer the
question. Asked something the articles do not say, a small model copies the neighbouring true
fact: the wing's beds for "how many floors", February's rate for "the rate in March", the
chamber's estimate for "what did the port's spokesperson estimate". Two checks, compared on the
hard set (eval/questions_hard.jsonl, `eval/answerability_eval.py`):

- `focus_gap`: rules over the question's focus, its subject's attribute and qualifiers, looked
  for in the kept sentences themselves (not in the passages): the kind of answer (a sum, a
  count, a date, a name), the thing counted ("how many floors" needs floors), the period asked
  (March, the third quarter), who is asked about (a claim credited to someone else does not
  answer "what did X say"), the role or act asked about ("who designed") and a reason for "why",
  these last read in the source sentence the answer quotes, since a model copies them from the question.
- `ModelJudge` (answer_judge.py): the answering model itself reads the question and the kept sentences (not the
  passages) and replies YES or NO, one token (prompts/judge_answer.md).

A two-part question ("How many films ..., and who directed ...?") is answered when one of its
parts is: the part that is there is worth giving, and the answer says which part the articles do
not answer (`Assessment.unanswered`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from service.answer_judge import ModelJudge
from service.answer_subject import missing_subject, picks_an_option
from service.answer_types import (
    COUNT,
    MONEY,
    NAME,
    PERCENT,
    PLACE,
    TIME,
    answer_kind,
    expected_answer_type,
    gives_expected_answer,
    holds_answer,
    question_kind,
)
from service.citations import Verification
from service.claimants import ATTRIBUTION, CREDITED, SPEECH
from service.text import NOT_NAMES, stem, words

Method = Literal["shape", "focus", "judge", "focus+judge"]
METHODS: tuple[Method, ...] = ("shape", "focus", "judge", "focus+judge")

_CITATION = re.compile(r"\s*\[\d+(?:\s*[,;]\s*\d+)*\]")
_KIND_WORDS = {MONEY: "a sum of money", PERCENT: "a percentage", COUNT: "a number", TIME: "a date or time",
               PLACE: "a place", NAME: "a name"}
# "How many container ships were ...": the words between "how many" and the verb name what is counted.
_COUNTED = re.compile(
    r"\bhow (?:many|much) ((?:[\w'-]+ ){0,3}?)(?:did|does|do|is|are|was|were|will|would|can|could|has|have|had"
    r"|should|took|take|attend|attended|borrowed|work|live)\b",
    re.I,
)
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
# "What did Castellan spokesperson Gareth Penhallow estimate ...": the one whose claim is asked for.
_ASKED_CLAIMANT = re.compile(
    r"\b(?:did|does|do|has|have)\s+((?:[\w.'’-]+\s+){0,5}?[A-Z][\w'’-]+)\s+"
    r"(?:say|said|estimate|warn|confirm|claim|predict|argue|expect|tell|announce|describe|call|think|propose"
    r"|blame|report|promise|pledge|deny)\b"
    r"|\baccording to ((?:[\w.'’-]+\s+){0,5}?[A-Z][\w'’-]+)",
)
# "Who designed ...", "Which company built ...": the act asked about must be in the answer.
_WHO_DID = re.compile(r"^(?i:who|(?:which|what) (?:company|firm|team|group|organi[sz]ation|architect|contractor|agency"
                      r"|party|club|person|official|studio|developer|builder)s?)\s+"
                      r"(?!is\b|was\b|are\b|were\b|will\b|has\b|had\b|did\b|does\b)([a-z]{4,})\b")
# "Who said ...", "Which Lumatek executive warned ...": the speaker is the answer, so an answer that
# names them in its attribution ("According to chief executive Priya Sandoval, ...") gives it.
_ASKS_SPEAKER = re.compile(rf"^(?:who|(?:which|what) (?:[\w'’-]+ ){{0,3}}?[\w'’-]+)\s+{SPEECH}\b", re.I)
_WHO_IS = re.compile(r"^who (?:is|was|are|were) (?:the )?((?:[a-z-]+ ){0,2}[a-z-]+) (?:of|at|for|in)\b", re.I)
_WHY = re.compile(r"^why\b|\bwhat was the reason\b", re.I)
_REASON = re.compile(r"\b(because|due to|caus\w*|reasons?|citing|cited|blam\w*|as a result|owing to|in order to|so that"
                     r"|amid|following|over concerns?|to protest|explain\w*)\b", re.I)
_PARTS = re.compile(r",?\s+and\s+(?=(?:who|what|when|where|why|how|which|whom|whose)\b)", re.I)


@dataclass(frozen=True)
class Assessment:
    answers: bool
    reason: str | None = None  # for a refusal: what the articles give and what they do not
    # For an answer to part of a question: each part left unanswered, and what the articles lack for it.
    unanswered: tuple[str, ...] = ()


def kept_sentences(verification: Verification) -> list[str]:
    return [_CITATION.sub("", s.text).strip() for s in verification.sentences if s.verified]


def question_parts(question: str) -> list[str]:
    """"How many films ..., and who directed ...?" -> its two questions; one question -> itself."""
    parts = [p.strip(" ,?") for p in _PARTS.split(question.strip())]
    return [p[:1].upper() + p[1:] for p in parts if p]


def _root(word: str) -> str:
    """A crude singular stem: "floors" and "120-bed" meet "floor" and "bed"."""
    return stem(word.lower().removesuffix("s"))


def _stems(text: str) -> set[str]:
    return {_root(w) for w in words(text) if w and not w[0].isdigit()}


def _counted_gap(part: str, kept: Sequence[str]) -> str | None:
    match = _COUNTED.search(part)
    if not match or not match.group(1).strip():
        return None
    head = match.group(1).split()[-1].lower()
    if head in {"money", "time", "longer", "more", "the", "a"}:
        return None
    wanted = {_root(head)} | {_root(w) for w in _ALSO_CALLED.get(head, ())}
    with_figures = [s for s in kept if re.search(r"\d", s) or re.search(r"\b(one|two|three|four|five|six|seven|eight"
                                                                          r"|nine|ten|dozen|hundred)\b", s, re.I)]
    if any(wanted & _stems(s) for s in with_figures):
        return None
    return f"the number of {head}"


def _period_gap(part: str, kept: Sequence[str]) -> str | None:
    text = " ".join(kept)
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


def _name_words(phrase: str) -> list[str]:
    """Capitalised words that name someone: not "Thursday" in "Castellan said Thursday"."""
    return [w for w in words(phrase) if w and w[0].isupper() and w not in NOT_NAMES
            and not any(pattern.fullmatch(w) for _, pattern in _PERIODS[:2])]


def _claimant_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    match = _ASKED_CLAIMANT.search(part)
    if not match:
        return None
    asked = _name_words(match.group(1) or match.group(2))
    if not asked:
        return None
    surname = asked[-1].lower()
    # The source's word outweighs the answer's: "Mayor Halvorsen warned ..." copied from a sentence
    # whose speaker is Councillor Abernathy answers nothing about the mayor, nor does a figure the
    # answer credits to the outlet but the source sentence to the chamber's president. A speaker's
    # organisation counts ("Castellan spokesperson Tobias Wren said" for "what did Castellan say").
    source_credits = [c for quote in sources for c in _credits(quote)]
    if source_credits and not any(surname in quote.lower() for quote in sources):
        return f"what {' '.join(asked[-2:])} said (the articles credit it to {_speaker(source_credits[0])})"
    credited: list[str] = []
    for sentence in kept:
        credited += [m.group(1) for m in ATTRIBUTION.finditer(sentence)]
        credited += _credits(sentence)
    credited = [c for c in credited if _name_words(c)]
    if credited:
        if any(surname in c.lower() for c in credited):
            return None
        return f"what {' '.join(asked[-2:])} said (they credit it to {_speaker(credited[0])})"
    # Credited to no one by name: the speaker may sit in the sentence before ("she said").
    return None


def _credits(sentence: str) -> list[str]:
    """Who a sentence credits by name. The whole match: "Marisol Quintero, president of the union,
    said" credits Quintero too."""
    return [m.group(0) for m in CREDITED.finditer(sentence) if _name_words(m.group(0))]


def _speaker(credit: str) -> str:
    """"Lydia Marchetti, president of the Harborview Chamber of Commerce, estimated" -> "Lydia Marchetti"."""
    return " ".join(_name_words(credit.split(",")[0]))


def _act_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    # The role or act asked about must be in what the source says, not only in the answer: asked "who
    # directed the closing film?", a model writes "X directed the closing film" over a source sentence
    # that names the film and no director.
    text = _stems(" ".join(ATTRIBUTION.sub("", s) for s in sources or kept))
    who_is = _WHO_IS.search(part)
    if who_is:
        role = [w for w in who_is.group(1).split() if w not in {"the", "a", "an"}]
        if role and not {_root(w) for w in role} <= text:
            return f"the {' '.join(role)}"
        return None
    who_did = _WHO_DID.search(part)
    if who_did and expected_answer_type(part) != "number" and question_kind(part) in {NAME, None}:
        act = who_did.group(1).lower()
        # "Who said ...": a quote is credited by any verb of speech ("told", "added"), which the
        # speaker check (`_claimant_gap`, the verifier's claimants) judges, not this one.
        if act[:4] not in {s[:4] for s in text} and not re.fullmatch(SPEECH, act):
            return f"who {act} it"
    if _WHY.search(part) and not any(_REASON.search(s) for s in sources or kept):
        return "the reason"
    return None


def _part_gap(part: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    """What the kept sentences lack to answer this one question, or None (the most specific first).
    sources: the passage sentences quoted in support of the kept ones."""
    checks = (_counted_gap, _period_gap, partial(_claimant_gap, sources=sources), partial(_act_gap, sources=sources))
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
    if not gives_expected_answer(part, " ".join(kept)):
        return f"the {expected_answer_type(part)} asked for"
    return None


def part_gaps(question: str, kept: Sequence[str], sources: Sequence[str] = ()) -> list[tuple[str, str | None]]:
    """Each part of the question with what the kept sentences lack to answer it (None: answered)."""
    return [(part, _part_gap(part, kept, sources)) for part in question_parts(question)]


def _first_gap(gaps: list[tuple[str, str | None]]) -> str | None:
    return None if not gaps or any(gap is None for _, gap in gaps) else gaps[0][1]


def _unanswered(gaps: list[tuple[str, str | None]]) -> tuple[str, ...]:
    if len(gaps) < 2 or all(gap is not None for _, gap in gaps):
        return ()
    return tuple(f"{part}? The articles do not give {gap}." for part, gap in gaps if gap is not None)


def focus_gap(question: str, kept: Sequence[str], sources: Sequence[str] = ()) -> str | None:
    """None when the kept sentences give what some part of the question asks; else what is missing."""
    return _first_gap(part_gaps(question, kept, sources)) if kept else None


def unanswered_parts(question: str, kept: Sequence[str]) -> tuple[str, ...]:
    """For a question of several parts some of which are answered: the others, each with what is missing."""
    return _unanswered(part_gaps(question, kept)) if kept else ()


def reason_text(kept: Sequence[str], missing: str) -> str:
    """A refusal reason a person understands: what the articles say, and what they do not."""
    said = ATTRIBUTION.sub("", kept[0]).strip().rstrip(".") if kept else ""
    if len(said) > 160:
        said = said[:157].rsplit(" ", 1)[0] + "..."
    return f"the articles say \u201c{said}\u201d, not {missing}" if said else f"the articles do not give {missing}"


def assess(
    question: str, verification: Verification, method: Method, judge: ModelJudge | None = None,
    cited_texts: Sequence[str] = (), outlets: Sequence[str] = (),
) -> Assessment:
    """Whether the verified answer answers the question, by the method the settings name.
    cited_texts: the passages the kept sentences cite, with their titles and outlets; outlets: those of all passages."""
    if verification.refused:
        return Assessment(True)
    kept = kept_sentences(verification)
    if method == "shape":
        if gives_expected_answer(question, " ".join(kept)):
            return Assessment(True)
        return Assessment(False, f"the supported sentences do not give the {expected_answer_type(question)} asked for")
    sources = [quote for s in verification.sentences if s.verified for quote in s.quotes.values()]
    gaps = part_gaps(question, kept, sources) if method in ("focus", "focus+judge") else []
    gap = _first_gap(gaps)
    if not gap and method in ("focus", "focus+judge") and (subject := missing_subject(question, cited_texts, outlets)):
        gap = f"anything about {subject}"
    if gap:
        return Assessment(False, reason_text(kept, gap))
    if method in ("judge", "focus+judge") and judge is not None and judge.answers(question, kept) is False:
        return Assessment(False, reason_text(kept, "what the question asks"))
    return Assessment(True, unanswered=_unanswered(gaps))
