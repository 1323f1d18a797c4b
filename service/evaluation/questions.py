"""Question sets: the fixed and hard sets in eval/ and RealTimeQA-style public sets, in one shape."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from service.domain import canonical_url
from service.ingest.parse import ParseFailure, discover_files, parse_file

FIXED_SET = Path(__file__).resolve().parents[2] / "eval"
# The hard set (eval/questions_hard.jsonl) asks about the fixed set's corpus; "hard:tune" and
# "hard:report" are its halves: tune on one, report on the other (eval/corpus/README.md).
# Sets written in two halves, one to look at while changing the code and one to report on.
SETS_IN_HALVES = ("hard", "asked", "typed", "said", "latest")
HALVES = ("tune", "report")
# Question files in eval/ about its corpus. "latest" asks for a running story's newest development
# as of a day ("What's the latest on the Lumatek fire?"): a stale answer misses its gold.
SETS_ON_THE_FIXED_CORPUS = {"fixed": "questions.jsonl", "hard": "questions_hard.jsonl",
                            "latest": "questions_latest.jsonl", "asked": "questions_asked.jsonl",
                            "typed": "questions_typed.jsonl", "said": "questions_said.jsonl"}


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    type: str
    question: str
    as_of: dt.date
    answers: list[str]
    supporting_ids: list[str]
    choices: list[str] = field(default_factory=list)
    answer_index: int | None = None
    # Questions of one group (a RealTimeQA week, a hard-set pair of twins) share news: cross-validation
    # folds keep them together.
    group: str = ""
    # Hard set: the twin question's id. Hard and asked sets: the half ("tune" or "report") it belongs to.
    pair: str = ""
    half: str = ""

    @property
    def unanswerable(self) -> bool:
        return self.type == "unanswerable"

    @property
    def options(self) -> str:
        """The choices lettered: "A) York B) Leeds ..."."""
        return " ".join(f"{letter}) {choice}" for letter, choice in zip("ABCD", self.choices, strict=False))

    @property
    def multiple_choice(self) -> str:
        """The question as a multiple-choice item, asked of the product as one question."""
        return f"{self.question} Options: {self.options}. Answer with the correct option."


@dataclass(frozen=True)
class QuestionSet:
    name: str
    corpus: list[Path]
    questions: list[EvalQuestion]
    corpus_hash: str


def only_questions(qset: QuestionSet, ids: list[str] | None) -> QuestionSet:
    """The set narrowed to the given question ids, in the set's order: re-measure the questions a
    change touched without answering the rest (an hour on 2 cores for 100 public questions)."""
    if not ids:
        return qset
    unknown = sorted(set(ids) - {q.id for q in qset.questions})
    if unknown:
        raise ValueError(f"no question {', '.join(unknown)} in set {qset.name!r}")
    wanted = set(ids)
    return replace(qset, questions=[q for q in qset.questions if q.id in wanted])


def url_to_article_id(corpus: list[Path]) -> tuple[dict[str, str], str]:
    """Map canonical URL -> stored article id, and a hash of the corpus content."""
    mapping: dict[str, str] = {}
    digest = hashlib.sha256()
    for path in discover_files(corpus):
        for item in parse_file(path, 1 << 30):
            if isinstance(item, ParseFailure):
                continue
            digest.update(item.content_hash.encode())
            if item.url:
                mapping[canonical_url(item.url)] = item.id
    return mapping, digest.hexdigest()[:16]


def load_question_set(spec: str) -> QuestionSet:
    """'fixed', 'hard', 'asked', 'typed' or 'said' ('hard:tune', 'asked:report': one half), or 'latest' for eval/, or
    a folder holding articles.jsonl and questions.jsonl (RealTimeQA)."""
    name, _, half = spec.partition(":")
    if name in SETS_IN_HALVES and half not in ("", *HALVES):
        raise ValueError(f"unknown half {half!r} of the {name} set; known: {', '.join(HALVES)}")
    named = spec in SETS_ON_THE_FIXED_CORPUS or name in SETS_IN_HALVES
    if named:
        corpus = [FIXED_SET / "corpus"]
        question_file = FIXED_SET / SETS_ON_THE_FIXED_CORPUS[name]
    else:
        folder = Path(spec)
        corpus = [folder / "articles.jsonl"]
        question_file = folder / "questions.jsonl"
    if not question_file.exists():
        raise FileNotFoundError(f"no questions at {question_file}")
    ids, corpus_hash = url_to_article_id(corpus)
    questions = [_question(json.loads(line), ids) for line in question_file.read_text().splitlines() if line.strip()]
    if name in SETS_IN_HALVES and half:
        questions = [q for q in questions if q.half == half]
    return QuestionSet(spec if named else Path(spec).name, corpus, questions, corpus_hash)


def _question(record: dict, ids: dict[str, str]) -> EvalQuestion:
    urls = record.get("supporting_urls") or record.get("candidate_urls") or []
    supporting = [ids[canonical_url(u)] for u in urls if canonical_url(u) in ids]
    if "choices" in record:  # RealTimeQA
        return EvalQuestion(
            id=str(record["id"]),
            type="rtqa",
            question=record["question"],
            as_of=dt.date.fromisoformat(record["question_date"]),
            answers=[record["answer"]],
            supporting_ids=supporting,
            choices=list(record["choices"]),
            answer_index=record.get("answer_index"),
            group=str(record.get("week", "")),
        )
    return EvalQuestion(
        id=str(record["id"]),
        type=record["type"],
        question=record["question"],
        as_of=dt.date.fromisoformat(record["as_of"]),
        answers=[a for a in [record.get("answer", ""), *record.get("accepted", [])] if a],
        supporting_ids=supporting,
        # Twins share a group (the lower id of the two), so no fold holds one without the other.
        group=min(str(record["id"]), str(record["pair"])) if record.get("pair") else str(record.get("as_of", "")),
        pair=str(record.get("pair", "")),
        half=str(record.get("half", "")),
    )
