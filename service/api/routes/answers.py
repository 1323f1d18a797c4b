from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from service.answering import AskRequest
from service.api.deps import ServicesDep
from service.api.errors import stream_failure
from service.api.metrics import Metrics, MetricsDep
from service.api.schemas import AskIn, SummarizeIn
from service.api.validation import check_question, invalid
from service.components.llm import LLMBadOutput, LLMUnavailable
from service.domain import Answer
from service.streaming import ShownSentence
from service.summarizing import NotFound, SummaryRequest

router = APIRouter(prefix="/v1", tags=["answers"])


@router.post(
    "/ask",
    response_model=Answer,
    responses={200: {"content": {"text/event-stream": {"schema": {}}},
                     "description": "The answer, or with stream=true: a `sentence` event per verified "
                                    "sentence as it is checked (its text, citations and quotes), then an "
                                    "`answer` event with the whole Answer."}},
)
async def ask(body: AskIn, services: ServicesDep, metrics: MetricsDep) -> Answer | StreamingResponse:
    """Answer a question from the articles; every sentence cites a verified passage.

    Time words ("yesterday", "this week", "on July 8") are resolved against `as_of`
    unless `date_from`/`date_to` are given; `date_range` in the answer says what was used.
    """
    check_question(body.question, services.settings.api.max_question_chars)
    request = AskRequest(
        question=body.question, as_of=body.as_of, date_from=body.date_from, date_to=body.date_to,
        sources=body.sources, k=body.k,
    )
    if body.stream:
        parts = services.answerer.stream(request)
        # Wait for the first part here, as chat does: retrieval failing, or the model down with
        # degrading off, is then a status with Retry-After rather than a stream that opens and fails.
        first = await run_in_threadpool(next, parts, None)
        stream = _events(itertools.chain([first] if first is not None else [], parts), metrics)
        return StreamingResponse(stream, media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
    answer = await run_in_threadpool(services.answerer.ask, request)
    metrics.record_answer(answer)
    return answer


def _events(parts: Iterator[ShownSentence | Answer], metrics: Metrics) -> Iterator[str]:
    """A sentence event per verified sentence, then the answer event; a failure once the stream is
    open is an error event. The model's draft is never sent: a sentence the verifier drops is not
    shown, and the answer event lists it as unverified.

    The model failing mid-stream gives the degraded answer as the answer event (Answerer.stream
    does that); an error event is left only for degrading turned off, and for faults of our own,
    which are logged like a 500 and never end the stream without an event.
    """
    try:
        for part in parts:
            if isinstance(part, Answer):
                metrics.record_answer(part)
                yield f"event: answer\ndata: {part.model_dump_json()}\n\n"
            else:
                yield f"event: sentence\ndata: {json.dumps(part.event(), ensure_ascii=False)}\n\n"
    except (LLMUnavailable, LLMBadOutput) as exc:
        yield f"event: error\ndata: {json.dumps({'detail': str(exc)})}\n\n"
    except Exception as exc:
        yield f"event: error\ndata: {json.dumps({'detail': stream_failure(exc)})}\n\n"


@router.post("/summarize", response_model=Answer)
async def summarize(body: SummarizeIn, services: ServicesDep, metrics: MetricsDep) -> Answer:
    """A few cited, verified sentences about one article or the articles matching a query."""
    if bool(body.article_id) == bool(body.query):
        raise invalid("article_id", "give exactly one of article_id or query")
    if body.query:
        check_question(body.query, services.settings.api.max_question_chars, "query")
    request = SummaryRequest(
        body.article_id, body.query, body.as_of, body.date_from, body.date_to, body.sources, body.max_sentences
    )
    try:
        answer = await run_in_threadpool(services.summarizer.summarize, request)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    metrics.record_answer(answer)
    return answer
