"""Question -> passages -> prompt -> model -> verified, cited Answer."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from service.answer_types import expected_answer_type, gives_expected_answer
from service.citations import REFUSAL_TEXT, Verification, best_quote, verify
from service.components.llm import ChatModel, ChatRequest, Completion, LLMBadOutput, LLMUnavailable
from service.domain import Answer, AnswerSentence, Citation, DateRange, Passage, Usage
from service.evidence import focus
from service.prompting import PromptTemplate, load_prompt, neutralize
from service.retrieval import Retriever, SearchQuery
from service.settings import Settings
from service.timewords import resolve_time_words

# Room left for the chat template's own tokens around each message.
_TEMPLATE_MARGIN = 64


@dataclass(frozen=True)
class AskRequest:
    question: str
    as_of: dt.date | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: Sequence[str] | None = None
    k: int | None = None


def source_entries(passages: Sequence[Passage], defuse: bool = True) -> list[dict[str, object]]:
    clean = neutralize if defuse else str
    return [
        {
            "n": n,
            "title": clean(p.chunk.title),
            "source": p.chunk.source,
            "date": p.chunk.published.isoformat(),
            "text": clean(p.chunk.text),
        }
        for n, p in enumerate(passages, start=1)
    ]


def fit_passages(
    template: PromptTemplate,
    model: ChatModel,
    passages: list[Passage],
    answer_tokens: int,
    defuse: bool = True,
    **values: object,
) -> tuple[list[dict[str, str]], list[Passage]]:
    """Render with as many passages as fit the context: evidence is cut, never instructions."""
    budget = model.context_tokens - answer_tokens - _TEMPLATE_MARGIN
    kept = list(passages)
    while True:
        messages = template.render(sources=source_entries(kept, defuse), **values)
        used = sum(model.count_tokens(m["content"]) + 8 for m in messages)
        if used <= budget or not kept:
            return messages, kept
        if len(kept) == 1:
            # One passage too long on its own: keep its head.
            chunk = kept[0].chunk
            shorter = chunk.model_copy(update={"text": chunk.text[: max(len(chunk.text) * budget // used - 50, 0)]})
            if not shorter.text:
                return template.render(sources=[], **values), []
            kept = [kept[0].model_copy(update={"chunk": shorter})]
            continue
        kept.pop()


def citations_for(verification: Verification, passages: Sequence[Passage]) -> list[Citation]:
    seen: dict[int, Citation] = {}
    for sentence in verification.sentences:
        for n in sentence.citations:
            if n not in seen:
                chunk = passages[n - 1].chunk
                seen[n] = Citation(
                    n=n,
                    article_id=chunk.article_id,
                    title=chunk.title,
                    url=chunk.url,
                    published_at=chunk.published,
                    source=chunk.source,
                    quote=sentence.quotes[n],
                )
    return [seen[n] for n in sorted(seen)]


def closest(passages: Sequence[Passage], question: str, limit: int = 3) -> list[Citation]:
    return [
        Citation(
            n=n,
            article_id=p.chunk.article_id,
            title=p.chunk.title,
            url=p.chunk.url,
            published_at=p.chunk.published,
            source=p.chunk.source,
            quote=best_quote(question, p)[1],
        )
        for n, p in enumerate(passages[:limit], start=1)
    ]


class Answerer:
    def __init__(self, settings: Settings, retriever: Retriever, model: ChatModel) -> None:
        self._settings = settings
        self._retriever = retriever
        self._model = model

    @property
    def model(self) -> ChatModel:
        return self._model

    @property
    def model_name(self) -> str:
        return self._model.name

    def retrieve(self, request: AskRequest) -> tuple[list[Passage], DateRange, dt.date]:
        as_of = request.as_of or dt.date.today()
        if request.date_from or request.date_to:
            date_range = DateRange(start=request.date_from, end=request.date_to, phrase="request")
        else:
            date_range = resolve_time_words(request.question, as_of)
        k = request.k or self._settings.retrieval.k
        query = SearchQuery(request.question, k, date_range, request.sources, as_of)
        return self._retriever.search(query), date_range, as_of

    def prompt(
        self, request: AskRequest, passages: list[Passage], date_range: DateRange, as_of: dt.date
    ) -> tuple[list[dict[str, str]], list[Passage]]:
        """The messages, and the passages they number [1], [2]... in full.

        The model reads each passage's most relevant window; the answer is verified against the
        whole retrieved chunk, so a claim whose speaker sits just outside the window still counts.
        """
        template = load_prompt(self._settings.prompts_dir, "answer")
        budget = self._settings.retrieval.passage_tokens
        focused = [focus(p, request.question, budget, self._model.count_tokens) for p in passages]
        span = ""
        if date_range.start or date_range.end:
            span = f"{date_range.start or '...'} to {date_range.end or '...'}"
        messages, shown = fit_passages(
            template,
            self._model,
            focused,
            self._settings.llm.max_answer_tokens,
            self._settings.llm.neutralize_sources,
            today=as_of.isoformat(),
            question=neutralize(request.question),
            date_range=span,
        )
        return messages, passages[: len(shown)]

    def chat_request(self, messages: list[dict[str, str]]) -> ChatRequest:
        llm = self._settings.llm
        return ChatRequest(messages, llm.max_answer_tokens, llm.temperature)

    def ask(self, request: AskRequest) -> Answer:
        started = time.perf_counter()
        passages, date_range, as_of = self.retrieve(request)
        return self.answer_from(request, passages, date_range, as_of, started)[0]

    def answer_from(
        self,
        request: AskRequest,
        passages: list[Passage],
        date_range: DateRange,
        as_of: dt.date,
        started: float,
    ) -> tuple[Answer, str]:
        """Generate and verify from given passages; also returns the model's raw text.

        The evaluation calls this with gold passages (the oracle run) and scores the raw text.
        """
        retrieved = time.perf_counter()
        if not passages:
            empty = Completion("", 0, 0)
            return self.finish(request, empty, [], date_range, [started, retrieved, retrieved]), ""
        messages, used = self.prompt(request, passages, date_range, as_of)
        try:
            completion = self._model.complete(self.chat_request(messages))
            if not completion.text.strip():
                raise LLMBadOutput("the model returned an empty answer")
        except (LLMUnavailable, LLMBadOutput):
            if not self._settings.llm.degrade_on_failure:
                raise
            return self.degraded(request, used, date_range, [started, retrieved, time.perf_counter()]), ""
        marks = [started, retrieved, time.perf_counter()]
        return self.finish(request, completion, used, date_range, marks), completion.text

    def stream(self, request: AskRequest) -> Iterator[str | Answer]:
        """Text deltas as the model writes them, then the verified Answer."""
        started = time.perf_counter()
        passages, date_range, as_of = self.retrieve(request)
        retrieved = time.perf_counter()
        if not passages:
            yield self.finish(request, Completion("", 0, 0), [], date_range, [started, retrieved, retrieved])
            return
        messages, used = self.prompt(request, passages, date_range, as_of)
        parts: list[str] = []
        for delta in self._model.stream(self.chat_request(messages)):
            parts.append(delta)
            yield delta
        text = "".join(parts)
        prompt_tokens = sum(self._model.count_tokens(m["content"]) for m in messages)
        completion = Completion(text, prompt_tokens, self._model.count_tokens(text))
        yield self.finish(request, completion, used, date_range, [started, retrieved, time.perf_counter()])

    def finish(
        self,
        request: AskRequest,
        completion: Completion,
        passages: list[Passage],
        date_range: DateRange,
        marks: list[float],
    ) -> Answer:
        verification = verify(completion.text, passages) if passages else Verification([], True)
        verified_at = time.perf_counter()
        refused = verification.refused
        reason = "no passage supports an answer" if refused else None
        if not refused and not gives_expected_answer(request.question, verification.text):
            refused = True
            reason = f"the supported sentences do not give the {expected_answer_type(request.question)} asked for"
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
            model=self._model.name,
            usage=Usage(prompt_tokens=completion.prompt_tokens, completion_tokens=completion.completion_tokens),
            timings=_timings([*marks, verified_at]),
            refused=refused,
            refusal_reason=reason,
            closest_passages=closest(passages, request.question) if refused else [],
        )

    def degraded(
        self, request: AskRequest, passages: list[Passage], date_range: DateRange, marks: list[float]
    ) -> Answer:
        """The model failed: answer with the best-matching sentences of the top passages."""
        best = closest(passages, request.question)
        return Answer(
            answer=" ".join(f"{c.quote} [{c.n}]" for c in best),
            citations=best,
            sentences=[AnswerSentence(text=c.quote, citations=[c.n], verified=True, attribution=c.source) for c in best],
            date_range=date_range,
            model=self._model.name,
            usage=Usage(),
            timings=_timings([*marks, time.perf_counter()]),
            degraded=True,
        )


def _timings(marks: list[float]) -> dict[str, float]:
    start, retrieved, generated, verified = marks
    return {
        "retrieve_ms": round((retrieved - start) * 1000, 1),
        "generate_ms": round((generated - retrieved) * 1000, 1),
        "verify_ms": round((verified - generated) * 1000, 1),
        "total_ms": round((verified - start) * 1000, 1),
    }
