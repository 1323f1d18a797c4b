"""OpenAI-compatible chat: existing OpenAI clients and chat front ends use Newsdesk as a model.

The last user message is the question; a follow-up ("and what did Russia say?") becomes a
standalone retrieval query by the rules in service/followup.py. The answer is the same verified,
cited Answer as POST /v1/ask, with a Sources list appended to the text and the citations also
in a `citations` field (on the response, and on the last chunk of a stream).

A stream carries the verified answer, not the model's raw draft: a chat window must never show a
sentence the verifier drops or a citation it corrects. Each sentence is sent as soon as it is
verified (service/streaming.py), with its citation markers; the Sources list follows at the end.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from service.answering import AskRequest
from service.api.chat_schemas import (
    MODEL_ID,
    AssistantMessageOut,
    ChatCompletionIn,
    ChatCompletionOut,
    ChatMessageIn,
    ChoiceOut,
    ModelListOut,
    ModelOut,
    OpenAIErrorOut,
    UsageOut,
)
from service.api.deps import ServicesDep
from service.api.errors import stream_failure
from service.api.metrics import Metrics, MetricsDep
from service.api.validation import check_question, invalid
from service.citations import cited_text
from service.components.llm import LLMBadOutput, LLMUnavailable
from service.domain import Answer, Citation
from service.followup import resolve_conversation
from service.streaming import ShownSentence

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

_STARTED = int(time.time())
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": OpenAIErrorOut, "description": "Unknown model (OpenAI error shape)."}}


def model_not_found(name: str) -> JSONResponse:
    error = {"message": f"The model {name!r} does not exist; this server serves {MODEL_ID!r}.",
             "type": "invalid_request_error", "param": "model", "code": "model_not_found"}
    return JSONResponse({"error": error}, status_code=404)


@router.get("/models", response_model=ModelListOut)
def list_models() -> ModelListOut:
    """The one model: Newsdesk's verified, cited answers from the ingested articles."""
    return ModelListOut(data=[ModelOut(id=MODEL_ID, created=_STARTED)])


@router.get("/models/{model_id}", response_model=ModelOut, responses=_NOT_FOUND)
def get_model(model_id: str) -> ModelOut | JSONResponse:
    return ModelOut(id=MODEL_ID, created=_STARTED) if model_id == MODEL_ID else model_not_found(model_id)


def message_text(message: ChatMessageIn) -> str:
    if isinstance(message.content, str):
        return message.content
    return "\n".join(part.text for part in message.content or [] if part.type == "text" and part.text)


def question_and_query(messages: Sequence[ChatMessageIn], limit: int) -> tuple[str, str]:
    """The last user message, and the standalone retrieval query it resolves to."""
    user_turns = [message_text(m) for m in messages if m.role == "user"]
    if not user_turns:
        raise invalid("messages", "no message has the role 'user': the last user message is the question")
    question = user_turns[-1]
    check_question(question, limit, "messages", "the last user message")
    return question, resolve_conversation([turn for turn in user_turns if turn.strip()])


def _reference(citation: Citation) -> str:
    parts = [citation.source, citation.published_at.isoformat(), *([citation.url] if citation.url else [])]
    return f"- [{citation.n}] {citation.title} — {', '.join(parts)}"


def answer_text(answer: Answer) -> str:
    """The answer with its sources listed below it, as a chat window shows it."""
    if answer.citations:
        return answer.answer + "\n\nSources:\n" + "\n".join(_reference(c) for c in answer.citations)
    if answer.closest_passages:
        return answer.answer + "\n\nClosest articles:\n" + "\n".join(_reference(c) for c in answer.closest_passages)
    return answer.answer


def usage_of(answer: Answer) -> UsageOut:
    used = answer.usage
    return UsageOut(prompt_tokens=used.prompt_tokens, completion_tokens=used.completion_tokens,
                    total_tokens=used.prompt_tokens + used.completion_tokens)


