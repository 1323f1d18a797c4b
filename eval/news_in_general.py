"""Questions about no story in particular ("What happened yesterday?"): how many of the day's
stories the prompt's sources cover, and with --answer how many the verified answer tells.

    .venv/bin/python eval/news_in_general.py --index eval/runs/fixed-index [--answer]

For each day of the fixed corpus but its first, asks "What happened yesterday?" the day after and
"What's the news today?" that day. The day's stories are the digest's grouping of its articles
(`service/stories.py`); a source or a cited passage counts for the story its article belongs to.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from service.answering import AskRequest
from service.settings import Settings
from service.stories import group_stories
from service.wiring import Services

DAYS = [dt.date(2026, 3, day) for day in (3, 4, 5, 6)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True, help="a data dir holding the fixed corpus")
    parser.add_argument("--answer", action="store_true", help="also answer with the model and count stories told")
    args = parser.parse_args()
    services = Services(Settings().model_copy(update={"data_dir": args.index}))
    totals = {"stories": 0, "sources": 0, "source_stories": 0, "told": 0, "sentences": 0}
    for day in DAYS:
        articles = services.store.list_articles(day, day)
        clusters, _ = group_stories(articles, services.store.article_vectors([a.id for a in articles]))
        story_of = {articles[i].id: n for n, cluster in enumerate(clusters) for i in cluster}
        for question, as_of in (("What happened yesterday?", day + dt.timedelta(days=1)),
                                ("What's the news today?", day),
                                ("What happened in Harborview yesterday?", day + dt.timedelta(days=1))):
            request = AskRequest(question=question, as_of=as_of)
            passages, window, today = services.answerer.retrieve(request)
            _, numbered = services.answerer.prompt(request, passages, window, today)
            stories = {story_of.get(p.chunk.article_id) for p in numbered} - {None}
            line = (f"{day} {question!r}: {len(clusters)} stories that day; {len(numbered)} sources, "
                    f"{len(stories)} distinct stories")
            totals["stories"] += len(clusters)
            totals["sources"] += len(numbered)
            totals["source_stories"] += len(stories)
            if args.answer:
                answer = services.answerer.ask(request)
                cited = {story_of.get(c.article_id) for c in answer.citations} - {None}
                kept = [s for s in answer.sentences if s.verified]
                line += f"; answer: {len(kept)} verified sentences telling {len(cited)} stories"
                totals["told"] += len(cited)
                totals["sentences"] += len(kept)
                print("   ", answer.answer)
            print(line)
    print(" ".join(f"{key}={value}" for key, value in totals.items()))


if __name__ == "__main__":
    main()
