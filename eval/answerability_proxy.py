"""The focus rules on the hard set without a model: each pair answered with the article's own sentence.

For every twin pair of eval/questions_hard.jsonl, the "answer" is the corpus sentence that holds the
answerable twin's gold answer: the neighbouring fact a small model copies when asked the hard
question. The answerable twin should keep it, the unanswerable one refuse it. A proxy, not the
model's answers (`eval/answerability_eval.py` scores those): it says how well the rules tell the
two apart when the model copies the article verbatim, on every question of both halves.

    PYTHONPATH=. .venv/bin/python eval/answerability_proxy.py [--half tune|report]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from service.answer_types import gives_expected_answer
from service.answerability import focus_gap
from service.evaluation.metrics import normalize
from service.text import sentences

ROOT = Path(__file__).resolve().parent


def corpus_sentences() -> dict[str, list[str]]:
    """URL -> the article's sentences (the first line is the date and title, the last the URL)."""
    found = {}
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        found[lines[-1].strip()] = [s for line in lines[1:-1] for s in sentences(line)]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=["tune", "report"])
    args = parser.parse_args()
    questions = {q["id"]: q for q in map(json.loads, (ROOT / "questions_hard.jsonl").read_text().splitlines())}
    articles = corpus_sentences()
    counts = {m: {"u_refused": 0, "u": 0, "a_refused": 0, "a": 0} for m in ("shape", "focus")}
    for q in questions.values():
        # Each answerable twin once; a partial question is answerable by its twin's sentence too.
        if q["type"] != "factoid" or (args.half and q["half"] != args.half):
            continue
        golds = [g for g in [q["answer"], *q["accepted"]] if g]
        sentence = next((s for url in q["supporting_urls"] for s in articles.get(url, [])
                         if any(normalize(g) in normalize(s) for g in golds)), None)
        if sentence is None:
            print(f"{q['id']}: no sentence holds the gold answer")
            continue
        hard = questions[q["pair"]]
        for question, unanswerable in ((q["question"], False), (hard["question"], hard["type"] == "unanswerable")):
            verdicts = {"shape": not gives_expected_answer(question, sentence), "focus": focus_gap(question, [sentence])}
            for method, gap in verdicts.items():
                key = "u" if unanswerable else "a"
                counts[method][key] += 1
                counts[method][f"{key}_refused"] += bool(gap)
            mark = "U" if unanswerable else "A"
            print(f"{mark} {'R' if verdicts['focus'] else '-'} {question[:70]} | {verdicts['focus'] or ''}")
    print("| method | refusal recall | refusal precision | wrongly refused |\n|---|---|---|---|")
    for method, c in counts.items():
        refused = c["u_refused"] + c["a_refused"]
        precision = f"{c['u_refused'] / refused:.3f}" if refused else "-"
        print(f"| {method} | {c['u_refused'] / c['u']:.3f} ({c['u_refused']}/{c['u']}) | {precision} | "
              f"{c['a_refused'] / c['a']:.3f} ({c['a_refused']}/{c['a']}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
