"""Evidence -> the numbered sources of a prompt: one source per article.

Evidence comes from up to ten chunks, and two or three of them are often one article's. Shown
as separate sources, each repeats the article's title, outlet and date (about 30 tokens of
prefill each on a CPU) and splits one story in two: the small model read "[1] the dockworkers
went on strike" and "[4] the walkout is the first strike since 2011" as two stories. Grouped,
the article's sentences read under one header (best first, or in article order: `evidence_order`),
and the answer cites the article once. Verification gets the article's chunks joined the same way, so a claim is still
checked against every retrieved word of the article.
"""

from __future__ import annotations

from service.domain import Passage

EVIDENCE_SEPARATOR = " … "
# Between two chunks of one article that do not touch: a paragraph break, so no sentence spans it.
GAP_SEPARATOR = "\n\n"


def by_article(passages: list[Passage]) -> list[list[Passage]]:
    """The passages grouped by article, the groups in the order of each article's first passage."""
    groups: dict[str, list[Passage]] = {}
    for passage in passages:
        groups.setdefault(passage.chunk.article_id, []).append(passage)
    return list(groups.values())


def joined_evidence(group: list[Passage], best_first: bool = False) -> Passage:
    """One article's evidence as one source: its excerpts in article order (with best_first, in the
    order the evidence ranks them), under the id and score of its best (first) passage."""
    best = group[0]
    ordered = group if best_first else sorted(group, key=lambda p: p.chunk.start)
    text = EVIDENCE_SEPARATOR.join(p.chunk.text for p in ordered)
    chunk = best.chunk.model_copy(update={"text": text, "start": min(p.chunk.start for p in ordered),
                                          "end": max(p.chunk.end for p in ordered)})
    return best.model_copy(update={"chunk": chunk})


def joined_chunks(group: list[Passage]) -> Passage:
    """Whole chunks of one article as one passage: overlapping or adjacent chunks stitched at their
    offsets (the text is then the article's own slice), chunks apart joined by a paragraph break.
    The id and score are the first passage's."""
    ordered = sorted(group, key=lambda p: p.chunk.start)
    first = ordered[0].chunk
    text, end = first.text, first.end
    for passage in ordered[1:]:
        chunk = passage.chunk
        if chunk.start <= end:
            text += chunk.text[end - chunk.start :]
        else:
            text += GAP_SEPARATOR + chunk.text
        end = max(end, chunk.end)
    merged = group[0].chunk.model_copy(update={"text": text, "start": first.start, "end": end})
    return group[0].model_copy(update={"chunk": merged})


def article_sources(
    evidence: list[Passage], retrieved: list[Passage], best_first: bool = False
) -> list[tuple[Passage, Passage]]:
    """Each article's evidence as one source, with the whole chunks it came from stitched into the
    passage that source's citations are verified against; in the order the evidence ranks them."""
    whole = {p.chunk.id: p for p in retrieved}
    return [(joined_evidence(group, best_first), joined_chunks([whole[p.chunk.id] for p in group]))
            for group in by_article(evidence)]
