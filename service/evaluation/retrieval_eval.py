"""Retrieval and evidence, scored without a model: is the answer in what the model would read?

An answer run costs about 10 s a question on 2 cores; this costs milliseconds, so every change
to search, reranking or evidence selection is measured on whole question sets. For each question:
the rank of the first passage holding the gold answer, whether the gold answer is inside the
exact evidence text the prompt would carry, how many tokens that evidence takes, and how long
retrieval and evidence selection took.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from service.answering import AskRequest
from service.domain import DateRange, Passage
from service.evaluation import metrics
from service.evaluation.questions import EvalQuestion, QuestionSet
from service.ingest.parse import ParseFailure, discover_files, parse_file
from service.tokens import count_tokens
from service.wiring import Services

# Ranks reported on the recall curve; the deepest is how many passages are retrieved.
CURVE_DEPTHS = (1, 2, 3, 5, 10, 15, 20)
REPORTED_DEPTHS = (1, 5, 10)


def corpus_texts(qset: QuestionSet) -> list[str]:
    """Normalised article texts: a gold answer found nowhere in them cannot be retrieved."""
    texts = []
    for path in discover_files(qset.corpus):
        for item in parse_file(path, 1 << 30):
            if not isinstance(item, ParseFailure):
                texts.append(metrics.normalize(f"{item.title} {item.text}"))
    return texts


def gold_in_corpus(texts: list[str], answers: list[str]) -> bool:
    """Whether a gold answer occurs anywhere in the corpus (texts from corpus_texts)."""
    golds = [metrics.normalize(g) for g in answers if metrics.normalize(g)]
    return any(g in text for g in golds for text in texts)


def answer_rank(texts: list[str], golds: list[str]) -> int | None:
    """1-based rank of the first passage that holds a gold answer."""
    for rank, text in enumerate(texts, start=1):
        if metrics.answer_in_passages([text], golds, 1):
            return rank
    return None


def evaluate_question(services: Services, question: EvalQuestion, in_corpus: bool) -> dict[str, Any]:
    finder = services.finder
    request = AskRequest(question=question.question, as_of=question.as_of, k=max(CURVE_DEPTHS))
    started = time.perf_counter()
    passages, window, _ = finder.retrieve(request)
    retrieved = time.perf_counter()
    # Search ranks are a prefix of a deeper search's, so the model's own k come first in passages.
    evidence = finder.evidence(question.question, passages[: services.settings.retrieval.k])
    selected = time.perf_counter()
    evidence_text = "\n".join(p.chunk.text for p in evidence)
    answerable = not question.unanswerable and bool(question.answers)
    rank = answer_rank([p.chunk.text for p in passages], question.answers) if answerable else None
    scores: dict[str, Any] = {}
    if answerable:
        for depth in CURVE_DEPTHS:
            scores[f"answer_recall@{depth}"] = float(rank is not None and rank <= depth)
        scores["answer_in_prompt"] = metrics.answer_in_passages([evidence_text], question.answers, 1)
        if question.choices:
            mc_passages, _ = multiple_choice_passages(services, question, passages, window)
            scores["mc_answer_in_prompt"] = metrics.answer_in_passages(
                [multiple_choice_evidence(services, question, mc_passages)], question.answers, 1)
    ranked_ids = list(dict.fromkeys(p.chunk.article_id for p in passages))
    for depth in REPORTED_DEPTHS:
        scores[f"recall@{depth}"] = metrics.recall_at_k(ranked_ids, question.supporting_ids, depth)
    scores["evidence_tokens"] = count_tokens(evidence_text)
    scores["evidence_passages"] = len(evidence)
    return {
        "id": question.id,
        "type": question.type,
        "group": question.group,
        "question": question.question,
        "gold": question.answers,
        "answerable": answerable,
        "gold_in_corpus": in_corpus,
        "answer_rank": rank,
        "evidence": [{"article_id": p.chunk.article_id, "text": p.chunk.text} for p in evidence],
        "timings": {
            "retrieve_ms": round((retrieved - started) * 1000, 1),
            "evidence_ms": round((selected - retrieved) * 1000, 1),
        },
        "scores": scores,
    }


def multiple_choice_passages(
    services: Services, question: EvalQuestion, passages: list[Passage], window: DateRange
) -> tuple[list[Passage], DateRange]:
    """The passages (and time window) the multiple-choice prompt is built from (`eval.mc_retrieval`):
    the question's own, or those found by searching with the whole item."""
    k = services.settings.retrieval.k
    if services.settings.eval.mc_retrieval == "item":
        request = AskRequest(question=question.multiple_choice, as_of=question.as_of, k=k)
        passages, window, _ = services.finder.retrieve(request)
    return passages[:k], window


