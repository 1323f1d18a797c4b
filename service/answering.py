"""Question -> passages -> evidence -> prompt -> model -> verified, cited Answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from service.answer_age import stale_gap
from service.answer_judge import ModelJudge
from service.answerability import Assessment, Method, assess, kept_sentences, reason_text
from service.answers import degraded_answer, verified_answer
from service.article_sources import article_sources
from service.citations import SentenceMemo, Verification, verify, with_other_support
from service.components.llm import ChatModel, ChatRequest, Completion, LLMBadOutput, LLMUnavailable
from service.domain import Answer, DateRange, Passage, Usage
from service.evidence import SentenceScorer, score_leads, select_evidence
from service.prompting import fit_sources, load_prompt, neutralize
from service.retrieval import Retriever, SearchQuery
from service.settings import Settings
from service.streaming import SentenceStream, ShownSentence
from service.timewords import names_a_story, request_window
from service.timing import Stopwatch
from service.tokens import count_tokens


@dataclass(frozen=True)
class AskRequest:
    question: str
    as_of: dt.date | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: Sequence[str] | None = None
    k: int | None = None

    @property
    def today(self) -> dt.date:
        """The day the question's (and the answer's) "this week" counts from: as_of, or the day asked."""
        return self.as_of or dt.date.today()


class Finder:
    """Question -> candidate passages -> the evidence the model reads: everything before the
    model, so the retrieval evaluation runs it without loading one."""

    def __init__(self, settings: Settings, retriever: Retriever, sentence_scorer: SentenceScorer | None = None) -> None:
        self._settings = settings
        self._retriever = retriever
        self._sentence_scorer = sentence_scorer

    def retrieve(self, request: AskRequest) -> tuple[list[Passage], DateRange, dt.date]:
        as_of = request.today
        date_range = request_window(request.question, as_of, request.date_from, request.date_to)
        k = request.k or self._settings.retrieval.k
        query = SearchQuery(request.question, k, date_range, request.sources, as_of)
        return self._retriever.search(query), date_range, as_of

    def evidence(self, question: str, passages: list[Passage]) -> list[Passage]:
        """What the model reads of each passage, in prompt order. Token counts are tiktoken's,
        so the evidence (and the retrieval evaluation that scores it) needs no model."""
        scorer = self._sentence_scorer if names_a_story(question) else score_leads
        return select_evidence(question, passages, self._settings.retrieval, count_tokens, scorer)


class Answerer:
    def __init__(self, settings: Settings, finder: Finder, model: ChatModel) -> None:
        self._settings = settings
        self._finder = finder
        self._model = model

    def retrieve(self, request: AskRequest) -> tuple[list[Passage], DateRange, dt.date]:
        return self._finder.retrieve(request)

    def prompt(
        self, request: AskRequest, passages: list[Passage], date_range: DateRange, as_of: dt.date
    ) -> tuple[list[dict[str, str]], list[Passage]]:
        """The messages, and the passages they number [1], [2]... in full.

        The model reads each passage's evidence (by default one source per article); the answer is
        verified against the whole retrieved chunks, so a claim whose speaker sits just outside the
        evidence still counts.
        """
        template = load_prompt(self._settings.prompts_dir, "answer")
        evidence = self._finder.evidence(request.question, passages)
        if self._settings.retrieval.sources_by_article:
            sources = article_sources(evidence, passages, self._settings.retrieval.evidence_order == "best_first")
            evidence, whole = [shown for shown, _ in sources], {shown.chunk.id: full for shown, full in sources}
        else:
            whole = {p.chunk.id: p for p in passages}
        span = ""
        if date_range.start or date_range.end:
            span = f"{date_range.start or '...'} to {date_range.end or '...'}"
        messages, shown = fit_sources(
            template,
            evidence,
            self._model.context_tokens - self._settings.llm.max_answer_tokens,
            self._model.count_tokens,
            self._settings.llm.neutralize_sources,
            today=as_of.isoformat(),
            question=neutralize(request.question),
            date_range=span,
            news_in_general=not names_a_story(request.question),
        )
        return messages, [whole[p.chunk.id] for p in shown]

    def chat_request(self, messages: list[dict[str, str]]) -> ChatRequest:
        llm = self._settings.llm
        return ChatRequest(messages, llm.max_answer_tokens, llm.temperature)

    def ask(self, request: AskRequest) -> Answer:
        clock = Stopwatch()
        passages, date_range, as_of = self.retrieve(request)
        return self.answer_from(request, passages, date_range, as_of, clock)[0]

    def answer_from(
        self,
        request: AskRequest,
        passages: list[Passage],
        date_range: DateRange,
        as_of: dt.date,
        clock: Stopwatch | None = None,
    ) -> tuple[Answer, str]:
        """Generate and verify from given passages; also returns the model's raw text.

        The evaluation calls this with gold passages (the oracle run) and scores the raw text.
        """
        clock = clock or Stopwatch()
        final: Answer | None = None
        raw = ""
        for item in self._generate(request, passages, date_range, as_of, clock, stream=False):
            if isinstance(item, Answer):
                final = item
            elif isinstance(item, str):
                raw += item
        assert final is not None  # _generate always ends with an Answer
        return final, raw if not final.degraded else ""

    def answer_from_draft(self, request: AskRequest, draft: str, numbered: list[Passage], date_range: DateRange) -> Answer:
        """The Answer a draft written earlier gets from the code as it is now: cut, verified and
        assessed as if the model had just written it. Verification and answerability act after the
        model, so an evaluation re-scores a run's drafts after changing them without a model.
        numbered: the passages the draft's prompt numbered (`prompt`'s second value)."""
        sentences = self._sentence_stream(request, numbered)
        sentences.feed(draft)
        sentences.finish()
        return self._finish(request, Completion(sentences.answer_text, 0, 0), numbered, date_range, Stopwatch(),
                            sentences.memo)

    def _sentence_stream(self, request: AskRequest, used: list[Passage]) -> SentenceStream:
        llm = self._settings.llm
        return SentenceStream(request.question, used, llm.max_answer_sentences, llm.stop_when_complete, request.today)

    def stream(self, request: AskRequest) -> Iterator[ShownSentence | Answer]:
        """Each sentence once it is verified (with its citations and quotes), then the Answer,
        the same one `ask` gives: the model is stopped as soon as the answer is complete."""
        clock = Stopwatch()
        passages, date_range, as_of = self.retrieve(request)
        for item in self._generate(request, passages, date_range, as_of, clock, stream=True):
            if not isinstance(item, str):
                yield item

    def _generate(
        self,
        request: AskRequest,
        passages: list[Passage],
        date_range: DateRange,
        as_of: dt.date,
        clock: Stopwatch,
        stream: bool,
    ) -> Iterator[str | ShownSentence | Answer]:
        """The one path from passages to an Answer, streamed or not, failures included: a model
        that is down, times out or returns nothing gives the degraded answer either way.

        Yields the verified sentences as they come (streamed only), the model's raw text, then the
        Answer. Streamed or not, the text verified is the model's up to where the answer is
        complete (service/streaming.py), so both give the same Answer."""
        clock.lap("retrieve")
        if not passages:
            clock.lap("generate")
            yield self._finish(request, Completion("", 0, 0), [], date_range, clock)
            return
        messages, used = self.prompt(request, passages, date_range, as_of)
        chat = self.chat_request(messages)
        llm = self._settings.llm
        sentences = self._sentence_stream(request, used)
        try:
            if stream:
                yield from self._stream_sentences(chat, sentences)
                prompt_tokens = sum(self._model.count_tokens(m["content"]) for m in messages)
                generated = Completion(sentences.text, prompt_tokens, self._model.count_tokens(sentences.text))
            else:
                generated = self._model.complete(chat)
                sentences.feed(generated.text)
                sentences.finish(cut_off=generated.completion_tokens >= chat.max_tokens)
            if not generated.text.strip():
                raise LLMBadOutput("the model returned an empty answer")
            yield generated.text
        except (LLMUnavailable, LLMBadOutput):
            if not llm.degrade_on_failure:
                raise
            clock.lap("generate")
            yield degraded_answer(
                used, question=request.question, date_range=date_range, model=self._model.name,
                timings=clock.timings(),
            )
            return
        clock.lap("generate")
        completion = Completion(sentences.answer_text, generated.prompt_tokens, generated.completion_tokens)
        yield measured(self._finish(request, completion, used, date_range, clock, sentences.memo), chat.counters)

    def _stream_sentences(self, chat: ChatRequest, sentences: SentenceStream) -> Iterator[ShownSentence]:
        deltas = self._model.stream(chat)
        try:
            for delta in deltas:
                yield from sentences.feed(delta)
                if sentences.complete:
                    return
        finally:
            close = getattr(deltas, "close", None)
            if close is not None:
                close()  # stops the model when the answer is complete
        yield from sentences.finish(cut_off=self._model.count_tokens(sentences.text) >= chat.max_tokens)

    def _finish(
        self,
        request: AskRequest,
        completion: Completion,
        passages: list[Passage],
        date_range: DateRange,
        clock: Stopwatch,
        memo: SentenceMemo | None = None,
    ) -> Answer:
        verification = (verify(completion.text, passages, memo, request.question, request.today) if passages
                        else Verification([], True))
        # Does what survived answer the question? Its time (a model call for the judge) counts in verify_ms.
        method = self._settings.answering.answerability
        judge = ModelJudge(self._model, load_prompt(self._settings.prompts_dir, "judge_answer")) if "judge" in method \
            else None
        assessment = self._assess(request.question, verification, passages, method, judge, date_range)
        if not assessment.answers:
            # The model cited one of several passages that say the claim; another may say what was asked.
            widened = with_other_support(verification, passages)
            second = self._assess(request.question, widened, passages, method, judge, date_range) \
                if widened != verification else assessment
            if second.answers:
                verification, assessment = widened, second
        clock.lap("verify")
        return verified_answer(
            verification,
            passages,
            question=request.question,
            date_range=date_range,
            model=self._model.name,
            usage=Usage(prompt_tokens=completion.prompt_tokens, completion_tokens=completion.completion_tokens),
            timings=clock.timings(),
            refusal_reason=assessment.reason,
            unanswered_parts=list(assessment.unanswered),
        )

    @staticmethod
    def _assess(question: str, verification: Verification, passages: list[Passage], method: Method,
                judge: ModelJudge | None, date_range: DateRange) -> Assessment:
        cited = {n for sentence in verification.sentences if sentence.verified for n in sentence.citations}
        cited_passages = [p for n, p in enumerate(passages, 1) if n in cited]
        cited_texts = [f"{p.chunk.title} {p.chunk.source} {p.chunk.text}" for p in cited_passages]
        assessment = assess(question, verification, method, judge, cited_texts,
                            [p.chunk.source for p in passages], [p.chunk.source for p in cited_passages])
        if assessment.answers and (stale := stale_gap(date_range, [p.chunk.published for p in cited_passages])):
            return Assessment(False, reason_text(kept_sentences(verification), stale))
        return assessment


def measured(answer: Answer, counters: dict[str, float]) -> Answer:
    """The Answer with what the model measured of its call: prompt tokens it evaluated (the rest
    came from its cache) and the time inside the model."""
    if "prompt_tokens_evaluated" in counters:
        answer.usage.prompt_tokens_evaluated = int(counters["prompt_tokens_evaluated"])
    if "model_ms" in counters:
        answer.timings["model_ms"] = round(counters["model_ms"], 1)
    return answer
