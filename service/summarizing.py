"""Summaries of one article or of the articles matching a query, cited and verified.

A long article is summarized in parts that each fit the context; the verified sentences of
the parts are then combined in article order, so every sentence keeps a checked citation.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass

from service.answering import Answerer, AskRequest, citations_for, fit_passages
from service.chunking import chunk_article
from service.citations import REFUSAL_TEXT, Verification, VerifiedSentence, verify
from service.components.store import ChromaStore
from service.domain import Answer, AnswerSentence, DateRange, Passage, Usage
from service.prompting import load_prompt
from service.settings import Settings
from service.tokens import count_tokens


class NotFound(LookupError):
    pass


@dataclass(frozen=True)
class SummaryRequest:
    article_id: str | None = None
    query: str | None = None
    as_of: dt.date | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: Sequence[str] | None = None
    max_sentences: int = 4


@dataclass
class PassageSummary:
    verification: Verification
    passages: list[Passage]  # numbered from 1, as the citations count them
    usage: Usage


class Summarizer:
    def __init__(self, settings: Settings, answerer: Answerer, store: ChromaStore) -> None:
        self._settings = settings
        self._answerer = answerer
        self._store = store

    def summarize(self, request: SummaryRequest) -> Answer:
        started = time.perf_counter()
        as_of = request.as_of or dt.date.today()
        if request.article_id:
            article = self._store.get_article(request.article_id)
            if article is None:
                raise NotFound(f"no article with id {request.article_id!r}")
            sizes = self._settings.chunking
            chunks = chunk_article(article, sizes.max_tokens, sizes.overlap_tokens, count_tokens)
            passages = [Passage(chunk=c, score=1.0) for c in chunks]
            date_range = DateRange(start=article.published, end=article.published)
        else:
            ask = AskRequest(request.query or "", as_of, request.date_from, request.date_to, request.sources, 8)
            passages, date_range, _ = self._answerer.retrieve(ask)
        retrieved = time.perf_counter()
        summary = self.summarize_passages(passages, as_of, request.max_sentences, request.query or "")
        generated = time.perf_counter()
        return Answer(
            answer=summary.verification.text or REFUSAL_TEXT,
            citations=citations_for(summary.verification, summary.passages),
            sentences=[
                AnswerSentence(text=s.text, citations=s.citations, verified=True, attribution=s.attribution)
                for s in summary.verification.sentences
            ],
            date_range=date_range,
            model=self._answerer.model_name,
            usage=summary.usage,
            timings={
                "retrieve_ms": round((retrieved - started) * 1000, 1),
                "generate_ms": round((generated - retrieved) * 1000, 1),
                "total_ms": round((time.perf_counter() - started) * 1000, 1),
            },
            refused=summary.verification.refused,
        )

    def summarize_passages(
        self, passages: list[Passage], as_of: dt.date, max_sentences: int, focus: str = ""
    ) -> PassageSummary:
        """Verified sentences over passages, in parts that each fit the context."""
        sentences: list[VerifiedSentence] = []
        numbered: list[Passage] = []
        usage = Usage()
        remaining = passages
        while remaining and len(sentences) < max_sentences:
            part, remaining, verification, part_usage = self._summarize_part(remaining, focus, max_sentences, as_of)
            offset = len(numbered)
            numbered.extend(part)
            for sentence in verification.sentences:
                if sentence.verified and len(sentences) < max_sentences:
                    sentence.citations = [n + offset for n in sentence.citations]
                    sentence.quotes = {n + offset: q for n, q in sentence.quotes.items()}
                    sentences.append(sentence)
            usage.prompt_tokens += part_usage.prompt_tokens
            usage.completion_tokens += part_usage.completion_tokens
        return PassageSummary(Verification(sentences, refused=not sentences), numbered, usage)

    def _summarize_part(
        self, passages: list[Passage], focus: str, max_sentences: int, as_of: dt.date
    ) -> tuple[list[Passage], list[Passage], Verification, Usage]:
        """Summarize the leading passages that fit the context; return the rest."""
        template = load_prompt(self._settings.prompts_dir, "summarize")
        messages, used = fit_passages(
            template,
            self._answerer.model,
            passages,
            self._settings.llm.max_answer_tokens,
            today=as_of.isoformat(),
            focus=focus,
            max_sentences=max_sentences,
        )
        used = used or passages[:1]
        completion = self._answerer.model.complete(self._answerer.chat_request(messages))
        verification = verify(completion.text, used)
        return (
            used,
            passages[len(used) :],
            verification,
            Usage(prompt_tokens=completion.prompt_tokens, completion_tokens=completion.completion_tokens),
        )
