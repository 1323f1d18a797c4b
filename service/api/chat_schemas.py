"""Bodies of the OpenAI-compatible endpoints (/v1/chat/completions, /v1/models).

Unlike the native API these accept unknown fields: OpenAI clients and chat front ends send many
options (tools, logit_bias, ...) that mean nothing here, and refusing them would break the clients.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.api.schemas import SourceName, sources_field
from service.api.validation import UnicodeBody
from service.domain import Citation

MODEL_ID = "newsdesk"


class LenientBody(UnicodeBody):
    model_config = ConfigDict(extra="ignore")


class ContentPart(LenientBody):
    type: str = Field(description="Only 'text' parts are read; images and others are skipped.")
    text: str | None = None


class ChatMessageIn(LenientBody):
    role: str = Field(description="'user' turns are read; system, assistant and tool turns are skipped.")
    content: str | list[ContentPart] | None = None
    name: str | None = None


class StreamOptions(LenientBody):
    include_usage: bool = Field(False, description="Send a last chunk with token usage before [DONE].")


class ChatCompletionIn(LenientBody):
    model: str = Field(description=f"Must be {MODEL_ID!r} (see GET /v1/models).")
    messages: list[ChatMessageIn] = Field(
        min_length=1, description="The conversation: the last user message is the question, earlier "
        "user messages give the topic of a follow-up."
    )
    stream: bool = Field(False, description="Send chat.completion.chunk server-sent events, then [DONE].")
    stream_options: StreamOptions | None = None
    # Accepted so that clients can send them, and ignored: the answer's length and sampling are the
    # service's settings, because every sentence must pass verification against the sources.
    temperature: float | None = Field(None, description="Ignored.")
    top_p: float | None = Field(None, description="Ignored.")
    max_tokens: int | None = Field(None, description="Ignored.")
    max_completion_tokens: int | None = Field(None, description="Ignored.")
    n: int | None = Field(None, description="Ignored: one choice is returned.")
    stop: str | list[str] | None = Field(None, description="Ignored.")
    presence_penalty: float | None = Field(None, description="Ignored.")
    frequency_penalty: float | None = Field(None, description="Ignored.")
    seed: int | None = Field(None, description="Ignored.")
    user: str | None = Field(None, description="Ignored.")
    # Newsdesk extensions (extra_body in the openai client).
    as_of: dt.date | None = Field(None, description="Newsdesk: the request's 'today' for time words.")
    sources: list[SourceName] | None = sources_field("Newsdesk: only these outlets (domains).")


class AssistantMessageOut(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str = Field(description="The verified answer, then a Sources list.")


class ChoiceOut(BaseModel):
    index: int = 0
    message: AssistantMessageOut
    finish_reason: Literal["stop"] = "stop"


class UsageOut(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletionOut(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChoiceOut]
    usage: UsageOut
    citations: list[Citation] = Field(description="Newsdesk: the verified citations, numbered as in the text.")
    retrieval_query: str = Field(description="Newsdesk: the standalone query the follow-up became.")
    refused: bool = Field(description="Newsdesk: the articles do not answer the question.")
    degraded: bool = Field(description="Newsdesk: the model failed; the answer is quotes from the top passages.")


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "newsdesk"


class ModelListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


class OpenAIErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorOut(BaseModel):
    error: OpenAIErrorBody