@router.post(
    "/chat/completions",
    response_model=ChatCompletionOut,
    responses={**_NOT_FOUND, 200: {"content": {"text/event-stream": {"schema": {}}},
                                   "description": "A chat.completion, or with stream=true chat.completion.chunk "
                                                  "events ending with [DONE]."}},
)
async def chat_completions(
    body: ChatCompletionIn, services: ServicesDep, metrics: MetricsDep
) -> ChatCompletionOut | JSONResponse | StreamingResponse:
    """Answer the conversation's last user message from the articles, with verified citations."""
    if body.model != MODEL_ID:
        return model_not_found(body.model)
    _, query = question_and_query(body.messages, services.settings.api.max_question_chars)
    request = AskRequest(question=query, as_of=body.as_of, sources=body.sources)
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    if not body.stream:
        answer = await run_in_threadpool(services.answerer.ask, request)
        metrics.record_answer(answer)
        return ChatCompletionOut(
            id=completion_id, created=created, model=MODEL_ID,
            choices=[ChoiceOut(message=AssistantMessageOut(content=answer_text(answer)))],
            usage=usage_of(answer), citations=answer.citations, retrieval_query=query,
            refused=answer.refused, degraded=answer.degraded,
        )
    parts = services.answerer.stream(request)
    # Wait for the first part here, so that a model that is down is a 503 with Retry-After
    # (the exception handlers) rather than a stream that opens and then fails.
    first = await run_in_threadpool(next, parts, None)
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    stream = ChatStream(completion_id, created, query, metrics)
    events = stream.events(itertools.chain([first] if first is not None else [], parts), include_usage)
    return StreamingResponse(events, media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


class ChatStream:
    """chat.completion.chunk events for one streamed answer."""

    def __init__(self, completion_id: str, created: int, query: str, metrics: Metrics) -> None:
        self._id, self._created, self._query, self._metrics = completion_id, created, query, metrics

    def _chunk(self, choices: list[dict[str, object]], **extra: object) -> str:
        data = {"id": self._id, "object": "chat.completion.chunk", "created": self._created,
                "model": MODEL_ID, "choices": choices, **extra}
        return f"data: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"

    def _delta(self, delta: dict[str, str], finish_reason: str | None = None, **extra: object) -> str:
        return self._chunk([{"index": 0, "delta": delta, "finish_reason": finish_reason}], **extra)

    def events(self, parts: Iterator[ShownSentence | Answer], include_usage: bool) -> Iterator[str]:
        yield self._delta({"role": "assistant", "content": ""})
        answer: Answer | None = None
        sent = ""
        try:
            for part in parts:
                if isinstance(part, Answer):
                    answer = part
                else:
                    piece = ("" if not sent else " ") + cited_text(part.text, [c.n for c in part.citations])
                    sent += piece
                    yield self._delta({"content": piece})
        except Exception as exc:
            # An OpenAI client raises an APIError on a data line with an "error" object. The model
            # failing reaches here only with degrading off; anything else is ours, logged like a 500.
            model_fault = isinstance(exc, LLMUnavailable | LLMBadOutput)
            error = {"message": str(exc) if model_fault else stream_failure(exc),
                     "type": "service_unavailable" if model_fault else "api_error", "param": None, "code": None}
            yield f"data: {json.dumps({'error': error})}\n\n"
            yield "data: [DONE]\n\n"
            return
        if answer is None:  # Answerer.stream always ends with an Answer; this keeps the stream well-formed
            yield "data: [DONE]\n\n"
            return
        self._metrics.record_answer(answer)
        for piece in re.findall(r"\s*\S+", rest_of(answer, sent)):
            yield self._delta({"content": piece})
        citations = [c.model_dump(mode="json") for c in answer.citations]
        yield self._delta({}, "stop", citations=citations, retrieval_query=self._query,
                          refused=answer.refused, degraded=answer.degraded)
        if include_usage:
            yield self._chunk([], usage=usage_of(answer).model_dump())
        yield "data: [DONE]\n\n"


def rest_of(answer: Answer, sent: str) -> str:
    """What follows the sentences already sent: the Sources list, or, where the final Answer is not
    what was sent (the model failed after a sentence, or a whole-answer check refused), that Answer
    in full below a line saying so."""
    full = answer_text(answer)
    if full.startswith(sent):
        return full[len(sent):]
    return "\n\n(Answer withdrawn; the checked answer is:)\n" + full
