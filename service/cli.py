"""The `newsdesk` command: a thin door into the same pipelines the API uses."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.cli_parser import build_parser
from service.domain import Answer
from service.settings import Settings
from service.wiring import Services

if TYPE_CHECKING:
    from service.digest import Digest

Handler = Callable[[argparse.Namespace, Services], int]
_COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _COMMANDS[name] = handler
        return handler

    return register


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))  # noqa: T201


def _output(as_json: bool, data: Any, text: str) -> None:
    """--json: the data as JSON; otherwise the text a person reads."""
    if as_json:
        _print_json(data)
    elif text:
        print(text)  # noqa: T201


def _bar(unit: str, total: int = 0, show: bool | None = None) -> tuple[Any, Callable[[int, int], None]]:
    """A progress bar on stderr (by default only when stderr is a terminal) and the callback that moves it."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if show is None else show
    bar = tqdm(total=total, unit=unit, disable=not show, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return bar, progress


@command("ingest")
def run_ingest(args: argparse.Namespace, services: Services) -> int:
    from service.feeds.pages import ingest_urls
    from service.ingest.pipeline import IngestReport

    if not args.paths and not args.urls:
        raise ValueError("give article files or folders, or --url")
    bar, progress = _bar("article", show=False if args.json else None)
    report = services.ingestor.ingest_paths(args.paths, progress) if args.paths else IngestReport()
    bar.close()
    if args.urls:
        report = ingest_urls(services.fetcher, services.ingestor, args.urls, report, services.settings.feeds.workers)
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


@command("feeds")
def run_feeds(args: argparse.Namespace, services: Services) -> int:
    from service.cli_feeds import feeds_command

    return feeds_command(args, services, _output)


@command("search")
def run_search(args: argparse.Namespace, services: Services) -> int:
    from service.domain import DateRange
    from service.retrieval import SearchQuery

    query = SearchQuery(args.query, args.k, DateRange(start=args.date_from, end=args.date_to), args.sources)
    passages = [p.as_record() for p in services.retriever.search(query)]
    _output(args.json, passages, "\n".join(
        f"{rank:2d}. {p['score']:.4f} {p['published_at']} {p['source']}: {p['title']}\n    {str(p['text'])[:200]}"
        for rank, p in enumerate(passages, start=1)
    ))
    return 0


@command("serve")
def run_serve(args: argparse.Namespace, services: Services) -> int:
    import uvicorn

    from service.api.app import create_app
    from service.api.logs import configure_logging
    from service.api.security import serve_host

    settings = services.settings
    configure_logging("json" if args.json else settings.api.log_format)
    log = logging.getLogger("newsdesk.serve")
    if args.ingest:
        bar, progress = _bar("article")
        report = services.ingestor.ingest_paths(args.ingest, progress)
        bar.close()
        log.info("ingested before serving: %s", json.dumps(report.as_dict()))
    host = serve_host(settings, args.host)
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

    request = AskRequest(question=args.question, as_of=args.as_of, date_from=args.date_from,
                         date_to=args.date_to, sources=args.sources, k=args.k)
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

    if args.json and args.markdown:
        raise ValueError("give --json or --markdown, not both")
    digest = services.digests.digest(args.date, args.sources, args.max_stories)
    if args.json:
        _print_json(digest.model_dump(mode="json"))
    elif args.markdown:
        print(digest_markdown(digest))  # noqa: T201
    else:
        _print_digest(digest)
    return 0


def _print_digest(digest: Digest) -> None:
    # Like the Markdown digest, for a terminal: verified sentences only, each with its [n] markers.
    print(f"News digest for {digest.date.isoformat()}")  # noqa: T201
    if digest.message:
        print(digest.message)  # noqa: T201
    for number, story in enumerate(digest.stories, start=1):
        print(f"\n{number}. {story.headline} ({len(story.articles)} articles, {story.outlets} outlets)")  # noqa: T201
        for sentence in story.sentences:
            if sentence.verified:
                print(f"   {sentence.text} " + "".join(f"[{n}]" for n in sentence.citations))  # noqa: T201
        if story.new_since_previous_day:
            print(f"   New since yesterday: {story.new_since_previous_day}")  # noqa: T201
        for citation in story.citations:
            print(f"   [{citation.n}] {citation.source}, {citation.published_at}: {citation.title}")  # noqa: T201


@command("eval compare")
def run_eval_compare(args: argparse.Namespace, services: Services) -> int:
    from service.evaluation.report import compare

    text = compare(args.a, args.b)
    _output(args.json, {"a": str(args.a), "b": str(args.b), "lines": text.splitlines()}, text)
    return 0


@command("eval run")
def run_eval_run(args: argparse.Namespace, services: Services) -> int:
    from service.evaluation.judge import CitationJudge
    from service.evaluation.questions import load_question_set, only_questions
    from service.evaluation.report import write_report
    from service.evaluation.runner import EvalRunner

    qset = only_questions(load_question_set(args.question_set), args.only)
    settings = services.settings
    eval_services = _indexed_services(settings, qset, args.index, args.model)
    judge = CitationJudge.from_settings(settings)
    if judge:
        print(f"citations also judged by {judge.name} at {settings.eval.judge_base_url}", file=sys.stderr)  # noqa: T201
    runner = EvalRunner(eval_services, qset, args.out, oracle=args.oracle, judge=judge)
    bar, progress = _bar("question", len(qset.questions[: args.limit]), show=True)
    records = runner.run(args.limit, progress)
    bar.close()
    summary = write_report(args.out, records)
    overall = summary["overall"] | ({"oracle": summary["oracle"]} if "oracle" in summary else {})
    lines = [f"{key}: {json.dumps(value, default=str)}" for key, value in overall.items()]
    _output(args.json, overall, "\n".join([*lines, f"report: {args.out / 'report.md'}"]))
    return 0


def _indexed_services(settings: Settings, qset: Any, index: Path | None, model: str | None = None) -> Services:
    """Services over the question set's own index, its corpus ingested (skipped when unchanged)."""
    update: dict[str, Any] = {"data_dir": index or Path(settings.data_dir) / "eval" / qset.corpus_hash}
    if model:
        update["llm"] = settings.llm.model_copy(update={"preset": model})
    eval_services = Services(settings.model_copy(update=update))
    # A public set's corpus takes tens of minutes to embed the first time.
    bar, progress = _bar("article")
    report = eval_services.ingestor.ingest_paths(qset.corpus, progress)
    bar.close()
    print(f"corpus {qset.corpus_hash}: {report.as_dict()['ingested']} new, {report.unchanged} unchanged, "  # noqa: T201
          f"{len(report.failed)} failed", file=sys.stderr)
    return eval_services


@command("eval retrieval")
def run_eval_retrieval(args: argparse.Namespace, services: Services) -> int:
    import time

    from service.evaluation import retrieval_eval
    from service.evaluation.questions import load_question_set, only_questions
    from service.evaluation.runner import git_commit

    qset = only_questions(load_question_set(args.question_set), args.only)
    eval_services = _indexed_services(services.settings, qset, args.index)
    bar, progress = _bar("question", len(qset.questions[: args.limit]), show=True)
    records = retrieval_eval.evaluate(eval_services, qset, args.limit, progress)
    bar.close()
    settings = eval_services.settings
    run = {
        "set": qset.name, "corpus_hash": qset.corpus_hash, "git_commit": git_commit(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "settings": json.loads(settings.retrieval.model_dump_json()),
    }
    summary = retrieval_eval.write_retrieval_report(args.out, run, records)
    lines = [f"{key}: {json.dumps(value, default=str)}" for key, value in summary["overall"].items()]
    _output(args.json, summary["overall"], "\n".join([*lines, f"report: {args.out / 'report.md'}"]))
    return 0


@command("models")
def run_models(args: argparse.Namespace, services: Services) -> int:
    from service.components.model_presets import PRESETS, resolve_preset

    if args.action == "list":
        presets = [{"name": p.name, "provenance": p.provenance} for p in PRESETS.values()]
        _output(args.json, presets, "\n".join(f"{p['name']:14s} {p['provenance']}" for p in presets))
        return 0
    preset_name = args.preset or services.settings.llm.preset
    if preset_name not in PRESETS:
        raise ValueError(f"unknown preset {preset_name!r}; known: {', '.join(PRESETS)}")
    if args.action == "packages":
        packages = list(PRESETS[preset_name].packages)
        _output(args.json, packages, " ".join(packages))
        return 0
    path = resolve_preset(preset_name, services.settings.models_dir)
    # A llama.cpp build can crash on one CPU and not another (its AMX kernels, on some Sapphire
    # Rapids machines: scripts/setup.sh). Crashing here, at setup, beats crashing at the first question.
    from service.components.llama_loading import generates

    seconds = generates(path, services.settings.llm.threads)
    _output(args.json, {"preset": preset_name, "path": str(path), "sha256_checked": True, "generates": True},
            f"{preset_name}: {path} (SHA-256 checked; generated from a test prompt in {seconds:.1f} s)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    services = Services(Settings())
    try:
        return _COMMANDS[args.handler](args, services)
    except (RuntimeError, ValueError, LookupError) as exc:
        print(f"newsdesk {args.command}: {exc}", file=sys.stderr)  # noqa: T201
        return 2


if __name__ == "__main__":
    sys.exit(main())
