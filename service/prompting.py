"""Prompt templates from prompts/*.md: TOML front matter declaring variables, then
`### system` / `### user` / `### assistant` sections rendered with Jinja2.

Article text reaches a prompt only through `neutralize`, which defuses chat-template control
tokens and fake source markers, so a hostile article cannot open a new turn or pose as a source.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from service.domain import Passage
from service.text import sentence_spans

# Room left for the chat template's own tokens around each message.
TEMPLATE_MARGIN_TOKENS = 64
# What one message costs beyond its text in a chat template (role markers, separators).
MESSAGE_OVERHEAD_TOKENS = 8

_SECTION = re.compile(r"^### (system|user|assistant)\s*$", re.MULTILINE)
_CONTROL_TOKENS = re.compile(
    r"<\|[^|>]{0,40}\|>|\[/?INST\]|<</?SYS>>|</?s>|<start_of_turn>|<end_of_turn>"
    r"|#{2,}\s*(system|user|assistant|instruction)s?\b:?",
    re.IGNORECASE | re.MULTILINE,
)
_SOURCE_MARKERS = re.compile(r"<{3}|>{3}|</?\s*source\b[^>]*>|\[(\d{1,3})\]", re.IGNORECASE)


_ADDRESSED_TO_A_MODEL = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|guidelines)\b"
    r"|\b(AI|assistants?|language models?|chatbots?|LLMs?|summari[sz]ers?|bots?)\b.{0,80}"
    r"\b(must|should|shall|always|never|answer|reply|respond|say|state|tell|write|output|include)\b"
    r"|\b(reply|respond|answer)\b.{0,40}\bwith (only )?(the )?(word|phrase|text)\b"
    r"|\b(reply|respond|answer)\s+(only\s+)?with\b|\bthe (correct|real|true|right) answer is\b"
    r"|\bsystem prompt\b|\bnew instructions\b|\byou are no longer\b|\bfrom now on\b"
    r"|\bautomated readers?\b|\b(whatever|regardless of) the question\b|\bto every question\b"
    r"|\b(do not|don't) show (this )?to humans\b"
    r"|\b(whenever|when|if)\s+you(?:'re|\s+are|\s+get)?\s+(?:being\s+)?asked\b.{0,80}\b(state|say|answer|reply|respond"
    r"|tell|claim|write|mention)\b",
    re.IGNORECASE,
)


def is_addressed_to_a_model(sentence: str) -> bool:
    """Text that instructs an AI is an attack, not news: it never reaches a prompt or supports a claim."""
    return bool(_ADDRESSED_TO_A_MODEL.search(sentence))


class PromptError(ValueError):
    pass


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    description: str
    variables: frozenset[str]
    sections: tuple[tuple[str, jinja2.Template], ...]

    def render(self, **values: Any) -> list[dict[str, str]]:
        given = set(values)
        if given != self.variables:
            missing, extra = self.variables - given, given - self.variables
            raise PromptError(f"prompt {self.name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}")
        return [{"role": role, "content": template.render(**values).strip()} for role, template in self.sections]


# Verification reads each passage once per answer sentence and per pair of passages: the same
# few texts, screened once.
@functools.lru_cache(maxsize=1024)
def drop_instructions(text: str) -> str:
    kept = [text[start:end] for start, end, _ in sentence_spans(text) if not is_addressed_to_a_model(text[start:end])]
    return " ".join(kept)


def neutralize(text: str) -> str:
    """Article text as inert data: instructions to a model removed, control tokens dropped,
    source markers made harmless."""
    text = drop_instructions(_CONTROL_TOKENS.sub(" ", text))

    def defuse(match: re.Match[str]) -> str:
        return f"({match.group(1)})" if match.group(1) else " "

    return _SOURCE_MARKERS.sub(defuse, text)


def _environment(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


@functools.cache
def load_prompt(folder: Path, name: str) -> PromptTemplate:
    path = folder / f"{name}.md"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"cannot read prompt {path}: {exc}") from exc
    try:
        _, front, body = raw.split("+++", 2)
        meta = tomllib.loads(front)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise PromptError(f"{path}: front matter between +++ lines is missing or invalid") from exc
    declared = frozenset(meta.get("variables", []))
    env = _environment(folder)
    used = jinja2.meta.find_undeclared_variables(env.parse(body))
    if used != declared:
        raise PromptError(f"{path}: declares {sorted(declared)} but uses {sorted(used)}")
    parts = _SECTION.split(body)
    sections = tuple((role, env.from_string(text)) for role, text in zip(parts[1::2], parts[2::2], strict=True))
    if not sections or sections[-1][0] != "user":
        raise PromptError(f"{path}: must end with a ### user section")
    return PromptTemplate(name, meta.get("description", ""), declared, sections)


def source_entries(passages: list[Passage], defuse: bool = True) -> list[dict[str, object]]:
    """Passages as the numbered sources a template lists: [1] is passages[0]."""
    clean = neutralize if defuse else str
    return [
        {
            "n": n,
            "title": clean(p.chunk.title),
            "source": p.chunk.source,
            "date": p.chunk.published.isoformat(),
            "text": clean(p.chunk.text),
        }
        for n, p in enumerate(passages, start=1)
    ]


def fit_sources(
    template: PromptTemplate,
    passages: list[Passage],
    budget_tokens: int,
    count: Callable[[str], int],
    defuse: bool = True,
    **values: object,
) -> tuple[list[dict[str, str]], list[Passage]]:
    """Render with as many passages as fit budget_tokens: evidence is cut, never instructions."""
    budget = budget_tokens - TEMPLATE_MARGIN_TOKENS
    kept = list(passages)
    while True:
        messages = template.render(sources=source_entries(kept, defuse), **values)
        used = sum(count(m["content"]) + MESSAGE_OVERHEAD_TOKENS for m in messages)
        if used <= budget or not kept:
            return messages, kept
        if len(kept) == 1:
            # One passage too long on its own: keep its head.
            chunk = kept[0].chunk
            shorter = chunk.model_copy(update={"text": chunk.text[: max(len(chunk.text) * budget // used - 50, 0)]})
            if not shorter.text:
                return template.render(sources=[], **values), []
            kept = [kept[0].model_copy(update={"chunk": shorter})]
            continue
        kept.pop()


def prompt_names(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.md"))
