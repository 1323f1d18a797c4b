"""A year of news: ingest and search at 100k, 300k and 1M chunks (one index grown through the sizes).

    .venv/bin/python eval/bench_search_scale.py --sizes 100000 300000 1000000 --data /tmp/scale --out eval/runs/bench-scale
    .venv/bin/python eval/bench_search_scale.py --sizes 3000 --queries 20     # the small size CI-style smoke runs

Text: real paragraphs of ../shared/data/rtqa-dev/articles.jsonl recombined into articles (a real
title, 8 to 20 paragraphs) dated at random over 2026, from 40 outlets, cut into 150-word chunks
(about the chunker's 200 tokens; cut here by words rather than by tiktoken to save minutes).
Vectors: embedding a million chunks takes about 11 hours on 2 cores (26 chunks/s), so each chunk
gets the real MiniLM vector of one of 512 sampled passages plus Gaussian noise (cosine about 0.85
to it), normalised: real embeddings' neighbourhoods, clustered like news, but not the chunk's own
meaning; this measures the engines' cost, not retrieval quality. Queries are the benchmark's real
questions, embedded; each gets a random "today" in the year for its 1-, 7- and 30-day windows.

At each size: the rate and cost of adding the last 1,000 articles (store writes, their sentences'
vectors included as ingest writes them (scale_sentence_vectors.py), against the time embedding their
chunks and sentences would take at the rates measured on them), search p50/p95 (dense by each window
strategy, lexical, hybrid through the real Retriever), resident memory and disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from scale_sentence_vectors import SentenceFile, sentence_embedding_rate, sentences_in

from service.components import vector_blocks
from service.components.embedder import LocalMiniLMEmbedder
from service.components.lexical import Bm25sIndex
from service.components.store import ArticleVersion, ChromaStore, StoreWriteFailed, date_filter
from service.domain import Article, Chunk, DateRange
from service.retrieval import Retriever, SearchQuery
from service.settings import RetrievalSettings, Settings

RTQA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "rtqa-dev"
YEAR_START, DAYS, OUTLETS = dt.date(2026, 1, 1), 365, 40
CHUNK_WORDS, SAMPLE_VECTORS, NOISE = 150, 512, 0.03
EMBED_TIMED_CHUNKS = 256
WINDOWS = {"1d": 1, "7d": 7, "30d": 30}


class Corpus:
    """Real paragraphs and titles, and real vectors of a sample of them, to recombine."""

    def __init__(self, embed: Callable[[list[str]], list[list[float]]], rng: random.Random) -> None:
        articles = [json.loads(line) for line in (RTQA / "articles.jsonl").open(encoding="utf-8")]
        self.titles = [a["title"] for a in articles if a.get("title")]
        self.paragraphs = [p for a in articles for p in a["text"].split("\n") if len(p.split()) >= 20]
        sample = rng.sample(self.paragraphs, SAMPLE_VECTORS)
        self.vectors = np.asarray(embed(sample), dtype=np.float32)
        self.embed_chunks_per_s, self.embed_sentences_per_s = self._embedding_rates(embed)
        self.rng = rng
        self.next_id = 0

    def _embedding_rates(self, embed: Callable[[list[str]], list[list[float]]]) -> tuple[float, float]:
        """Chunks and sentences embedded per second, timed on the chunks of articles made as below and
        their sentences: a paragraph (about 55 words) embeds 2.2 times faster than a 150-word chunk, so
        a rate taken on paragraphs halves the time the chunks of new articles really take to embed."""
        rng = random.Random(11)  # its own: the articles drawn below stay the same
        texts: list[str] = []
        while len(texts) < EMBED_TIMED_CHUNKS:
            words = " ".join(rng.choice(self.paragraphs) for _ in range(rng.randint(8, 20))).split()
            texts += [" ".join(words[i : i + CHUNK_WORDS]) for i in range(0, len(words), CHUNK_WORDS)]
        texts = texts[:EMBED_TIMED_CHUNKS]
        embed(texts[:8])  # the first call pays for session warm-up
        started = time.perf_counter()
        embed(texts)
        chunks_per_s = EMBED_TIMED_CHUNKS / (time.perf_counter() - started)
        return chunks_per_s, sentence_embedding_rate(embed, texts)

    def articles(self, count: int) -> Iterator[ArticleVersion]:
        for _ in range(count):
            n = self.next_id
            self.next_id += 1
            day = YEAR_START + dt.timedelta(days=self.rng.randrange(DAYS))  # every size spans the year
            text = "\n\n".join(self.rng.choice(self.paragraphs) for _ in range(self.rng.randint(8, 20)))
            url = f"https://outlet{n % OUTLETS}.example/{n}"
            article = Article.build(title=self.rng.choice(self.titles), text=text, published=day, url=url)
            yield self._version(article)

    def _version(self, article: Article) -> ArticleVersion:
        words = [m.span() for m in re.finditer(r"\S+", article.text)]
        spans = [(words[i][0], words[min(i + CHUNK_WORDS, len(words)) - 1][1]) for i in range(0, len(words), CHUNK_WORDS)]
        chunks = [  # slices of the text, as the chunker's are: the store cuts chunk texts from the article
            Chunk(id=f"{article.id}-{article.content_hash[:8]}-{i:04d}", article_id=article.id, position=i,
                  start=start, end=end, text=article.text[start:end], title=article.title,
                  published=article.published, source=article.source, url=article.url,
                  content_hash=article.content_hash)
            for i, (start, end) in enumerate(spans)
        ]
        base = self.vectors[[self.rng.randrange(SAMPLE_VECTORS) for _ in chunks]]
        noisy = base + np.random.default_rng(self.next_id).normal(0, NOISE, base.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        return ArticleVersion(article, chunks, noisy.tolist())


class Timed:
    """Wraps a method to add up the seconds spent in it."""

    def __init__(self, owner: object, name: str) -> None:
        self.seconds = 0.0
        original = getattr(owner, name)

        def timed(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        setattr(owner, name, timed)


class FixedVectors:
    """The Retriever's embedder: the question's vector, already computed (2 ms each, not measured)."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        return [self.vectors[t] for t in texts]


