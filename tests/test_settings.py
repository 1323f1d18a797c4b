"""The settings tree: NEWSDESK_* variables reach it, every field says what it is for, bad values fail."""

from __future__ import annotations

import json
import os
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from service.settings import APIKey, Settings


@pytest.fixture(autouse=True)
def _no_newsdesk_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the shell running the tests has set must not leak into them.
    for name in list(os.environ):
        if name.upper().startswith("NEWSDESK_"):
            monkeypatch.delenv(name)


def test_defaults_without_environment() -> None:
    settings = Settings()
    assert settings.llm.backend == "local" and settings.store.mode == "embedded"
    assert settings.retrieval.k == 10 and settings.api.keys == []


def test_prefixed_variables_and_double_underscore_nesting_reach_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", "/srv/newsdesk")
    monkeypatch.setenv("NEWSDESK_LLM__BACKEND", "openai")
    monkeypatch.setenv("NEWSDESK_LLM__API_KEY", "sk-from-env")
    monkeypatch.setenv("NEWSDESK_LLM__TEMPERATURE", "0.5")
    monkeypatch.setenv("NEWSDESK_STORE__PORT", "8101")
    monkeypatch.setenv("NEWSDESK_RETRIEVAL__K", "7")
    monkeypatch.setenv("NEWSDESK_API__KEYS", json.dumps([{"name": "ci", "sha256": "ab" * 32, "role": "write"}]))
    settings = Settings()
    assert settings.data_dir == Path("/srv/newsdesk")
    assert settings.llm.backend == "openai" and settings.llm.temperature == 0.5
    assert settings.llm.api_key.get_secret_value() == "sk-from-env"
    assert settings.store.port == 8101 and settings.retrieval.k == 7
    assert settings.api.keys == [APIKey(name="ci", sha256="ab" * 32, role="write")]
    # Untouched neighbours keep their defaults.
    assert settings.store.host == "127.0.0.1" and settings.retrieval.candidates == 40


def test_variables_without_the_prefix_or_unknown_names_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM__BACKEND", "openai")
    monkeypatch.setenv("RETRIEVAL__K", "9")
    monkeypatch.setenv("NEWSDESK_NO_SUCH_SETTING", "1")
    settings = Settings()
    assert settings.llm.backend == "local" and settings.retrieval.k == 10


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_RETRIEVAL__K", "7")
    assert Settings(retrieval={"k": 3}).retrieval.k == 3


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NEWSDESK_RETRIEVAL__K", "0"),  # below its minimum
        ("NEWSDESK_RETRIEVAL__K", "many"),
        ("NEWSDESK_LLM__BACKEND", "gpt"),  # not one of the backends
        ("NEWSDESK_LLM__TEMPERATURE", "3"),
        ("NEWSDESK_STORE__MODE", "cloud"),
        ("NEWSDESK_STORE__PORT", "eighty"),
        ("NEWSDESK_CHUNKING__MAX_TOKENS", "8"),
        ("NEWSDESK_API__KEYS", "not json"),
        ("NEWSDESK_API__KEYS", json.dumps([{"name": "ci"}])),  # a key without its hash
    ],
)
def test_invalid_values_raise(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    # A ValidationError, or pydantic-settings' SettingsError for JSON it cannot parse: both ValueErrors.
    with pytest.raises(ValueError):
        Settings()


def test_invalid_arguments_raise() -> None:
    with pytest.raises(ValidationError, match="max_answer_tokens"):
        Settings(llm={"max_answer_tokens": 0})


def test_secrets_stay_out_of_reprs_and_dumps() -> None:
    settings = Settings(llm={"api_key": "sk-secret"}, eval={"judge_api_key": "sk-judge"})
    for text in (repr(settings), str(settings), settings.model_dump_json()):
        assert "sk-secret" not in text and "sk-judge" not in text


def _models_in(annotation: object) -> Iterator[type[BaseModel]]:
    """The pydantic models an annotation holds: the type itself, or inside list[...], X | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def _fields(model: type[BaseModel], path: str = "") -> Iterator[tuple[str, str | None]]:
    for name, info in model.model_fields.items():
        yield f"{path}{name}", info.description
        for nested in _models_in(info.annotation):
            yield from _fields(nested, f"{path}{name}.")


def test_every_field_of_the_tree_has_a_description() -> None:
    fields = dict(_fields(Settings))
    assert {"llm.backend", "store.port", "api.keys.sha256", "eval.judge_model"} <= fields.keys()  # the walk goes deep
    missing = sorted(path for path, description in fields.items() if not (description or "").strip())
    assert not missing, f"fields without a description: {missing}"


def test_the_walk_sees_nested_models_in_unions_and_lists() -> None:
    class Inner(BaseModel):
        plain: int = 0

    assert list(_models_in(list[Inner])) == [Inner]
    assert list(_models_in(Inner | None)) == [Inner]
    assert list(_models_in(dict[str, int])) == []
