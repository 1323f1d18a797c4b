"""One numbered source per article: its evidence under one header, its chunks joined for verification."""

from __future__ import annotations

import datetime as dt

from service.article_sources import article_sources, by_article, joined_chunks, joined_evidence
from service.domain import Chunk, Passage

ARTICLE = (
    "Dockworkers at the port went on strike on Monday. The union seeks a 9 percent rise. "
    "Castellan has offered 4 percent.\n\nThe port handled 2.6 million containers last year. "
    "The walkout is the first strike since 2011."
)
STRIKE = (0, ARTICLE.index(" The union"))  # "Dockworkers ... went on strike on Monday."
CONTAINERS = (ARTICLE.index("The port"), ARTICLE.index(" The walkout"))


def passage(article_id: str, start: int, end: int, score: float = 1.0, text: str | None = None) -> Passage:
    chunk = Chunk(
        id=f"{article_id}-{start}", article_id=article_id, position=0, start=start, end=end,
        text=ARTICLE[start:end] if text is None else text, title=f"Story {article_id}",
        published=dt.date(2026, 3, 2), source=f"{article_id}.example", url=None, content_hash="1" * 64,
    )
    return Passage(chunk=chunk, score=score)


def test_passages_group_by_article_in_the_order_each_article_first_ranks() -> None:
    ranked = [passage("a", 0, 49), passage("b", 0, 10), passage("a", 120, 170), passage("c", 0, 10)]
    groups = by_article(ranked)
    assert [[p.chunk.id for p in g] for g in groups] == [["a-0", "a-120"], ["b-0"], ["c-0"]]


def test_evidence_of_one_article_reads_in_article_order_under_the_best_passage() -> None:
    later = passage("a", *CONTAINERS, score=3.0)
    earlier = passage("a", *STRIKE, score=2.0)
    joined = joined_evidence([later, earlier])
    assert joined.chunk.text == f"{ARTICLE[slice(*STRIKE)]} … {ARTICLE[slice(*CONTAINERS)]}"
    assert joined.chunk.id == later.chunk.id and joined.score == 3.0


def test_overlapping_chunks_stitch_into_the_articles_own_slice() -> None:
    whole = joined_chunks([passage("a", 50, 140), passage("a", 0, 90)])
    assert whole.chunk.text == ARTICLE[0:140]
    assert (whole.chunk.start, whole.chunk.end) == (0, 140)


def test_a_chunk_inside_another_adds_nothing() -> None:
    assert joined_chunks([passage("a", 0, 140), passage("a", 20, 60)]).chunk.text == ARTICLE[0:140]


def test_chunks_apart_join_at_a_paragraph_break() -> None:
    whole = joined_chunks([passage("a", *STRIKE), passage("a", *CONTAINERS)])
    assert whole.chunk.text == f"{ARTICLE[slice(*STRIKE)]}\n\n{ARTICLE[slice(*CONTAINERS)]}"


def test_each_source_pairs_its_evidence_with_the_whole_chunks_it_came_from() -> None:
    retrieved = [passage("a", 0, 90), passage("b", 0, 30), passage("a", 80, 176)]
    # Evidence keeps its chunk's id and carries only the chosen sentences: CONTAINERS is from chunk a-80.
    evidence = [passage("a", *STRIKE), passage("b", 0, 30), passage("a", *CONTAINERS)]
    evidence[2] = evidence[2].model_copy(update={"chunk": evidence[2].chunk.model_copy(update={"id": "a-80"})})
    sources = article_sources(evidence, retrieved)
    assert [shown.chunk.article_id for shown, _ in sources] == ["a", "b"]
    shown, full = sources[0]
    assert shown.chunk.text == f"{ARTICLE[slice(*STRIKE)]} … {ARTICLE[slice(*CONTAINERS)]}"
    assert full.chunk.text == ARTICLE[0:176]  # chunks 0-90 and 80-176, stitched at their overlap