def ingest(
    store: ChromaStore, corpus: Corpus, articles: int, sentences: SentenceFile, batch: int = 250
) -> tuple[float, int, int, float]:
    """(seconds, chunks, sentences, of those seconds the sentence file's) for new articles, written
    as the ingest pipeline writes them: the store, then each chunk's sentence vectors."""
    chunks = sentence_count = 0
    sentence_s, started, stand_in_before = 0.0, time.perf_counter(), sentences.embedder.seconds
    versions = corpus.articles(articles)
    while page := [v for _, v in zip(range(batch), versions, strict=False)]:
        try:
            store.replace_articles(page, set())
        except StoreWriteFailed as exc:  # seen once under heavy load: Chroma's "Error in compaction"
            print(f"retrying a batch after: {exc}", flush=True)
            time.sleep(5)
            store.replace_articles(page, set())  # chunk ids name their content: a retry adds nothing twice
        chunks += sum(len(v.chunks) for v in page)
        added = sentences_in([c.text for v in page for c in v.chunks])
        sentence_s += sentences.add(added)
        sentence_count += added
    stand_in_s = sentences.embedder.seconds - stand_in_before  # the random vectors' own time is not a write
    return time.perf_counter() - started - stand_in_s, chunks, sentence_count, sentence_s


def percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {"p50": round(statistics.median(values), 1), "p95": round(values[max(int(len(values) * 0.95) - 1, 0)], 1)}


Question = tuple[str, list[float], dt.date]


def measure_searches(
    store: ChromaStore, questions: list[Question], filtered_queries: int
) -> dict[str, dict[str, float]]:
    lexical = store.fts
    assert lexical is not None
    retriever = Retriever(store, lexical, FixedVectors({q: v for q, v, _ in questions}), RetrievalSettings())
    source = ["outlet3.example"]
    timings: dict[str, list[float]] = {}

    def run(name: str, call: Callable[..., object], *args: object, **kwargs: object) -> None:
        # CPU time beside wall time: on a machine shared with other work, CPU time is what the
        # search itself costs (all threads of this process; the searches here run on one).
        started, cpu = time.perf_counter(), time.process_time()
        call(*args, **kwargs)
        timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        timings.setdefault(f"{name} cpu", []).append((time.process_time() - cpu) * 1000)

    for number, (text, vector, today) in enumerate(questions):
        # Chroma's own filtered query takes seconds at scale: timed on the first few questions only.
        strategies = ["filtered", "overfetch", "scan", "auto"] if number < filtered_queries else ["overfetch", "scan", "auto"]
        run("dense", store.query, vector, 40, None)
        if number < filtered_queries:
            run("dense source filtered", store.query, vector, 40, date_filter(None, None, source), strategy="filtered")
        run("dense source", store.query, vector, 40, date_filter(None, None, source))
        run("lexical", lexical.search, text, 40, DateRange(), None)
        run("lexical source", lexical.search, text, 40, DateRange(), source)
        run("hybrid", retriever.search, SearchQuery(text, 5, DateRange()))
        for label, days in WINDOWS.items():
            window = DateRange(start=today - dt.timedelta(days=days - 1), end=today)
            where = date_filter(window.start, window.end, None)
            for strategy in strategies:
                run(f"dense {label} {strategy}", store.query, vector, 40, where, strategy=strategy)
            run(f"lexical {label}", lexical.search, text, 40, window, None)
            run(f"hybrid {label}", retriever.search, SearchQuery(text, 5, window))
    return {name: percentiles(values) for name, values in timings.items()}


def resident_mb() -> dict[str, float]:
    status = Path("/proc/self/status").read_text()
    rss_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rss_mb": round(rss_kb / 1024), "peak_rss_mb": round(peak_kb / 1024)}


