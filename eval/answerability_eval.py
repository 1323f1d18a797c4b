"""Compare the answerability checks (service/answerability.py) on answers a run already generated.

Each question of an `newsdesk eval run` folder is retrieved again (the same code and index give
the same passages in the same prompt order), its raw answer verified again, and every method
applied to the same verified sentences: the model writes each answer once, and the judge is the
only model call this script makes (its time per question is what the judge adds to an answer).

    PYTHONPATH=. .venv/bin/python eval/answerability_eval.py --set hard:tune \
        --answers eval/runs/a13-hard-tune-base --index eval/runs/fixed-index --out eval/runs/a13-ans-tune

Prints one table row per method: refusal recall and precision on the unanswerable questions,
answerable questions wrongly refused, gold answer contained on the answerable ones, judge time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from service.answer_judge import ModelJudge
from service.answerability import METHODS, Assessment, assess, kept_sentences
from service.answering import AskRequest
from service.citations import Verification, verify
from service.evaluation import metrics
from service.evaluation.questions import load_question_set
from service.evaluation.runner import RECALL_DEPTH
from service.prompting import load_prompt
from service.settings import Settings
from service.wiring import Services


class TimedJudge(ModelJudge):
    """The judge, remembering each verdict and how long it took (one call per question)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.seconds: dict[str, float] = {}
        self.verdicts: dict[tuple[str, tuple[str, ...]], bool | None] = {}

    def answers(self, question: str, kept: Any) -> bool | None:
        key = (question, tuple(kept))
        if key not in self.verdicts:
            start = time.perf_counter()
            self.verdicts[key] = super().answers(question, kept)
            self.seconds[question] = time.perf_counter() - start
        return self.verdicts[key]


def summarise(rows: list[dict[str, Any]], method: str) -> dict[str, Any]:
    unanswerable = [r for r in rows if r["unanswerable"]]
    answerable = [r for r in rows if not r["unanswerable"]]
    refused_u = sum(r[method]["refused"] for r in unanswerable)
    refused_a = sum(r[method]["refused"] for r in answerable)
    refused = refused_u + refused_a
    return {
        "method": method,
        "refusal_recall": refused_u / len(unanswerable) if unanswerable else None,
        "refusal_precision": refused_u / refused if refused else None,
        "wrongly_refused": refused_a / len(answerable) if answerable else None,
        "contained": statistics.mean(r[method]["contained"] for r in answerable) if answerable else None,
        "n_unanswerable": len(unanswerable),
        "n_answerable": len(answerable),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="question_set", required=True)
    parser.add_argument("--answers", type=Path, nargs="+", required=True, help="run folders with results.jsonl")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--methods", default=",".join(METHODS))
    args = parser.parse_args()

    qset = load_question_set(args.question_set)
    records: dict[str, dict[str, Any]] = {}
    for folder in args.answers:
        for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records.setdefault(record["id"], record)
    questions = [q for q in qset.questions if q.id in records]
    settings = Settings()
    services = Services(settings.model_copy(update={"data_dir": args.index}))
    answerer = services.answerer
    judge = TimedJudge(services.chat_model, load_prompt(settings.prompts_dir, "judge_answer"))
    methods = args.methods.split(",")
    k = settings.retrieval.k
    rows = []
    for question in questions:
        record = records[question.id]
        request = AskRequest(question=question.question, as_of=question.as_of, k=max(k, RECALL_DEPTH))
        retrieved, date_range, _ = answerer.retrieve(request)
        _, numbered = answerer.prompt(request, retrieved[:k], date_range, question.as_of)
        raw = record["raw_answer"]
        verification = verify(raw, numbered) if raw and numbered else Verification([], True)
        row: dict[str, Any] = {"id": question.id, "question": question.question, "kind": question.type,
                               "unanswerable": question.unanswerable, "raw": raw,
                               "kept": kept_sentences(verification), "run_refused": record["refused"],
                               "quotes": [q for s in verification.sentences if s.verified for q in s.quotes.values()]}
        for method in methods:
            verdict: Assessment = assess(question.question, verification, method, judge)  # type: ignore[arg-type]
            refused = verification.refused or not verdict.answers
            contained = 0.0 if refused or question.unanswerable else metrics.contained(verification.text, question.answers)
            row[method] = {"refused": refused, "reason": verdict.reason, "contained": contained}
        row["judge_s"] = judge.seconds.get(question.question)
        row["judge_verdict"] = judge.verdicts.get((question.question, tuple(row["kept"])))
        rows.append(row)
        print(f"{question.id} {'U' if question.unanswerable else 'A'} "
              + " ".join(f"{m}={'R' if row[m]['refused'] else '-'}" for m in methods), file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "answerability.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    summary = [summarise(rows, m) for m in methods]
    judged = [r["judge_s"] for r in rows if r["judge_s"] is not None]
    timing = {"judge_calls": len(judged), "judge_p50_s": statistics.median(judged) if judged else None,
              "judge_max_s": max(judged) if judged else None}
    (args.out / "summary.json").write_text(json.dumps({"set": args.question_set, "methods": summary,
                                                       "timing": timing}, indent=2))
    print("| method | refusal recall | refusal precision | wrongly refused | contained (answerable) |")
    print("|---|---|---|---|---|")
    for s in summary:
        cells = [s["refusal_recall"], s["refusal_precision"], s["wrongly_refused"], s["contained"]]
        print(f"| {s['method']} | " + " | ".join("-" if c is None else f"{c:.3f}" for c in cells) + " |")
    print(f"{summary[0]['n_unanswerable']} unanswerable, {summary[0]['n_answerable']} answerable; judge {timing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
