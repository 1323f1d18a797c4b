"""Aggregate per-question results into report.json and report.md (tables and SVG plots); compare runs."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from service.evaluation import metrics

# mc_named: the answer itself named the right option, with no letter asked for (runs before d7f9c75
# scored only this, as mc_correct).
ANSWER_METRICS = ["em", "f1", "contained", "raw_contained", "answered_contained", "mc_correct", "mc_named"]
# mc_answer_in_prompt: a gold answer inside the evidence the multiple-choice prompt carries.
RETRIEVAL_METRICS = ["recall@1", "recall@5", "recall@10", "mrr", "answer_recall@1", "answer_recall@10",
                     "mc_answer_in_prompt"]
CITATION_METRICS = [
    "citation_precision", "citation_recall", "sentence_survival",
    "verified_citation_precision", "verified_citation_recall",
    "judge_citation_precision", "judge_citation_recall",
    "judge_verified_citation_precision", "judge_verified_citation_recall",
]
STAGES = ["retrieve_ms", "generate_ms", "verify_ms", "total_ms"]


def aggregate(records: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[record["type"]].append(record)
        if not record["unanswerable"] and record.get("gold_in_corpus") is not None:
            # Refusing a question whose answer is nowhere in the corpus is right; the others are misses.
            groups["gold in corpus" if record["gold_in_corpus"] else "gold not in corpus"].append(record)
    summary: dict[str, Any] = {"overall": _group(records), "by_type": {t: _group(rs) for t, rs in sorted(groups.items())}}
    summary["overall"].update(
        metrics.refusal_scores([r["refused"] for r in records], [r["unanswerable"] for r in records])
    )
    oracle = [r["oracle"] for r in records if "oracle" in r]
    if oracle:
        summary["oracle"] = {
            "contained": metrics.mean([o.get("contained") for o in oracle]),
            "mc_correct": metrics.mean([o.get("mc_correct") for o in oracle]),
        }
        for key in ("contained", "mc_correct"):
            real, gold = summary["overall"].get(key), summary["oracle"][key]
            summary["oracle"][f"{key}_ratio"] = real / gold if real is not None and gold else None
    return summary


def _group(records: list[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {"questions": len(records)}
    for key in ANSWER_METRICS + RETRIEVAL_METRICS + CITATION_METRICS:
        result[key] = metrics.mean([r["scores"].get(key) for r in records])
    result["refusal_rate"] = metrics.mean([float(r["refused"]) for r in records])
    for stage in STAGES:
        values = [r["timings"][stage] for r in records if stage in r["timings"]]
        result[f"{stage}_p50"] = metrics.percentile(values, 0.5)
        result[f"{stage}_p95"] = metrics.percentile(values, 0.95)
    result["prompt_tokens_mean"] = metrics.mean([r["usage"]["prompt_tokens"] for r in records])
    result["completion_tokens_mean"] = metrics.mean([r["usage"]["completion_tokens"] for r in records])
    return result


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if abs(value) <= 1.0:
            return f"{value:.3f}"
        return f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def table(rows: dict[str, dict[str, Any]], columns: list[str]) -> str:
    lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in rows.items():
        lines.append(f"| {name} | " + " | ".join(_fmt(row.get(c)) for c in columns) + " |")
    return "\n".join(lines)


def recall_curve_png(path: Path, curves: dict[str, list[tuple[int, float]]], title: str) -> bool:
    """Recall against depth, one line per question group; False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display on a server
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    for name, points in curves.items():
        axes.plot([k for k, _ in points], [v for _, v in points], marker="o", label=name)
    axes.set_xticks(sorted({k for points in curves.values() for k, _ in points}))
    axes.set(xlabel="k (passages)", ylabel="share of questions", title=title, ylim=(0, 1))
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return True


def bar_chart_svg(values: dict[str, float], title: str, unit: str = "") -> str:
    """A dependency-free horizontal bar chart."""
    width, bar_h, left = 560, 22, 150
    top = max(values.values(), default=1.0) or 1.0
    rows = []
    for i, (label, value) in enumerate(values.items()):
        y = 30 + i * (bar_h + 6)
        length = (width - left - 70) * value / top
        rows.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" font-size="12">{label}</text>'
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="#4a78b5"/>'
            f'<text x="{left + length + 4:.1f}" y="{y + 15}" font-size="12">{value:.2f}{unit}</text>'
        )
    height = 40 + len(values) * (bar_h + 6)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f'<text x="10" y="18" font-size="14" font-weight="bold">{title}</text>{"".join(rows)}</svg>'
    )


