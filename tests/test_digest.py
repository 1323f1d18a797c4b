"""Digest clustering and end to end with the small local model and a real Chroma; then the
unsupported, refusal and failure paths of a story's summary with a scripted model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.components.llm import LLMUnavailable
from service.digest import digest_markdown
from service.wiring import Services
from tests.conftest import ScriptedChatModel, write_article

DAY = dt.date(2026, 3, 4)
STRIKE = [
    "About 1,400 dock workers at the Port of Harborview walked off the job on Wednesday over pay.",
    "Union leader Mara Olsen said the strike would continue until the port authority improved its offer.",
    "The port authority said fewer than 900 workers had joined the walkout.",
]


def day_of_news(folder: Path) -> Path:
    write_article(folder, "wire.txt", date="2026-03-04", title="Dock workers strike at Harborview port",
                  paragraphs=STRIKE, url="https://coastal-wire.example/strike")
    write_article(folder, "copy.txt", date="2026-03-04", title="Harborview dock workers strike",
                  paragraphs=STRIKE, url="https://valley-times.example/wire/strike")  # syndicated copy
    write_article(folder, "own.txt", date="2026-03-04", title="Port of Harborview strike halts cargo ships",
                  paragraphs=["Cargo ships queued outside the Port of Harborview on Wednesday as dock workers struck.",
                              "Mara Olsen, who leads the dock workers' union, told reporters the pay offer was too low."],
                  url="https://harborview-herald.example/port-strike")
    write_article(folder, "museum.txt", date="2026-03-04", title="Painting stolen from Harborview museum",
                  paragraphs=["A painting by Elsa Brandt was stolen from the Harborview Museum of Art overnight.",
                              "Police chief Omar Reyes said the thieves entered through a skylight."],
                  url="https://metro-ledger.example/museum-theft")
    write_article(folder, "budget.txt", date="2026-03-04", title="Linwood schools face budget gap",
                  paragraphs=["The Linwood school board reported a budget gap of 2 million dollars.",
                              "Board chair Ruth Alder said two programs could be cut."],
                  url="https://bayside-post.example/linwood-budget")
    write_article(folder, "earlier.txt", date="2026-03-03", title="Dock workers vote to strike",
                  paragraphs=["Dock workers at the Port of Harborview voted to strike on Tuesday."],
                  url="https://coastal-wire.example/strike-vote")
    return folder


def test_stories_are_grouped_deduplicated_and_ranked(answering: Services, tmp_path: Path) -> None:
    answering.ingestor.ingest_paths([day_of_news(tmp_path / "news")])
    digest = answering.digests.digest(DAY, max_stories=5)
    assert digest.total_stories == 3
    top = digest.stories[0]
    assert {a.source for a in top.articles} == {"coastal-wire.example", "valley-times.example",
                                               "harborview-herald.example"}
    assert top.outlets == 3
    assert sum(a.duplicate_of is not None for a in top.articles) == 1
    all_ids = [a.id for s in digest.stories for a in s.articles]
    assert len(all_ids) == len(set(all_ids)) == 5  # the day-before article is not in it
    for story in digest.stories:
        assert all(sentence.verified == bool(sentence.citations) for sentence in story.sentences)
        for citation in story.citations:
            article = answering.store.get_article(citation.article_id)
            assert article is not None and citation.quote in article.text
            assert citation.article_id in {a.id for a in story.articles}
    assert digest_markdown(digest).startswith("# News digest for 2026-03-04")


def test_digest_is_cached_and_invalidated_by_an_update(answering: Services, tmp_path: Path) -> None:
    folder = day_of_news(tmp_path / "news")
    answering.ingestor.ingest_paths([folder])
    first = answering.digests.digest(DAY)
    assert answering.digests.digest(DAY).fingerprint == first.fingerprint
    assert len(list((answering.settings.data_dir / "digests").glob("*.json"))) == 1
    write_article(folder, "museum.txt", date="2026-03-04", title="Painting stolen from Harborview museum",
                  paragraphs=["A painting by Elsa Brandt was stolen; police recovered it by evening."],
                  url="https://metro-ledger.example/museum-theft")
    answering.ingestor.ingest_paths([folder])
    assert answering.digests.digest(DAY).fingerprint != first.fingerprint


def test_empty_day_and_bad_dates(answering: Services) -> None:
    client = TestClient(create_app(services=answering), raise_server_exceptions=False)
    empty = client.get("/v1/digest", params={"date": "2001-01-01"})
    assert empty.status_code == 200
    assert empty.json()["stories"] == [] and "No articles" in empty.json()["message"]
    for bad in ("2026-13-01", "yesterday", ""):
        response = client.get("/v1/digest", params={"date": bad})
        assert response.status_code == 422, bad
    markdown = client.get("/v1/digest", params={"date": "2026-11-24", "format": "markdown"})
    assert markdown.status_code == 200 and markdown.text.startswith("# News digest")


# --- Scripted model: what a story keeps of its summary -----------------------------------------------

HELVANE_DAY = dt.date(2026, 11, 21)  # samples/: one article that day
HELVANE_JOBS = "Helvane Foods will create 180 permanent jobs at its seafood processing plant in Varden Bay [1]."
INVENTED = "Helvane Foods will also build a wind farm beside the Varden Bay plant for 4 million pounds [1]."


def test_a_story_keeps_only_its_supported_sentences(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.script(f"{HELVANE_JOBS} {INVENTED}")
    digest = scripted_services.digests.digest(HELVANE_DAY)
    (story,) = digest.stories
    assert story.headline == "Helvane Foods to add 180 jobs at Varden Bay seafood plant"
    assert [(s.verified, s.citations) for s in story.sentences] == [(True, [1])]
    assert "180 permanent jobs" in story.sentences[0].text
    (citation,) = story.citations
    article = scripted_services.store.get_article(citation.article_id)
    assert article is not None and citation.quote in article.text
    markdown = digest_markdown(digest)
    assert "180 permanent jobs" in markdown and "wind farm" not in markdown
    # The model read the story's lead under the source number it cites.
    (prompt,) = scripted_model.prompts
    assert '[1] "Helvane Foods to add 180 jobs at Varden Bay seafood plant"' in prompt


def test_a_story_the_model_cannot_support_is_listed_without_sentences(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.script(INVENTED)
    digest = scripted_services.digests.digest(HELVANE_DAY)
    (story,) = digest.stories
    assert story.sentences == [] and story.citations == []
    assert [a.source for a in story.articles] == ["varden-bay-herald.example"]
    markdown = digest_markdown(digest)
    assert story.headline in markdown and "wind farm" not in markdown


def test_a_cached_digest_asks_the_model_nothing(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.script(HELVANE_JOBS)
    first = scripted_services.digests.digest(HELVANE_DAY)
    again = scripted_services.digests.digest(HELVANE_DAY)  # no reply left: a model call would fail
    assert again == first
    assert len(scripted_model.requests) == 1


def test_a_failed_digest_is_not_cached(scripted_services: Services, scripted_model: ScriptedChatModel) -> None:
    scripted_model.script(LLMUnavailable("endpoint down"), HELVANE_JOBS)
    with pytest.raises(LLMUnavailable):
        scripted_services.digests.digest(HELVANE_DAY)
    assert not list((scripted_services.settings.data_dir / "digests").glob("*.json"))
    (story,) = scripted_services.digests.digest(HELVANE_DAY).stories
    assert story.sentences and len(scripted_model.requests) == 2


def test_the_digest_route_says_503_when_the_model_is_down(
    scripted_services: Services, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.script(LLMUnavailable("endpoint down"))
    client = TestClient(create_app(services=scripted_services), raise_server_exceptions=False)
    response = client.get("/v1/digest", params={"date": HELVANE_DAY.isoformat()})
    assert response.status_code == 503 and "endpoint down" in response.json()["detail"]


def test_each_story_is_one_short_call_over_small_evidence_verified_against_the_whole_lead(
    scripted_services: Services, scripted_model: ScriptedChatModel, tmp_path: Path
) -> None:
    from service.tokens import count_tokens

    lead = [f"Sentence {n} about the Harborview ferry: the council met on day {n} and talked." for n in range(1, 15)]
    lead[10] = "Mayor Dana Whitfield said the Harborview ferry expansion would cost 12 million dollars."
    write_article(tmp_path / "news", "long.txt", date="2026-03-09", title="Harborview ferry expansion cost",
                  paragraphs=lead, url="https://harborview-herald.example/ferry-cost")
    scripted_services.ingestor.ingest_paths([tmp_path / "news"])
    # Supported by the lead's first sentence, which the evidence (about the cost) may well leave out.
    scripted_model.script("The council met on day 1 and talked about the Harborview ferry [1]. "
                          "Dana Whitfield said the ferry expansion would cost 12 million dollars [1].")
    (story,) = scripted_services.digests.digest(dt.date(2026, 3, 9)).stories
    (request,) = scripted_model.requests  # one call for the story
    options = scripted_services.settings.digest
    assert request.max_tokens == options.max_tokens and request.stop == ["\n\n"]
    sources = request.messages[-1]["content"].split("<<<")[1].split(">>>")[0]
    assert count_tokens(sources) <= options.evidence_tokens + 10 < count_tokens(" ".join(lead))
    assert "12 million dollars" in sources
    assert [s.verified for s in story.sentences] == [True, True]
