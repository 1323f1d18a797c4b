"""Digest evaluation on the fixed corpus: story recall, duplicate and merge rates, citation checks, time.

    .venv/bin/python eval/digest_eval.py --out eval/runs/digest [--max-stories 20] [--no-llm]

Uses eval/digest_gold.json (the hand-made grouping of each day's articles into stories).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from service.domain import Passage
from service.evaluation.questions import FIXED_SET
from service.ingest.parse import parse_file
from service.settings import Settings
from service.stories import group_stories
from service.support import support
from service.wiring import Services


def file_ids() -> dict[str, str]:
    ids = {}
    for path in sorted((FIXED_SET / "corpus").glob("*.txt")):
        for article in parse_file(path, 1 << 24):
            ids[path.name] = article.id  # type: ignore[union-attr]
    return ids


def score_day(gold: list[dict], predicted: list[set[str]], ids: dict[str, str]) -> dict[str, float]:
    gold_sets = [{ids[f] for f in story["files"]} for story in gold]
    recalled = sum(any(g <= p for p in predicted) for g in gold_sets)
    split = sum(sum(bool(g & p) for p in predicted) - 1 for g in gold_sets)
    merged = sum(sum(bool(g & p) for g in gold_sets) > 1 for p in predicted)
    return {"gold": len(gold_sets), "predicted": len(predicted), "recalled": recalled,
            "extra_stories": split, "merged": merged}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("eval/runs/digest"))
    parser.add_argument("--data-dir", type=Path, default=Path(".newsdesk/eval/digest"))
    parser.add_argument("--max-stories", type=int, default=20)
    parser.add_argument("--no-llm", action="store_true", help="score the grouping only")
    args = parser.parse_args()
    gold = json.loads((FIXED_SET / "digest_gold.json").read_text())
    services = Services(Settings(data_dir=args.data_dir))
    services.ingestor.ingest_paths([FIXED_SET / "corpus"])
    ids = file_ids()
    # The store keeps one version per URL: the replaced original is not a separate article.
    stored = {a.id for a in services.store.list_articles()}
    rows = {}
    cited = supported = 0
    for day_text, stories in gold.items():
        day = dt.date.fromisoformat(day_text)
        for story in stories:
            story["files"] = [f for f in story["files"] if ids[f] in stored]
        stories = [s for s in stories if s["files"]]
        started = time.perf_counter()
        if args.no_llm:
            articles = services.store.list_articles(day, day)
            clusters, _ = group_stories(articles, services.store.article_vectors([a.id for a in articles]))
            predicted = [{articles[i].id for i in c} for c in clusters]
        else:
            digest = services.digests.digest(day, max_stories=args.max_stories)
            predicted = [{a.id for a in s.articles} for s in digest.stories]
            for story in digest.stories:
                for sentence in story.sentences:
                    for n in sentence.citations:
                        citation = next(c for c in story.citations if c.n == n)
                        chunk = services.store.get_chunks(citation.article_id)[0]
                        quote_passage = Passage(chunk=chunk.model_copy(update={"text": citation.quote}), score=0)
                        cited += 1
                        supported += support(sentence.text, quote_passage) >= 0.5 and \
                            citation.article_id in {a.id for a in story.articles}
        rows[day_text] = score_day(stories, predicted, ids) | {"seconds": round(time.perf_counter() - started, 1)}
        print(day_text, rows[day_text])
    total = {k: sum(r[k] for r in rows.values()) for k in ("gold", "predicted", "recalled", "extra_stories", "merged")}
    summary = {
        "story_recall": round(total["recalled"] / total["gold"], 3),
        "duplicate_rate": round(total["extra_stories"] / max(total["predicted"], 1), 3),
        "merge_rate": round(total["merged"] / max(total["predicted"], 1), 3),
        "citation_precision": round(supported / cited, 3) if cited else None,
        "citations": cited,
        "seconds_per_day_max": max(r["seconds"] for r in rows.values()),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "digest_eval.json").write_text(json.dumps({"summary": summary, "days": rows}, indent=2))
    for key, value in summary.items():
        print(f"{key:22s} {value}")


if __name__ == "__main__":
    main()
