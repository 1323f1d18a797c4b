"""Verified sentences -> the Answer a client receives, built one way for answers, refusals,
degraded answers and summaries, so each kind carries the same fields filled the same way."""

from __future__ import annotations

from service.citations import REFUSAL_TEXT, Verification, citations_for, cited_text, closest
from service.domain import Answer, AnswerSentence, DateRange, Passage, Usage


def verified_answer(
    verification: Verification,
    passages: list[Passage],
    *,
    question: str,
    date_range: DateRange,
    model: str,
    usage: Usage,
    timings: dict[str, float],
    refusal_reason: str | None = None,
) -> Answer:
    """The verified sentences with their citations; a refusal (with the closest passages) when
    none survived or a refusal_reason is given."""
    refused = verification.refused or refusal_reason is not None
    if verification.refused and refusal_reason is None:
        refusal_reason = "no passage supports an answer"
    return Answer(
        answer=REFUSAL_TEXT if refused else verification.text,
        citations=[] if refused else citations_for(verification, passages),
        sentences=[
            AnswerSentence(
                text=s.text, citations=s.citations, verified=s.verified, corrected=s.corrected,
                attribution=s.attribution,
            )
            for s in verification.sentences
        ],
        date_range=date_range,
        model=model,
        usage=usage,
        timings=timings,
        refused=refused,
        refusal_reason=refusal_reason if refused else None,
        closest_passages=closest(passages, question) if refused else [],
    )


def degraded_answer(
    passages: list[Passage], *, question: str, date_range: DateRange, model: str, timings: dict[str, float]
) -> Answer:
    """The model failed: the best-matching sentences of the top passages, marked degraded."""
    best = closest(passages, question)
    return Answer(
        answer=" ".join(cited_text(c.quote, [c.n]) for c in best).strip(),
        citations=best,
        sentences=[AnswerSentence(text=c.quote, citations=[c.n], verified=True, attribution=c.source) for c in best],
        date_range=date_range,
        model=model,
        usage=Usage(),
        timings=timings,
        degraded=True,
    )
