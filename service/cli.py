"""The `newsdesk` command: a thin door into the same pipelines the API uses."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
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

    digest = sub.add_parser("digest", help="the day's stories with cited sentences")
    digest.add_argument("--date", type=_date, required=True)
    digest.add_argument("--source", action="append", dest="sources")
    digest.add_argument("--max-stories", type=int, default=5)
    digest.add_argument("--markdown", action="store_true")

    evaluation = sub.add_parser("eval", help="run or compare evaluations")
    eval_sub = evaluation.add_subparsers(dest="eval_command", required=True)
    eval_run = eval_sub.add_parser("run", help="answer a question set and score it")
    eval_run.add_argument("--set", dest="question_set", default="fixed",
                          help="'fixed' (eval/) or a folder with articles.jsonl and questions.jsonl")
    eval_run.add_argument("--limit", type=int)
    eval_run.add_argument("--model", help="local model preset for this run")
    eval_run.add_argument("--oracle", action="store_true", help="also answer from the gold passages")
    eval_run.add_argument("--out", type=Path, required=True)
    eval_run.add_argument("--index", type=Path, help="data dir of an index to reuse (default: one per corpus)")
    eval_compare = eval_sub.add_parser("compare", help="what changed between two runs")
    eval_compare.add_argument("a", type=Path)
    eval_compare.add_argument("b", type=Path)

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
    if report.store_error:
        print(f"error: {report.store_error}", file=sys.stderr)  # noqa: T201
        return 2
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
    from service.api.logs import configure_logging

    settings = services.settings
    configure_logging(settings.api.log_format)
    log = logging.getLogger("newsdesk.serve")
    if args.ingest:
        report = services.ingestor.ingest_paths(args.ingest)
        log.info("ingested before serving: %s", json.dumps(report.as_dict()))
    host = args.host or settings.api.host
    if not settings.api.keys and host not in {"127.0.0.1", "localhost", "::1"}:
        log.warning("no API keys configured: binding to 127.0.0.1 instead of %s", host)
        host = "127.0.0.1"
    elif not settings.api.keys:
        log.warning("no API keys configured: serving on loopback only, without keys")
    # uvicorn's loggers go through the same root handler (log_config=None); its access line is
    # off because the app logs one line per request with the request id, route and caller.
    uvicorn.run(
        create_app(services=services),
        host=host,
        port=args.port or settings.api.port,
        log_config=None,
        access_log=False,
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


@command("digest")
def run_digest(args: argparse.Namespace, services: Services) -> int:
    from service.digest import digest_markdown

    digest = services.digests.digest(args.date, args.sources, args.max_stories)
    if args.markdown:
        print(digest_markdown(digest))  # noqa: T201
    else:
        _print_json(digest.model_dump(mode="json"))
    return 0


@command("eval")
def run_eval(args: argparse.Namespace, services: Services) -> int:
    from service.evaluation.report import compare, write_report

    if args.eval_command == "compare":
        print(compare(args.a, args.b))  # noqa: T201
        return 0
    from tqdm import tqdm

    from service.evaluation.judge import CitationJudge
    from service.evaluation.questions import load_question_set
    from service.evaluation.runner import EvalRunner

    qset = load_question_set(args.question_set)
    settings = services.settings
    update: dict[str, Any] = {"data_dir": args.index or Path(settings.data_dir) / "eval" / qset.corpus_hash}
    if args.model:
        update["llm"] = settings.llm.model_copy(update={"preset": args.model})
    eval_services = Services(settings.model_copy(update=update))
    report = eval_services.ingestor.ingest_paths(qset.corpus)
    print(f"corpus {qset.corpus_hash}: {report.as_dict()['ingested']} new, {report.unchanged} unchanged, "  # noqa: T201
          f"{len(report.failed)} failed", file=sys.stderr)
    bar = tqdm(total=len(qset.questions[: args.limit]), unit="question", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.n = done
        bar.refresh()

    judge = CitationJudge.from_settings(settings)
    if judge:
        print(f"citations also judged by {judge.name} at {settings.eval.judge_base_url}", file=sys.stderr)  # noqa: T201
    runner = EvalRunner(eval_services, qset, args.out, oracle=args.oracle, judge=judge)
    records = runner.run(args.limit, progress)
    bar.close()
    summary = write_report(args.out, records)
    _print_json(summary["overall"] | ({"oracle": summary["oracle"]} if "oracle" in summary else {}))
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
    path = resolve_preset(preset_name, services.settings.models_dir)
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
