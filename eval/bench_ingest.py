"""Ingest benchmark: a corpus into a fresh index, then re-ingest, search latency, memory, disk.

    .venv/bin/python eval/bench_ingest.py --corpus ../shared/data/rtqa-dev/articles.jsonl --out eval/runs/bench-ingest

Prints a table and writes bench.json. The pipeline/embedder ratio is measured in the same run
on the same chunks, so machine noise largely cancels. The first ingest's time is also split into
its parts (chunk embedding, store writes, sentence vectors) by timing those calls inside it: run it
with NEWSDESK_RETRIEVAL__SENTENCE_VECTORS=true and =false to see what storing sentence vectors costs.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from service.chunking import chunk_article, embedding_text
from service.domain import DateRange
from service.ingest.parse import ParseFailure, parse_file
from service.retrieval import SearchQuery
from service.settings import Settings
from service.tokens import count_tokens
from service.wiring import Services


def timed(owner: object, name: str) -> list[float]:
    """Wraps owner.name to add up its seconds in the returned one-item list."""
    seconds = [0.0]
    original = getattr(owner, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds[0] += time.perf_counter() - started

    setattr(owner, name, wrapper)
    return seconds


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, help="JSONL with a 'question' field, for search latency")
    parser.add_argument("--data-dir", type=Path, default=Path("eval/runs/bench-index"))
    parser.add_argument("--out", type=Path, default=Path("eval/runs/bench-ingest"))
    parser.add_argument("--embed-sample", type=int, default=2000, help="chunks timed through the bare embedder")
    args = parser.parse_args()
    if args.data_dir.exists() and any(args.data_dir.iterdir()):
        raise SystemExit(f"{args.data_dir} is not empty: give a fresh --data-dir")

    services = Services(Settings(data_dir=args.data_dir))
    services.embedder.embed_batch(["warm up"])
    # Sentence vectors embed through the same embedder: their share is taken out of the embedding time.
    embedding, store_writes = timed(services.embedder, "embed_batch"), timed(services.store, "replace_articles")
    sentences = timed(services.sentence_vectors, "store_missing") if services.sentence_vectors else [0.0]
    started = time.perf_counter()
    report = services.ingestor.ingest_paths([args.corpus])
    ingest_s = time.perf_counter() - started
    parts = {"chunk_embedding_s": round(embedding[0] - sentences[0], 1), "store_write_s": round(store_writes[0], 1),
             "sentence_vectors_s": round(sentences[0], 1), "sentence_vectors": services.sentence_vectors is not None}
    embedding[0] = 0.0
    chunks = report.chunks_added

    started = time.perf_counter()
    again = services.ingestor.ingest_paths([args.corpus])
    reingest_s = time.perf_counter() - started

    # The same kind of chunks through the bare embedder, sorted like the pipeline's batches.
    settings = services.settings
    texts: list[str] = []
    for item in parse_file(args.corpus, settings.ingest.max_file_bytes):
        if not isinstance(item, ParseFailure):
            texts += [embedding_text(c) for c in chunk_article(item, settings.chunking.max_tokens,
                                                               settings.chunking.overlap_tokens, count_tokens)]
        if len(texts) >= args.embed_sample:
            break
    texts = texts[: args.embed_sample]
    started = time.perf_counter()
    services.embedder.embed_batch(texts)
    embed_s = time.perf_counter() - started
    embed_rate = len(texts) / embed_s

    questions_file = args.questions or args.corpus.with_name("questions.jsonl")
    queries = [json.loads(line)["question"] for line in questions_file.read_text().splitlines()[:200]] \
        if questions_file.exists() else [t[:80] for t in texts[:200]]
    latencies = []
    for query in queries:
        started = time.perf_counter()
        services.retriever.search(SearchQuery(query, 10, DateRange()))
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()

    result = {
        "articles": report.ingested, "failed": len(report.failed), "chunks": chunks,
        "ingest_s": round(ingest_s, 1), "chunks_per_s": round(chunks / ingest_s, 1),
        "embedder_chunks_per_s": round(embed_rate, 1),
        "pipeline_overhead_pct": round((embed_rate / (chunks / ingest_s) - 1) * 100, 1),
        **parts,
        "reingest_s": round(reingest_s, 2), "reingest_embedded": again.chunks_added,
        "search_queries": len(latencies),
        "search_p50_ms": round(statistics.median(latencies), 1),
        "search_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "index_mb": round(folder_bytes(args.data_dir) / 1e6, 1),
        "threads": settings.embedding.threads,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(result, indent=2))
    for key, value in result.items():
        print(f"{key:24s} {value}")


if __name__ == "__main__":
    main()
