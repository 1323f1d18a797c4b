"""A poll round while /v1/ask is answering changes no answer mid-flight.

The model is held inside its call while a poll replaces the very article it is quoting (toll 3
dollars -> 5 dollars) and adds another. The poll must finish without waiting for the answer, and
the answer must still quote, and verify against, the version it retrieved.
"""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from service.api.app import create_app
from service.components.llm import ChatRequest
from service.settings import Settings
from service.wiring import Services
from tests.conftest import ScriptedChatModel
from tests.feeds.samples import Story, rss20, story
from tests.feeds.web import LoopbackWeb, Route
from tests.test_concurrent_ingest import copy_first_source


def toll_story(toll: int) -> Story:
    paragraphs = tuple(
        f"Paragraph {i}: the Bayline bridge toll is {toll} dollars for cars, officials said on Monday, "
        f"and commuters on the Bayline bridge will pay {toll} dollars each way from March."
        for i in range(3)
    )
    return Story("bridge-toll", "Bayline bridge toll set", paragraphs)


def test_poll_round_while_answering_changes_no_answer(web: LoopbackWeb, feed_settings: Settings, embedder) -> None:
    in_model, release = threading.Event(), threading.Event()

    def held_copy(request: ChatRequest) -> str:
        in_model.set()
        assert release.wait(60), "the test never released the model"
        return copy_first_source(request)

    model = ScriptedChatModel(held_copy, then=copy_first_source)
    settings = feed_settings.model_copy(update={"chunking": feed_settings.chunking.model_copy(
        update={"max_tokens": 1024, "overlap_tokens": 0})})
    services = Services(settings, embedder=embedder, chat_model=model)
    link = web.url("/bridge-toll")
    web.serve("/live.xml", Route(rss20([(toll_story(3), link)]), content_type="application/rss+xml"))
    services.feed_registry.add(web.url("/live.xml"))
    assert services.feed_poller.poll().feeds[0].ingested == 1
    client = TestClient(create_app(services=services))

    answers: list[dict] = []
    asking = threading.Thread(target=lambda: answers.append(
        client.post("/v1/ask", json={"question": "What is the Bayline bridge toll?", "as_of": "2026-03-03"}).json()))
    asking.start()
    assert in_model.wait(60), "the answer never reached the model"

    web.routes["/live.xml"] = Route(rss20([(toll_story(5), link), (story(70), web.url("/other"))]),
                                    content_type="application/rss+xml")
    poll = services.feed_poller.poll(force=True).feeds[0]  # finishes while the answer is still held
    assert (poll.updated, poll.ingested) == (1, 1)
    release.set()
    asking.join(60)

    (held,) = answers
    assert "3 dollars" in held["answer"] and "5 dollars" not in held["answer"]
    assert held["citations"] and all("3 dollars" in c["quote"] for c in held["citations"])
    after = client.post("/v1/ask", json={"question": "What is the Bayline bridge toll?", "as_of": "2026-03-03"}).json()
    assert "5 dollars" in after["answer"]
    services.fetcher.close()
