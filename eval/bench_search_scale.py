"""Search latency at 1k, 10k and 100k chunks (synthetic chunks, random unit vectors), dense and hybrid.

    .venv/bin/python eval/bench_search_scale.py --sizes 1000 10000 100000 --out eval/runs/bench-scale

Synthetic text is built from a fixed vocabulary so BM25 has realistic term statistics; vectors are
random, so this measures the engines' cost, not retrieval quality.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from service.components.lexical import LexicalIndex
from service.components.store import ArticleVersion, ChromaStore, date_filter
from service.domain import Article, Chunk, DateRange
from service.settings import Settings

WORDS = ["port", "strike", "council", "ferry", "storm", "museum", "painting", "union", "mayor", "budget", "school", "library", "fire", "plant", "workers", "police", "court", "election", "housing", "rent", "water", "drought", "river", "bridge", "hospital", "bank", "market"]


def synthetic_versions(count: int, rng: random.Random) -> list[ArticleVersion]:
    versions = []
    per_article = 10
    for a in range(count // per_article):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=a % 60)
        text = " ".join(rng.choice(WORDS) for _ in range(60 * per_article))
        article = Article.build(title=f"Story {a}", text=text, published=day, url=f"https://s{a % 7}.example/{a}")
        chunks = [Chunk(id=f"{article.id}-{i}", article_id=article.id, position=i, start=i * 60, end=i * 60 + 60,
                        text=" ".join(text.split()[i * 60:(i + 1) * 60]), title=article.title, published=day,
                        source=article.source, url=article.url, content_hash=article.content_hash)
                  for i in range(per_article)]
        vectors = np.random.default_rng(a).normal(size=(per_article, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        versions.append(ArticleVersion(article, chunks, vectors.tolist()))
    return versions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("eval/runs/bench-scale"))
    args = parser.parse_args()
    rng = random.Random(7)
    results = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = ChromaStore(Settings(data_dir=Path(tmp)))
            versions = synthetic_versions(size, rng)
            started = time.perf_counter()
            for offset in range(0, len(versions), 100):
                store.replace_articles(versions[offset:offset + 100], set())
            add_s = time.perf_counter() - started
            lexical = LexicalIndex(store)
            started = time.perf_counter()
            lexical.refresh()
            bm25_build_s = time.perf_counter() - started
            queries = np.random.default_rng(size).normal(size=(args.queries, 384)).astype(np.float32)
            queries /= np.linalg.norm(queries, axis=1, keepdims=True)
            week = DateRange(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 7))
            timings: dict[str, list[float]] = {"dense": [], "dense_filtered": [], "lexical": []}
            for vector in queries:
                words = " ".join(rng.choice(WORDS) for _ in range(4))
                t = time.perf_counter()
                store.query(vector.tolist(), 40, None)
                timings["dense"].append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                store.query(vector.tolist(), 40, date_filter(week.start, week.end, None))
                timings["dense_filtered"].append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                lexical.search(words, 40, DateRange(), None)
                timings["lexical"].append((time.perf_counter() - t) * 1000)
            row = {"chunks": store.count_chunks(), "add_per_s": round(store.count_chunks() / add_s),
                   "bm25_build_s": round(bm25_build_s, 2)}
            for name, values in timings.items():
                values.sort()
                row[f"{name}_p50_ms"] = round(statistics.median(values), 2)
                row[f"{name}_p95_ms"] = round(values[int(len(values) * 0.95) - 1], 2)
            results[str(size)] = row
            print(json.dumps(row))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
