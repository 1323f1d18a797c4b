"""Run a question set through the real pipeline; score, and append one JSON line per question.

Runs resume: questions already in results.jsonl are skipped, so an interrupted run continues.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from service.answering import AskRequest
from service.components.llm import ChatRequest
from service.domain import DateRange, Passage
from service.evaluation import metrics
from service.evaluation.judge import CitationJudge, judged_citation_scores
from service.evaluation.questions import EvalQuestion, QuestionSet
from service.evaluation.retrieval_eval import (
    corpus_texts,
    gold_in_corpus,
    multiple_choice_evidence,
    multiple_choice_passages,
)
from service.prompting import load_prompt
from service.timing import Stopwatch
from service.wiring import Services

# Retrieval is scored to depth 10 (recall@10) though the model reads only the first k.
RECALL_DEPTH = 10
# A letter, and room for a bracket or full stop around it.
MC_LETTER_TOKENS = 4


def git_commit() -> str:
    try:
        result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "service", "prompts"], capture_output=True,
                               text=True, timeout=5).stdout.strip()
        return result.stdout.strip() + ("-dirty" if dirty else "")
    except OSError:
        return "unknown"


def prompt_fingerprint(messages: list[dict[str, str]]) -> str:
    return hashlib.sha1(json.dumps(messages, sort_keys=True).encode()).hexdigest()[:16]


class EvalRunner:
    def __init__(
        self, services: Services, qset: QuestionSet, out_dir: Path, oracle: bool = False,
        judge: CitationJudge | None = None,
    ) -> None:
        self.services = services
        self.qset = qset
        self.out_dir = out_dir
        self.oracle = oracle
        self.judge = judge
        self.results_file = out_dir / "results.jsonl"
        self._corpus_texts: list[str] | None = None

    def corpus_texts(self) -> list[str]:
        """The corpus, normalised, read once: a gold answer found nowhere in it no retriever can find."""
        if self._corpus_texts is None:
            self._corpus_texts = corpus_texts(self.qset)
        return self._corpus_texts

    def run(self, limit: int | None = None, progress: Callable[[int, int], None] | None = None) -> list[dict]:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._write_run_info()
        done = self.load_results()
        todo = [q for q in self.qset.questions[:limit] if q.id not in done]
        total = len(self.qset.questions[:limit])
        for question in todo:
            record = self.evaluate(question)
            with self.results_file.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, default=str) + "\n")
            done[question.id] = record
            if progress:
                progress(len(done), total)
        order = [q.id for q in self.qset.questions[:limit]]
        return [done[i] for i in order if i in done]

    def load_results(self) -> dict[str, dict]:
        if not self.results_file.exists():
            return {}
        records = {}
        for line in self.results_file.read_text(encoding="utf-8").splitlines():
            try:  # a line cut by a kill is simply asked again
                record = json.loads(line)
                records[record["id"]] = record
            except (json.JSONDecodeError, KeyError):
                continue
        return records

    def _write_run_info(self) -> None:
        settings = self.services.settings
        info = {
            "set": self.qset.name,
            "corpus_hash": self.qset.corpus_hash,
            "git_commit": git_commit(),
            "model": settings.llm.model if settings.llm.backend == "openai" else settings.llm.preset,
            "settings": json.loads(settings.model_dump_json(exclude={"llm": {"api_key"}, "embedding": {"api_key"}, "eval": {"judge_api_key"}})),
            "oracle": self.oracle,
            "citation_judge": self.judge.name if self.judge else None,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        (self.out_dir / "run.json").write_text(json.dumps(info, indent=2, default=str))

    def evaluate(self, question: EvalQuestion) -> dict[str, Any]:
        answerer = self.services.answerer
        k = self.services.settings.retrieval.k
        clock = Stopwatch()
        request = AskRequest(question=question.question, as_of=question.as_of, k=max(k, RECALL_DEPTH))
        retrieved, date_range, _ = answerer.retrieve(request)
        answer, raw = answerer.answer_from(request, retrieved[:k], date_range, question.as_of, clock)
        # The answer's [n] number the passages in prompt order, which evidence selection sets.
        messages, numbered = answerer.prompt(request, retrieved[:k], date_range, question.as_of)
        ranked_ids = list(dict.fromkeys(p.chunk.article_id for p in retrieved))
        texts = [p.chunk.text for p in retrieved]
        record: dict[str, Any] = {
            "id": question.id,
            "type": question.type,
            "question": question.question,
            "as_of": question.as_of.isoformat(),
            "gold": question.answers,
            "unanswerable": question.unanswerable,
            "gold_in_corpus": gold_in_corpus(self.corpus_texts(), question.answers) if question.answers else None,
            "answer": answer.answer,
            "raw_answer": raw,
            "refused": answer.refused,
            "degraded": answer.degraded,
            "citations": [c.model_dump(mode="json") for c in answer.citations],
            "date_range": answer.date_range.model_dump(mode="json"),
            "retrieved_ids": ranked_ids,
            # eval/reverify.py re-scores this draft later only while the prompt is the same.
            "prompt_sha1": prompt_fingerprint(messages),
            "timings": answer.timings,
            "usage": answer.usage.model_dump(),
            "scores": self.score(question, answer.answer, raw, answer.refused, ranked_ids, texts, numbered,
                                 [s.verified for s in answer.sentences]),
        }
        if question.choices:
            self.score_multiple_choice(question, record, retrieved[:k], date_range)
        if self.oracle:
            record["oracle"] = self.oracle_answer(question, date_range)
        return record

    def score_multiple_choice(
        self, question: EvalQuestion, record: dict[str, Any], retrieved: list[Passage], date_range: DateRange
    ) -> None:
        """Ask the question with its options and score the option picked. With `eval.mc_retrieval`
        'item' the options are searched with too, as the product would be asked the whole item."""
        request = AskRequest(question=question.multiple_choice, as_of=question.as_of,
                             k=self.services.settings.retrieval.k)
        passages, window = multiple_choice_passages(self.services, question, retrieved, date_range)
        _, raw = self.services.answerer.answer_from(request, passages, window, question.as_of)
        picked, letter_reply = self.mc_pick(request, passages, window, question, raw)
        evidence = multiple_choice_evidence(self.services, question, passages)
        record["mc_raw"] = raw
        record["mc_letter"] = letter_reply
        scores = record["scores"]
        scores["mc_correct"] = float(picked is not None and picked == question.answer_index)
        scores["mc_named"] = scores["mc_correct"] if letter_reply is None else 0.0
        if question.answers:
            scores["mc_answer_in_prompt"] = metrics.answer_in_passages([evidence], question.answers, 1)

    def score(self, question: EvalQuestion, text: str, raw: str, refused: bool, ranked_ids: list[str],
              texts: list[str], given: list[Passage], verified: list[bool]) -> dict[str, Any]:
        golds = question.answers
        answerable = not question.unanswerable and bool(golds)
        scores: dict[str, Any] = {
            "em": metrics.exact_match(text, golds) if answerable else None,
            "f1": metrics.token_f1(text, golds) if answerable else None,
            "contained": metrics.contained(text, golds) if answerable else None,
            "raw_contained": metrics.contained(raw, golds) if answerable else None,
            # Answer precision: of the answers given (not refused), how many hold the gold answer.
            "answered_contained": metrics.contained(text, golds) if answerable and not refused else None,
            "recall@1": metrics.recall_at_k(ranked_ids, question.supporting_ids, 1),
            "recall@5": metrics.recall_at_k(ranked_ids, question.supporting_ids, 5),
            "recall@10": metrics.recall_at_k(ranked_ids, question.supporting_ids, 10),
            "mrr": metrics.reciprocal_rank(ranked_ids, question.supporting_ids),
            "answer_recall@1": metrics.answer_in_passages(texts, golds, 1) if answerable else None,
            "answer_recall@10": metrics.answer_in_passages(texts, golds, 10) if answerable else None,
            "refused": refused,
            "sentence_survival": sum(verified) / len(verified) if verified else None,
        }
        scores.update(metrics.citation_scores(raw, given))
        if not refused:
            own = metrics.citation_scores(text, given)
            scores["verified_citation_precision"] = own["citation_precision"]
            scores["verified_citation_recall"] = own["citation_recall"]
        if self.judge:
            scores.update(judged_citation_scores(raw, given, self.judge, "judge_citation"))
            if not refused:
                scores.update(judged_citation_scores(text, given, self.judge, "judge_verified_citation"))
        return scores

    def gold_passages(self, question: EvalQuestion) -> list[Passage]:
        """The supporting articles' chunks, most relevant first: what a perfect retriever returns."""
        store = self.services.store
        passages = []
        for article_id in question.supporting_ids:
            for chunk in store.get_chunks(article_id):
                passages.append(Passage(chunk=chunk, score=0.0))
        golds = [g.lower() for g in question.answers]
        ranked = sorted(
            passages, key=lambda p: (not any(g in p.chunk.text.lower() for g in golds), p.chunk.position)
        )
        return ranked[: self.services.settings.retrieval.k]

    def mc_pick(
        self, request: AskRequest, passages: list[Passage], date_range: DateRange, question: EvalQuestion, answer: str
    ) -> tuple[int | None, str | None]:
        """The option an answer picks; when it names none ("the articles do not say", a name from
        outside the options), the option the model gives as a letter when asked in the same
        conversation, with that reply. Multiple choice scores a pick, as a test-taker must make one."""
        picked = metrics.pick_choice(answer, question.choices)
        if picked is not None:
            return picked, None
        answerer = self.services.answerer
        messages, _ = answerer.prompt(request, passages, date_range, question.as_of)
        follow_up = load_prompt(self.services.settings.prompts_dir, "mc_letter").render(options=question.options)
        conversation = [*messages, {"role": "assistant", "content": answer}, *follow_up]
        reply = self.services.chat_model.complete(ChatRequest(conversation, MC_LETTER_TOKENS)).text
        return metrics.picked_letter(reply, len(question.choices)), reply

    def oracle_answer(self, question: EvalQuestion, date_range: DateRange) -> dict[str, Any]:
        gold = self.gold_passages(question)
        request = AskRequest(question=question.question, as_of=question.as_of)
        answer, _raw = self.services.answerer.answer_from(request, gold, date_range, question.as_of)
        answerable = not question.unanswerable and bool(question.answers)
        result: dict[str, Any] = {
            "answer": answer.answer,
            "contained": metrics.contained(answer.answer, question.answers) if answerable else None,
            "f1": metrics.token_f1(answer.answer, question.answers) if answerable else None,
            "refused": answer.refused,
        }
        if question.choices and gold:
            mc_request = AskRequest(question=question.multiple_choice, as_of=question.as_of)
            _, mc_raw = self.services.answerer.answer_from(mc_request, gold, date_range, question.as_of)
            picked, _letter = self.mc_pick(mc_request, gold, date_range, question, mc_raw)
            result["mc_correct"] = float(picked is not None and picked == question.answer_index)
        return result