def disk_mb(data: Path) -> dict[str, float]:
    def du(path: Path) -> float:
        out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=False).stdout
        return round(int(out.split()[0]) / 1024) if out else 0

    lexical = sum(p.stat().st_size for p in data.glob("lexical.sqlite3*")) / 2**20
    return {"chroma_mb": du(data / "chroma"), "lexical_mb": round(lexical)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000], help="chunks")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--filtered-queries", type=int, default=10, help="questions that also time Chroma's filter")
    parser.add_argument("--data", type=Path, default=Path("/tmp/newsdesk-bench-scale"), help="data dir, grown")
    parser.add_argument("--out", type=Path, default=Path("eval/runs/bench-scale"))
    parser.add_argument("--measure-only", action="store_true", help="only time searches over the index in --data")
    parser.add_argument("--bm25s-upto", type=int, default=100_000, help="also time a bm25s rebuild up to here")
    args = parser.parse_args()
    rng = random.Random(7)
    embedder = LocalMiniLMEmbedder(threads=2)
    corpus = Corpus(embedder.embed_batch, rng) if not args.measure_only else None
    rows = [json.loads(line) for line in (RTQA / "questions.jsonl").open(encoding="utf-8")][: args.queries]
    vectors = embedder.embed_batch([r["question"] for r in rows])
    questions = [
        (r["question"], v, YEAR_START + dt.timedelta(days=rng.randrange(30, DAYS)))
        for r, v in zip(rows, vectors, strict=True)
    ]
    store = ChromaStore(Settings(data_dir=args.data, lexical={"engine": "fts5"}))
    assert store.fts is not None
    fts_writes = [Timed(store.fts, "add_chunks"), Timed(store.fts, "keep_versions")]
    block_writes = [Timed(vector_blocks, "append"), Timed(vector_blocks, "remove")]  # inside fts_writes
    chroma_writes = {"chunks": Timed(store.chunks, "add"), "articles": Timed(store.articles, "upsert")}
    sentences = SentenceFile(args.data / "sentence_vectors.sqlite3")
    if corpus:  # a grown --data goes on growing: articles it holds are not written again (same ids)
        corpus.next_id = store.count_articles()
        print(f"sentence vectors filled in {sentences.fill_to(store.count_chunks()):.0f} s", flush=True)
    results = {
        "embed_chunks_per_s": round(corpus.embed_chunks_per_s, 1) if corpus else None,
        "embed_sentences_per_s": round(corpus.embed_sentences_per_s, 1) if corpus else None,
        "sizes": {},
    }
    for size in args.sizes:
        if args.measure_only:  # searches over the index as it is in --data, with the code as it is now
            row: dict[str, object] = {"chunks": store.count_chunks(), "search_ms": measure_searches(store, questions, args.filtered_queries)}
            row.update(resident_mb())
            row.update(disk_mb(args.data))
            print(json.dumps(row), flush=True)
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "scale-measured.json").write_text(json.dumps(row, indent=2))
            return
        assert corpus is not None
        fts_before = sum(t.seconds for t in fts_writes)
        grow_s = 0.0
        while store.count_chunks() < size - 6_000:  # the last ~1,000 articles are timed on their own below
            grow_s += ingest(store, corpus, 2_000, sentences)[0]
        fts_mark, blocks_mark = sum(t.seconds for t in fts_writes), sum(t.seconds for t in block_writes)
        chroma_marks = {name: t.seconds for name, t in chroma_writes.items()}
        update_s, update_chunks, update_sentences, sentence_s = ingest(store, corpus, 1_000, sentences)
        fts_update_s = sum(t.seconds for t in fts_writes) - fts_mark
        row = {
            "chunks": store.count_chunks(),
            "grow_s": round(grow_s, 1),
            "lexical_incremental_build_s": round(fts_mark - fts_before, 1),
            "add_1000_articles": {
                "chunks": update_chunks, "store_write_s": round(update_s, 1),
                "of_which_lexical_s": round(fts_update_s, 1),
                "of_which_vector_blocks_s": round(sum(t.seconds for t in block_writes) - blocks_mark, 1),
                **{f"of_which_chroma_{name}_s": round(t.seconds - chroma_marks[name], 1)
                   for name, t in chroma_writes.items()},
                "sentences": update_sentences,
                "of_which_sentence_vectors_s": round(sentence_s, 1),
                "chunk_embedding_would_take_s": round(update_chunks / corpus.embed_chunks_per_s, 1),
                "embedding_would_take_s": round(
                    update_chunks / corpus.embed_chunks_per_s + update_sentences / corpus.embed_sentences_per_s, 1
                ),
            },
        }
        if size <= args.bm25s_upto:
            started = time.perf_counter()
            Bm25sIndex(store).refresh()
            row["bm25s_rebuild_s"] = round(time.perf_counter() - started, 1)
        row["search_ms"] = measure_searches(store, questions, args.filtered_queries)
        row.update(resident_mb())
        row.update(disk_mb(args.data))
        results["sizes"][str(size)] = row  # type: ignore[index]
        print(json.dumps(row), flush=True)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "scale.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
