"""The `newsdesk` command: a thin door into the same pipelines the API uses."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from service.domain import Answer
from service.settings import Settings
from service.wiring import Services

Handler = Callable[[argparse.Namespace, Services], int]
_COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _COMMANDS[name] = handler
        return handler

    return register


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))  # noqa: T201


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="ingest article files and folders")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")

    search = sub.add_parser("search", help="top passages for a query")
    search.add_argument("query")
    search.add_argument("--from", dest="date_from", type=_date)
    search.add_argument("--to", dest="date_to", type=_date)
    search.add_argument("--source", action="append", dest="sources")
    search.add_argument("-k", type=int, default=10)
    search.add_argument("--json", action="store_true")

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--ingest",
        type=Path,
        action="append",
        default=[],
        help="ingest these paths before serving (e.g. the samples)",
    )

    ask = sub.add_parser("ask", help="answer a question with verified citations")
    ask.add_argument("question")
    ask.add_argument("--as-of", type=_date)
    ask.add_argument("--from", dest="date_from", type=_date)
    ask.add_argument("--to", dest="date_to", type=_date)
    ask.add_argument("--source", action="append", dest="sources")
    ask.add_argument("-k", type=int)
    ask.add_argument("--json", action="store_true")

    summarize = sub.add_parser("summarize", help="summarize an article (--id) or a query")
    summarize.add_argument("query", nargs="?")
    summarize.add_argument("--id", dest="article_id")
    summarize.add_argument("--as-of", type=_date)
    summarize.add_argument("--from", dest="date_from", type=_date)
    summarize.add_argument("--to", dest="date_to", type=_date)
    summarize.add_argument("--source", action="append", dest="sources")
    summarize.add_argument("--sentences", type=int, default=4)
    summarize.add_argument("--json", action="store_true")

    models = sub.add_parser("models", help="local model presets")
    models.add_argument("action", choices=["list", "packages", "prepare"])
    models.add_argument("preset", nargs="?")
    return parser


@command("ingest")
def run_ingest(args: argparse.Namespace, services: Services) -> int:
    from tqdm import tqdm

    bar = tqdm(total=0, unit="article", disable=args.json or not sys.stderr.isatty(), file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    report = services.ingestor.ingest_paths(args.paths, progress)
    bar.close()
    if args.json:
        _print_json(report.as_dict())
    else:
        print(  # noqa: T201
            f"ingested {report.ingested}, updated {report.updated}, unchanged {report.unchanged}, "
            f"failed {len(report.failed)} ({report.chunks_added} chunks embedded)"
        )
        for failure in report.failed:
            where = f"{failure.path}:{failure.line}" if failure.line else failure.path
            print(f"  {where}: {failure.error}", file=sys.stderr)  # noqa: T201
    return 1 if report.failed and not (report.ingested or report.updated or report.unchanged) else 0


@command("search")
def run_search(args: argparse.Namespace, services: Services) -> int:
    from service.api.routes.search import passage_out
    from service.domain import DateRange
    from service.retrieval import SearchQuery

    query = SearchQuery(args.query, args.k, DateRange(start=args.date_from, end=args.date_to), args.sources)
    passages = [passage_out(p).model_dump(mode="json") for p in services.retriever.search(query)]
    if args.json:
        _print_json(passages)
    else:
        for rank, p in enumerate(passages, start=1):
            print(f"{rank:2d}. {p['score']:.4f} {p['published_at']} {p['source']}: {p['title']}")  # noqa: T201
            print(f"    {p['text'][:200]}")  # noqa: T201
    return 0


@command("serve")
def run_serve(args: argparse.Namespace, services: Services) -> int:
    import uvicorn

    from service.api.app import create_app

    if args.ingest:
        report = services.ingestor.ingest_paths(args.ingest)
        print(f"ingested {report.as_dict()}", file=sys.stderr)  # noqa: T201
    settings = services.settings
    uvicorn.run(
        create_app(services=services),
        host=args.host or settings.api.host,
        port=args.port or settings.api.port,
    )
    return 0


def _print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        _print_json(answer.model_dump(mode="json"))
        return
    print(answer.answer)  # noqa: T201
    for citation in answer.citations or answer.closest_passages:
        print(f"  [{citation.n}] {citation.source}, {citation.published_at}: {citation.title}")  # noqa: T201
        print(f"      \"{citation.quote}\"")  # noqa: T201


@command("ask")
def run_ask(args: argparse.Namespace, services: Services) -> int:
    from service.answering import AskRequest

    request = AskRequest(args.question, args.as_of, args.date_from, args.date_to, args.sources, args.k)
    _print_answer(services.answerer.ask(request), args.json)
    return 0


@command("summarize")
def run_summarize(args: argparse.Namespace, services: Services) -> int:
    from service.summarizing import SummaryRequest

    if bool(args.article_id) == bool(args.query):
        raise ValueError("give exactly one of --id or a query")
    request = SummaryRequest(
        args.article_id, args.query, args.as_of, args.date_from, args.date_to, args.sources, args.sentences
    )
    _print_answer(services.summarizer.summarize(request), args.json)
    return 0


@command("models")
def run_models(args: argparse.Namespace, services: Services) -> int:
    from service.components.model_presets import PRESETS, resolve_preset

    if args.action == "list":
        for preset in PRESETS.values():
            print(f"{preset.name:14s} {preset.provenance}")  # noqa: T201
        return 0
    preset_name = args.preset or services.settings.llm.preset
    if preset_name not in PRESETS:
        raise ValueError(f"unknown preset {preset_name!r}; known: {', '.join(PRESETS)}")
    if args.action == "packages":
        print(" ".join(PRESETS[preset_name].packages))  # noqa: T201
        return 0
    path = resolve_preset(preset_name, Path(services.settings.data_dir) / "models")
    print(f"{preset_name}: {path} (SHA-256 checked)")  # noqa: T201
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    services = Services(Settings())
    try:
        return _COMMANDS[args.command](args, services)
    except (RuntimeError, ValueError, LookupError) as exc:
        print(f"newsdesk {args.command}: {exc}", file=sys.stderr)  # noqa: T201
        return 2


if __name__ == "__main__":
    sys.exit(main())
