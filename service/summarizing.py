"""Summaries of one article or of the articles matching a query, cited and verified.

A long article is summarized in parts that each fit the context; the verified sentences of
the parts are then combined in article order, so every sentence keeps a checked citation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from service.answers import verified_answer
from service.chunking import article_chunks
from service.citations import Verification, VerifiedSentence, verify
from service.components.llm import ChatModel, ChatRequest
from service.components.store import ChromaStore
from service.domain import Answer, DateRange, Passage, Usage
from service.prompting import fit_sources, load_prompt
from service.retrieval import Retriever, SearchQuery
from service.settings import Settings
from service.timewords import request_window
from service.timing import Stopwatch

# Passages a query summary reads: more than an answer, since a summary covers a whole story.
QUERY_SUMMARY_PASSAGES = 8


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
    def __init__(self, settings: Settings, model: ChatModel, retriever: Retriever, store: ChromaStore) -> None:
        self._settings = settings
        self._model = model
        self._retriever = retriever
        self._store = store

    def summarize(self, request: SummaryRequest) -> Answer:
        clock = Stopwatch()
        as_of = request.as_of or dt.date.today()
        if request.article_id:
            article = self._store.get_article(request.article_id)
            if article is None:
                raise NotFound(f"no article with id {request.article_id!r}")
            passages = [Passage(chunk=c, score=1.0) for c in article_chunks(article, self._settings.chunking)]
            date_range = DateRange(start=article.published, end=article.published)
        else:
            query = request.query or ""
            date_range = request_window(query, as_of, request.date_from, request.date_to)
            passages = self._retriever.search(
                SearchQuery(query, QUERY_SUMMARY_PASSAGES, date_range, request.sources, as_of)
            )
        clock.lap("retrieve")
        summary = self.summarize_passages(passages, as_of, request.max_sentences, request.query or "")
        clock.lap("generate")
        return verified_answer(
            summary.verification,
            summary.passages,
            question=request.query or "",
            date_range=date_range,
            model=self._model.name,
            usage=summary.usage,
            timings=clock.timings(),
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

    def summarize_evidence(
        self, evidence: list[Passage], full: list[Passage], as_of: dt.date, max_sentences: int, max_tokens: int
    ) -> PassageSummary:
        """One short model call over small evidence (the chosen sentences of each passage), each
        sentence verified against the whole passage the evidence came from, as answers are."""
        template = load_prompt(self._settings.prompts_dir, "summarize")
        llm = self._settings.llm
        messages, shown = fit_sources(
            template, evidence, self._model.context_tokens - max_tokens, self._model.count_tokens,
            llm.neutralize_sources, today=as_of.isoformat(), focus="", max_sentences=max_sentences,
        )
        # A blank line after the summary starts something else: nobody reads it, so it is not generated.
        completion = self._model.complete(ChatRequest(messages, max_tokens, llm.temperature, stop=["\n\n"]))
        whole = {p.chunk.id: p for p in full}
        numbered = [whole.get(p.chunk.id, p) for p in shown or evidence[:1]]
        verification = verify(completion.text, numbered)
        sentences = [s for s in verification.sentences if s.verified][:max_sentences]
        usage = Usage(prompt_tokens=completion.prompt_tokens, completion_tokens=completion.completion_tokens)
        return PassageSummary(Verification(sentences, refused=not sentences), numbered, usage)

    def _summarize_part(
        self, passages: list[Passage], focus: str, max_sentences: int, as_of: dt.date
    ) -> tuple[list[Passage], list[Passage], Verification, Usage]:
        """Summarize the leading passages that fit the context; return the rest."""
        template = load_prompt(self._settings.prompts_dir, "summarize")
        llm = self._settings.llm
        messages, used = fit_sources(
            template,
            passages,
            self._model.context_tokens - llm.max_answer_tokens,
            self._model.count_tokens,
            llm.neutralize_sources,
            today=as_of.isoformat(),
            focus=focus,
            max_sentences=max_sentences,
        )
        used = used or passages[:1]
        completion = self._model.complete(ChatRequest(messages, llm.max_answer_tokens, llm.temperature))
        verification = verify(completion.text, used)
        return (
            used,
            passages[len(used) :],
            verification,
            Usage(prompt_tokens=completion.prompt_tokens, completion_tokens=completion.completion_tokens),
        )
