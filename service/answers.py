"""Verified sentences -> the Answer a client receives, built one way for answers, refusals,
degraded answers and summaries, so each kind carries the same fields filled the same way.

Every sentence is made plain text here (service/plain_text.py): the verifier checks what a
sentence claims, not what markup or links it carries, so a supported sentence could bring a
`<script>` or a `javascript:` link along.
"""

from __future__ import annotations

from dataclasses import replace

from service.citations import REFUSAL_TEXT, Verification, citations_for, cited_text, closest
from service.domain import Answer, AnswerSentence, DateRange, Passage, Usage
from service.plain_text import plain_text


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
    unanswered_parts: list[str] | None = None,
) -> Answer:
    """The verified sentences with their citations; a refusal (with the closest passages) when
    none survived or a refusal_reason is given. unanswered_parts: the parts of a question the
    answer leaves out: none of its supported sentences gives them."""
    verification = plain_verification(verification)
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
        unanswered_parts=[] if refused else list(unanswered_parts or []),
        closest_passages=closest(passages, question) if refused else [],
    )


def plain_verification(verification: Verification) -> Verification:
    """The same verification with every sentence as plain text; a kept sentence left with no words
    is dropped like an unsupported one."""
    sentences = []
    for sentence in verification.sentences:
        text = plain_text(sentence.text)
        if sentence.verified and not any(ch.isalnum() for ch in text):
            sentences.append(replace(sentence, text=text, verified=False, citations=[]))
        else:
            sentences.append(replace(sentence, text=text))
    refused = verification.refused or not any(s.verified for s in sentences)
    return replace(verification, sentences=sentences, refused=refused)


def degraded_answer(
    passages: list[Passage], *, question: str, date_range: DateRange, model: str, timings: dict[str, float]
) -> Answer:
    """The model failed: the best-matching sentences of the top passages, marked degraded."""
    best = closest(passages, question)
    # The quotes are the article's exact words, markup included; as answer sentences they are plain.
    sentences = [(plain_text(c.quote), c) for c in best]
    return Answer(
        answer=" ".join(cited_text(text, [c.n]) for text, c in sentences if text).strip(),
        citations=best,
        sentences=[AnswerSentence(text=text, citations=[c.n], verified=True, attribution=c.source)
                   for text, c in sentences if text],
        date_range=date_range,
        model=model,
        usage=Usage(),
        timings=timings,
        degraded=True,
    )
