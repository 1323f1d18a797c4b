"""`newsdesk feeds add|list|remove|poll`: the command line's door into the feed registry and poller."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from service.feeds.fetching import FetchFailed, check_url
from service.feeds.registry import FeedState
from service.wiring import Services

Output = Callable[[bool, Any, str], None]


def _feed_line(feed: FeedState) -> str:
    when = feed.last_success.isoformat(timespec="minutes") if feed.last_success else "never"
    line = (f"{feed.id}  {feed.url}\n    source {feed.source or '(page domain)'}, last success {when}, "
            f"{feed.entries_seen} entries seen, {feed.articles_ingested} articles ingested")
    if feed.last_error:
        line += f"\n    last error ({feed.consecutive_failures} in a row): {feed.last_error}"
    return line


def feeds_command(args: argparse.Namespace, services: Services, output: Output) -> int:
    registry = services.feed_registry
    if args.action == "list":
        feeds = registry.all()
        output(args.json, [f.model_dump(mode="json") for f in feeds],
               "\n".join(_feed_line(f) for f in feeds) or "no feeds (add one: newsdesk feeds add URL)")
        return 0
    if args.action == "poll":
        report = services.feed_poller.poll(force=args.all)
        lines = [f"{r.url}: {r.outcome}" + (f" ({r.error})" if r.error else
                 f", {r.entries} entries, {r.new_entries} new, {r.ingested} ingested, {r.updated} updated")
                 for r in report.feeds]
        output(args.json, report.as_dict(),
               "\n".join([*lines, f"polled {len(report.feeds)} feeds in {report.seconds:.1f} s"]))
        failed = [r for r in report.feeds if r.outcome == "failed"]
        return 1 if failed and len(failed) == len(report.feeds) else 0
    if not args.url:
        raise ValueError(f"feeds {args.action} needs a URL")
    if args.action == "add":
        try:
            url = check_url(args.url, services.settings.feeds.allow_private_addresses)
        except FetchFailed as exc:
            raise ValueError(str(exc)) from None
        state, created = registry.add(url, args.source)
        output(args.json, state.model_dump(mode="json"),
               f"{'added' if created else 'already polled; source updated'}: {state.id} {state.url}")
        return 0
    feed = registry.find(args.url)
    if feed is None or not registry.remove(feed.url):
        print(f"no feed {args.url!r} (see: newsdesk feeds list)", file=sys.stderr)  # noqa: T201
        return 1
    output(args.json, {"removed": feed.url}, f"removed {feed.url} (its articles stay in the index)")
    return 0