def multiple_choice_evidence(services: Services, question: EvalQuestion, passages: list[Passage]) -> str:
    """The evidence text the multiple-choice prompt carries, from multiple_choice_passages."""
    return "\n".join(p.chunk.text for p in services.finder.evidence(question.multiple_choice, passages))


def evaluate(
    services: Services, qset: QuestionSet, limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    texts = corpus_texts(qset)
    questions = qset.questions[:limit]
    records = []
    for done, question in enumerate(questions, start=1):
        records.append(evaluate_question(services, question, gold_in_corpus(texts, question.answers)))
        if progress:
            progress(done, len(questions))
    return records


def _group(records: list[dict[str, Any]]) -> dict[str, Any]:
    keys = sorted({key for r in records for key in r["scores"]})
    result: dict[str, Any] = {"questions": len(records)}
    for key in keys:
        result[key] = metrics.mean([r["scores"].get(key) for r in records])
    tokens = [r["scores"]["evidence_tokens"] for r in records]
    result["evidence_tokens_p50"] = metrics.percentile(tokens, 0.5)
    for stage in ("retrieve_ms", "evidence_ms"):
        values = [r["timings"][stage] for r in records]
        result[f"{stage}_p50"] = metrics.percentile(values, 0.5)
        result[f"{stage}_p95"] = metrics.percentile(values, 0.95)
    both = [r["timings"]["retrieve_ms"] + r["timings"]["evidence_ms"] for r in records]
    result["retrieve_and_evidence_ms_p50"] = metrics.percentile(both, 0.5)
    return result


def aggregate(records: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[record["type"]].append(record)
        if record["answerable"]:
            # Questions whose gold answer occurs nowhere in the corpus no retriever can answer.
            groups["gold in corpus" if record["gold_in_corpus"] else "gold not in corpus"].append(record)
    return {"overall": _group(records), "by_type": {name: _group(rs) for name, rs in sorted(groups.items())}}


def write_retrieval_report(out_dir: Path, run: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    from service.evaluation.report import recall_curve_png, table

    out_dir.mkdir(parents=True, exist_ok=True)
    summary = aggregate(records)
    (out_dir / "run.json").write_text(json.dumps(run, indent=2, default=str))
    (out_dir / "report.json").write_text(
        json.dumps({"run": run, "summary": summary, "questions": records}, indent=2, default=str)
    )
    rows = {"overall": summary["overall"], **summary["by_type"]}
    # A row no depth can help (gold text found nowhere, as free-form summaries) only hides the others.
    deepest = f"answer_recall@{max(CURVE_DEPTHS)}"
    curve_rows = {name: row for name, row in rows.items() if row.get(deepest)}
    picture = recall_curve_png(
        out_dir / "recall_curve.png",
        {name: [(d, row[f"answer_recall@{d}"]) for d in CURVE_DEPTHS] for name, row in curve_rows.items()},
        f"answer recall@k: {run['set']}",
    )
    answer_columns = [*(f"answer_recall@{d}" for d in REPORTED_DEPTHS), "answer_in_prompt"]
    if summary["overall"].get("mc_answer_in_prompt") is not None:
        answer_columns.append("mc_answer_in_prompt")
    parts = [
        f"# Retrieval report: {run['set']}",
        f"commit `{run['git_commit']}`, corpus `{run['corpus_hash']}`, {len(records)} questions, "
        f"started {run['started']}",
        "## Is the answer in what the model reads?",
        "answer_recall@k: a gold answer string inside one of the top k passages; answer_in_prompt: inside "
        "the evidence text the prompt carries; mc_answer_in_prompt: inside the multiple-choice prompt's "
        "evidence. Over answerable questions of each row.",
        table(rows, ["questions", *answer_columns]),
        "## Articles found (questions with supporting articles)",
        table(rows, [f"recall@{d}" for d in REPORTED_DEPTHS]),
        "## Cost",
        table(rows, ["evidence_tokens", "evidence_tokens_p50", "evidence_passages", "retrieve_ms_p50",
                     "retrieve_ms_p95", "evidence_ms_p50", "evidence_ms_p95", "retrieve_and_evidence_ms_p50"]),
    ]
    if picture:
        parts.append("![answer recall at k](recall_curve.png)")
    (out_dir / "report.md").write_text("\n\n".join(parts) + "\n")
    return summary
