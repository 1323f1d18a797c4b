"""Question sets the evaluation tests build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def two_story_mc_set(tmp_path: Path) -> Path:
    """One multiple-choice question whose options name the other story: searched with the question
    alone the barrier story comes first, searched with its options the depot story does."""
    folder = tmp_path / "two-story-set"
    folder.mkdir()
    articles = [
        {"title": "Millbrook barrier opens", "published_at": "2026-03-02", "url": "https://news.example/barrier",
         "text": "The Millbrook Falls flood barrier opened on Monday at a cost of 19.5 million pounds."},
        {"title": "Fire closes Hartwell tram depot", "published_at": "2026-03-03", "url": "https://news.example/depot",
         "text": "A fire closed the Hartwell tram depot in Leeds on Tuesday; Hartwell trams ran late all day."},
    ]
    (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
    question = {"id": "mc1", "week": "20260306", "question": "Which town opened a new site this week?",
                "question_date": "2026-03-06", "answer": "Millbrook Falls", "answer_index": 0,
                "choices": ["Millbrook Falls", "Hartwell tram depot", "Leeds trams", "Hartwell trams in Leeds"],
                "candidate_urls": ["https://news.example/barrier"]}
    (folder / "questions.jsonl").write_text(json.dumps(question) + "\n")
    return folder
