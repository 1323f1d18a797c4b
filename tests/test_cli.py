from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from service.api.schemas import PassageOut
from service.cli import build_parser, main, run_digest
from service.digest import Digest, Story, StoryArticle, StorySentence
from service.domain import Citation
from service.wiring import Services
from tests.ingest.test_pipeline import corpus


def newsdesk(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_ingest_json_report_and_search(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "articles")
    (folder / "bad.txt").write_text("date 2026-99-01 Broken\n\nbody\n")
    result = newsdesk(tmp_path / "data", "ingest", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["ingested"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert report["failed"] == [
        {
            "path": str(folder / "bad.txt"),
            "line": 1,
            "error": "unparsable date '2026-99-01' (expected YYYY-MM-DD)",
        }
    ]

    again = json.loads(newsdesk(tmp_path / "data", "ingest", str(folder), "--json").stdout)
    assert again["unchanged"] == 3 and again["chunks_added"] == 0

    result = newsdesk(tmp_path / "data", "search", "dock strike", "--from", "2026-03-03", "--json", "-k", "2")
    hits = json.loads(result.stdout)
    assert hits[0]["title"] == "Dock workers strike at the port"
    assert list(hits[0]) == list(PassageOut.model_fields), "the CLI prints what POST /v1/search returns"
    assert all(h["published_at"] >= "2026-03-03" for h in hits)


def test_bad_cli_date_is_a_clear_error(tmp_path: Path) -> None:
    result = newsdesk(tmp_path / "data", "search", "x", "--from", "yesterday")
    assert result.returncode == 2
    assert "expected YYYY-MM-DD" in result.stderr


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command that runs something (`ask`, `eval run`), with its parser."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        yield path, parser
    for group in groups:
        for name, sub in group.choices.items():
            yield from _commands(sub, (*path, name))


# The fewest arguments each command needs besides --json.
REQUIRED = {"ingest": ["x"], "search": ["q"], "ask": ["q"], "digest": ["--date", "2026-03-05"],
            "eval run": ["--out", "o"], "eval retrieval": ["--out", "o"], "eval compare": ["a", "b"], "models": ["list"]}
COMMANDS = [" ".join(path) for path, _ in _commands(build_parser())]


def test_every_command_is_known_here() -> None:
    assert {"ingest", "search", "serve", "ask", "summarize", "digest", "eval run", "eval compare", "models"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_accepts_json(name: str) -> None:
    args = build_parser().parse_args([*name.split(), *REQUIRED.get(name, []), "--json"])
    assert args.json is True and args.handler == name


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_and_argument_has_help_and_every_command_an_example(name: str) -> None:
    parser = {" ".join(path): p for path, p in _commands(build_parser())}[name]
    for action in parser._actions:
        assert action.help, f"newsdesk {name}: {action.option_strings or action.dest} has no help"
    assert parser.epilog and f"newsdesk {name}" in parser.epilog, f"newsdesk {name} has no example"


def _digest() -> Digest:
    citation = Citation(n=1, article_id="a1", title="Dock workers strike", url="https://w.example/s",
                        published_at=dt.date(2026, 3, 5), source="w.example", quote="400 dock workers walked out")
    story = Story(
        headline="Dock workers strike", outlets=2,
        articles=[StoryArticle(id="a1", title="Dock workers strike", source="w.example", url=None)],
        sentences=[StorySentence(text="About 400 dock workers walked out.", citations=[1], verified=True),
                   StorySentence(text="The port closed for a month.", citations=[], verified=False)],
        citations=[citation],
    )
    return Digest(date=dt.date(2026, 3, 5), stories=[story], total_stories=1, fingerprint="f", timings={})


class _Digests:
    def digest(self, *args: object) -> Digest:
        return _digest()


class _Services:
    digests = _Digests()


@pytest.mark.parametrize("flags", [[], ["--json"], ["--markdown"]])
def test_digest_reads_as_text_by_default(flags: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["digest", "--date", "2026-03-05", *flags])
    assert run_digest(args, cast(Services, _Services())) == 0
    out = capsys.readouterr().out
    if flags == ["--json"]:
        assert json.loads(out)["stories"][0]["headline"] == "Dock workers strike"
    elif flags == ["--markdown"]:
        assert out.startswith("# News digest for 2026-03-05")
    else:
        assert out.splitlines()[:3] == ["News digest for 2026-03-05", "", "1. Dock workers strike (1 articles, 2 outlets)"]
        assert "   About 400 dock workers walked out. [1]" in out
        assert "   [1] w.example, 2026-03-05: Dock workers strike" in out
        assert "port closed" not in out, "an unverified sentence is never printed as fact"


def test_digest_refuses_json_and_markdown_together(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "--date", "2026-03-05", "--json", "--markdown"]) == 2
    assert "not both" in capsys.readouterr().err


def test_comparing_a_run_that_did_not_finish_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A run stopped before its last question has answers but no report.json: a traceback once.
    stopped, finished = tmp_path / "stopped", tmp_path / "finished"
    stopped.mkdir()
    (stopped / "results.jsonl").write_text("{}\n")
    assert main(["eval", "compare", str(stopped), str(finished)]) == 2
    err = capsys.readouterr().err
    assert f"{stopped} holds no report.json" in err and "Traceback" not in err


def test_models_list_as_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list"]) == 0
    text = capsys.readouterr().out
    assert main(["models", "list", "--json"]) == 0
    presets = json.loads(capsys.readouterr().out)
    assert presets and all(p["name"] in text for p in presets)


def test_models_prepare_checks_that_the_model_generates(capsys: pytest.CaptureFixture[str]) -> None:
    # A llama.cpp build that crashes on this CPU must fail here (scripts/setup.sh rebuilds it), not
    # at a user's first question: prepare runs a real prompt through the installed model.
    assert main(["models", "prepare", "smollm2-135m", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["preset"] == "smollm2-135m" and report["generates"] is True
    assert Path(report["path"]).is_file()
