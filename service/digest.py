"""Daily digest: the day's articles grouped into stories, each summarized with verified citations.

Grouping: near-identical texts (syndicated copies) collapse first; then articles about the same
event join when their vectors are close and they share a name. Stories are ranked by outlets,
articles and recency; only the top ones are summarized, one short model call each, over the few
sentences of their leads that best match the headline.
A digest is cached under the day's fingerprint (its articles' ids and content hashes), so any
new or updated article of that day invalidates it by construction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, model_validator

from service.chunking import article_chunks
from service.citations import citations_for, cited_text
from service.components.store import ChromaStore
from service.domain import Article, Citation, Passage
from service.evidence import SentenceScorer, select_evidence
from service.settings import Settings
from service.stories import group_stories
from service.summarizing import PassageSummary, Summarizer
from service.text import content_words
from service.tokens import count_tokens

# A story sharing this share of its words with yesterday's is a follow-up, not a new story.
FOLLOW_UP_WORD_SHARE = 0.3


class StoryArticle(BaseModel):
    id: str
    title: str
    source: str
    url: str | None
    duplicate_of: str | None = Field(None, description="Set when this is a near-copy of another article.")


class StorySentence(BaseModel):
    text: str
    citations: list[int]
    verified: bool = Field(description="False: no passage supports it; shown struck out, never as fact.")

    @model_validator(mode="before")
    @classmethod
    def _verified_from_citations(cls, data: Any) -> Any:
        # Digests cached before this field existed: a cited sentence was a verified one.
        if isinstance(data, dict) and "verified" not in data:
            return {**data, "verified": bool(data.get("citations"))}
        return data


class Story(BaseModel):
    headline: str
    outlets: int
    articles: list[StoryArticle]
    sentences: list[StorySentence]
    citations: list[Citation]
    new_since_previous_day: str | None = None


class Digest(BaseModel):
    date: dt.date
    stories: list[Story]
    total_stories: int
    message: str | None = None
    fingerprint: str
    timings: dict[str, float]


class DigestBuilder:
    def __init__(
        self, settings: Settings, store: ChromaStore, summarizer: Summarizer,
        sentence_scorer: SentenceScorer | None = None,
    ) -> None:
        self._settings = settings
        self._store = store
        self._summarizer = summarizer
        self._sentence_scorer = sentence_scorer
        self._cache_dir = Path(settings.data_dir) / "digests"

    def fingerprint(self, articles: Sequence[Article], sources: Sequence[str] | None, max_stories: int) -> str:
        basis = json.dumps([sorted((a.id, a.content_hash) for a in articles), sorted(sources or []), max_stories])
        return hashlib.sha256(basis.encode()).hexdigest()[:16]

    def digest(self, day: dt.date, sources: Sequence[str] | None = None, max_stories: int = 5) -> Digest:
        started = time.perf_counter()
        articles = self._store.list_articles(day, day, sources)
        fingerprint = self.fingerprint(articles, sources, max_stories)
        cache_file = self._cache_dir / f"{day.isoformat()}-{fingerprint}.json"
        if cache_file.exists():
            return Digest.model_validate_json(cache_file.read_text())
        if not articles:
            return Digest(date=day, stories=[], total_stories=0, fingerprint=fingerprint, timings={},
                          message=f"No articles were published on {day.isoformat()}.")
        clusters, duplicates = group_stories(articles, self._store.article_vectors([a.id for a in articles]))
        clusters.sort(key=lambda c: (-len({articles[i].source for i in c}), -len(c), articles[c[0]].title))
        previous = self._previous_digest(day, sources, max_stories)
        stories = [self._story(articles, c, duplicates, day, previous) for c in clusters[:max_stories]]
        digest = Digest(
            date=day, stories=stories, total_stories=len(clusters), fingerprint=fingerprint,
            timings={"total_ms": round((time.perf_counter() - started) * 1000, 1)},
        )
        self._cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cache_file.with_suffix(".part")
        partial.write_text(digest.model_dump_json())
        partial.replace(cache_file)
        return digest

    def _previous_digest(self, day: dt.date, sources: Sequence[str] | None, max_stories: int) -> Digest | None:
        yesterday = day - dt.timedelta(days=1)
        articles = self._store.list_articles(yesterday, yesterday, sources)
        cache_file = self._cache_dir / f"{yesterday.isoformat()}-{self.fingerprint(articles, sources, max_stories)}.json"
        return Digest.model_validate_json(cache_file.read_text()) if cache_file.exists() else None

    def _story(
        self, articles: Sequence[Article], cluster: list[int], duplicates: dict[int, int], day: dt.date,
        previous: Digest | None,
    ) -> Story:
        members = [articles[i] for i in cluster]
        distinct = [articles[i] for i in cluster if i not in duplicates]
        headline = max(distinct, key=lambda a: len(a.text)).title
        summary = self._summarize(distinct, headline, day)
        verification = summary.verification
        citations = citations_for(verification, summary.passages)
        sentences = [StorySentence(text=s.text, citations=s.citations, verified=s.verified) for s in verification.sentences]
        story = Story(
            headline=headline,
            outlets=len({a.source for a in members}),
            articles=[
                StoryArticle(id=a.id, title=a.title, source=a.source, url=a.url,
                             duplicate_of=articles[duplicates[i]].id if i in duplicates else None)
                for i, a in zip(cluster, members, strict=True)
            ],
            sentences=sentences,
            citations=citations,
        )
        story.new_since_previous_day = self._what_is_new(story, previous)
        return story

    def _summarize(self, distinct: Sequence[Article], headline: str, day: dt.date) -> PassageSummary:
        """One short model call: the model reads the sentences of the articles' leads that best match
        the headline (the evidence selector answers use, within `digest.evidence_tokens`); each
        sentence it writes is verified against the whole lead it cites."""
        options = self._settings.digest
        leads = [Passage(chunk=article_chunks(a, self._settings.chunking)[0], score=1.0)
                 for a in distinct[: options.lead_articles]]
        budget = self._settings.retrieval.model_copy(update={"evidence": "sentences",
                                                             "evidence_tokens": options.evidence_tokens})
        evidence = select_evidence(headline, leads, budget, count_tokens, self._sentence_scorer) or leads[:1]
        return self._summarizer.summarize_evidence(
            evidence, leads, day, options.sentences_per_story, options.max_tokens
        )

    @staticmethod
    def _what_is_new(story: Story, previous: Digest | None) -> str | None:
        """One cited line when the same story ran yesterday: today's sentence least like yesterday's."""
        if previous is None or not story.sentences:
            return None
        today_words = content_words(story.headline + " " + " ".join(s.text for s in story.sentences))
        for earlier in previous.stories:
            earlier_words = content_words(earlier.headline + " " + " ".join(s.text for s in earlier.sentences))
            if len(today_words & earlier_words) / max(len(today_words), 1) >= FOLLOW_UP_WORD_SHARE:
                fresh = min(story.sentences, key=lambda s: len(content_words(s.text) & earlier_words))
                return cited_text(fresh.text, fresh.citations)
        return None


def digest_markdown(digest: Digest) -> str:
    lines = [f"# News digest for {digest.date.isoformat()}", ""]
    if digest.message:
        return "\n".join([*lines, digest.message, ""])
    for number, story in enumerate(digest.stories, start=1):
        lines += [f"## {number}. {story.headline}", f"*{len(story.articles)} articles, {story.outlets} outlets*", ""]
        lines += [cited_text(s.text, s.citations) for s in story.sentences if s.verified]
        if story.new_since_previous_day:
            lines += ["", f"**New since yesterday:** {story.new_since_previous_day}"]
        lines += [""] + [f"[{c.n}] {c.source}: [{c.title}]({c.url or ''}) \"{c.quote}\"" for c in story.citations]
        lines.append("")
    return "\n".join(lines)
