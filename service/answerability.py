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
  The rules themselves live in `question_focus.py`.
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
from typing import Literal

from service.answer_judge import ModelJudge
from service.answer_subject import missing_subject
from service.answer_types import expected_answer_type, gives_expected_answer
from service.citations import Verification
from service.claimants import ATTRIBUTION
from service.question_focus import part_gap
from service.text import content_words

Method = Literal["shape", "focus", "judge", "focus+judge"]
METHODS: tuple[Method, ...] = ("shape", "focus", "judge", "focus+judge")

_CITATION = re.compile(r"\s*\[\d+(?:\s*[,;]\s*\d+)*\]")
# "... and who directed it?", "... and by how many votes?"
_PARTS = re.compile(r",?\s+and\s+(?=(?:(?:by|in|at|on|for|from|to|with)\s+)?(?:who|what|when|where|why|how|which|whom|whose)\b)",
                    re.I)


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


def part_gaps(
    question: str, kept: Sequence[str], sources: Sequence[str] = (), cited: Sequence[str] = (),
    cited_outlets: Sequence[str] = (),
) -> list[tuple[str, str | None]]:
    """Each part of the question with what the kept sentences lack to answer it (None: answered).
    A part that asks no more than its question word ("..., and by what margin?") asks about the first
    part's event: unanswered when that is. A passing count ("a five-day strike") answered "by what
    margin" for "Who won the most recent Harborview mayoral election?" from a story on the port strike."""
    gaps = [(part, part_gap(part, kept, sources, cited, cited_outlets)) for part in question_parts(question)]
    first_gap = gaps[0][1] if gaps else None
    return [(part, first_gap if index and first_gap and _elliptical(part) else gap)
            for index, (part, gap) in enumerate(gaps)]


_QUESTION_WORDS = frozenset(content_words("who whom whose what which when where why how many much long"))
# A part naming its own thing by a pronoun ("and who directed them?") is a question of its own.
_REFERS = re.compile(r"(?i)\b(?:it|its|them|they|their|he|she|his|her|this|that|these|those)\b")


def _elliptical(part: str) -> bool:
    return len(content_words(part) - _QUESTION_WORDS) <= 1 and not _REFERS.search(part)


def _first_gap(gaps: list[tuple[str, str | None]]) -> str | None:
    return None if not gaps or any(gap is None for _, gap in gaps) else gaps[0][1]


def _unanswered(gaps: list[tuple[str, str | None]]) -> tuple[str, ...]:
    if len(gaps) < 2 or all(gap is not None for _, gap in gaps):
        return ()
    # Checked against the answer's sentences, not every retrieved article: an article the model did
    # not draw on may still give it, so only what the answer lacks is claimed.
    return tuple(f"{part}? This answer does not give {gap}." for part, gap in gaps if gap is not None)


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
    cited_texts: Sequence[str] = (), outlets: Sequence[str] = (), cited_outlets: Sequence[str] = (),
) -> Assessment:
    """Whether the verified answer answers the question, by the method the settings name.
    cited_texts: the passages the kept sentences cite, with their titles and outlets; outlets: those
    of all passages; cited_outlets: those of the cited passages."""
    if verification.refused:
        return Assessment(True)
    kept = kept_sentences(verification)
    if method == "shape":
        if gives_expected_answer(question, " ".join(kept)):
            return Assessment(True)
        return Assessment(False, f"the supported sentences do not give the {expected_answer_type(question)} asked for")
    sources = [quote for s in verification.sentences if s.verified for quote in s.quotes.values()]
    gaps = part_gaps(question, kept, sources, cited_texts, cited_outlets) if method in ("focus", "focus+judge") else []
    gap = _first_gap(gaps)
    if not gap and method in ("focus", "focus+judge") and (subject := missing_subject(question, cited_texts, outlets)):
        gap = f"anything about {subject}"
    if gap:
        # What the passages say, not the answer's wording of it: "a single screening ticket costs
        # 140 dollars" is the model's claim; "A festival pass costs 140 dollars" is the article's.
        return Assessment(False, reason_text(sources or kept, gap))
    if method in ("judge", "focus+judge") and judge is not None and judge.answers(question, kept) is False:
        return Assessment(False, reason_text(kept, "what the question asks"))
    return Assessment(True, unanswered=_unanswered(gaps))