def write_report(out_dir: Path, records: list[dict[str, Any]]) -> dict[str, Any]:
    run = json.loads((out_dir / "run.json").read_text())
    summary = aggregate(records)
    (out_dir / "report.json").write_text(json.dumps({"run": run, "summary": summary, "questions": records},
                                                    indent=2, default=str))
    rows = {"overall": summary["overall"], **summary["by_type"]}
    accuracy_key = "mc_correct" if summary["overall"].get("mc_correct") is not None else "contained"
    (out_dir / "accuracy.svg").write_text(bar_chart_svg(
        {k: v.get(accuracy_key) or 0.0 for k, v in rows.items()}, f"{accuracy_key} by question type"))
    (out_dir / "latency.svg").write_text(bar_chart_svg(
        {s.removesuffix("_ms"): (summary["overall"].get(f"{s}_p50") or 0.0) / 1000 for s in STAGES},
        "latency p50 by stage", " s"))
    parts = [
        f"# Eval report: {run['set']}",
        f"commit `{run['git_commit']}`, model `{run['model']}`, corpus `{run['corpus_hash']}`, "
        f"{len(records)} questions, started {run['started']}",
        "## Answers", table(rows, [*ANSWER_METRICS, "refusal_rate"]),
        f"Refusal precision {_fmt(summary['overall']['refusal_precision'])}, "
        f"recall {_fmt(summary['overall']['refusal_recall'])}.",
        "## Retrieval", table(rows, RETRIEVAL_METRICS),
        "## Citations (the model's own markers, judged by the project's support check)",
        table(rows, CITATION_METRICS),
        "## Cost", table(rows, [f"{s}_p50" for s in STAGES] + ["total_ms_p95", "prompt_tokens_mean",
                                                                 "completion_tokens_mean"]),
        "![accuracy](accuracy.svg)", "![latency](latency.svg)",
    ]
    if "oracle" in summary:
        parts += ["## Oracle (gold passages instead of retrieved ones)", table({"oracle": summary["oracle"]},
                  list(summary["oracle"]))]
    (out_dir / "report.md").write_text("\n\n".join(parts) + "\n")
    return summary


def _written_report(run_dir: Path) -> dict[str, Any]:
    report = run_dir / "report.json"
    if not report.is_file():
        # A run stopped before its last question writes no report; rerunning it resumes and writes one.
        raise ValueError(f"{run_dir} holds no report.json: not a run folder, or a run that did not finish "
                         "(the same `newsdesk eval run ... --out` resumes it and writes the report)")
    loaded: dict[str, Any] = json.loads(report.read_text())
    return loaded


def compare(a_dir: Path, b_dir: Path) -> str:
    a, b = _written_report(a_dir), _written_report(b_dir)
    lines = [f"A = {a_dir} ({a['run']['git_commit']}), B = {b_dir} ({b['run']['git_commit']})", "", "metric: A -> B"]
    for key, old in a["summary"]["overall"].items():
        new = b["summary"]["overall"].get(key)
        if isinstance(old, int | float) and isinstance(new, int | float) and abs(new - old) > 1e-9:
            lines.append(f"  {key}: {_fmt(old)} -> {_fmt(new)} ({new - old:+.3f})")
    # The headline per-question score: multiple choice, else free-form, else (retrieval reports)
    # whether the answer reached the prompt.
    overall = a["summary"]["overall"]
    key = next((k for k in ("mc_correct", "contained", "answer_in_prompt") if overall.get(k) is not None),
               "contained")
    before = {q["id"]: q["scores"].get(key) for q in a["questions"]}
    flips = [(q["id"], before[q["id"]], q["scores"].get(key)) for q in b["questions"]
             if q["id"] in before and before[q["id"]] != q["scores"].get(key)]
    lines += ["", f"questions whose {key} flipped: {len(flips)}"]
    lines += [f"  {qid}: {_fmt(old)} -> {_fmt(new)}" for qid, old, new in flips]
    return "\n".join(lines)
