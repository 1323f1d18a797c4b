"""SentenceStream on hand-written replies fed a few characters at a time, as a model streams them:
a sentence is shown only once complete and verified, with the verifier's own citations, and the
answer ends where it is complete. Every case is checked against `verify` on the kept text, the
call the final Answer is made with, so what streams is what the answer says."""

from __future__ import annotations

import pytest

from service.citations import verify
from service.streaming import SentenceStream
from tests.test_citations import FERRY, STRIKE, passage

PASSAGES = [STRIKE, FERRY]
WORKERS = "How many dock workers walked out?"


def run(reply: str, question: str = WORKERS, step: int = 3, **options: object) -> tuple[SentenceStream, list]:
    stream = SentenceStream(question, PASSAGES, **options)  # type: ignore[arg-type]
    shown = []
    for i in range(0, len(reply), step):
        shown += stream.feed(reply[i : i + step])
        if stream.complete:
            break
    shown += stream.finish()
    return stream, shown


def final_verified(stream: SentenceStream) -> list[str]:
    return [s.text for s in verify(stream.answer_text, PASSAGES).sentences if s.verified]


@pytest.mark.parametrize("step", [1, 3, 7, 1000])
def test_verified_sentences_stream_with_citations_and_quotes(step: int) -> None:
    reply = "About 400 dock workers walked out on Tuesday [1]. Union leader Mara Olsen said talks had failed [1]."
    stream, shown = run(reply, step=step)
    assert [s.text for s in shown] == final_verified(stream) and len(shown) == 2
    assert [c.n for c in shown[0].citations] == [1]
    assert shown[0].citations[0].quote == "About 400 dock workers walked out on Tuesday."
    assert stream.answer_text == reply and not stream.complete


def test_a_sentence_is_shown_only_once_the_next_begins() -> None:
    stream = SentenceStream(WORKERS, PASSAGES)
    assert stream.feed("About 400 dock workers walked out on Tuesday.") == []
    assert stream.feed(" [1]") == []  # a marker after the full stop still belongs to it
    [shown] = stream.feed(" Union")
    assert [c.n for c in shown.citations] == [1] and not shown.corrected


def test_an_unsupported_sentence_is_never_shown() -> None:
    reply = "About 400 dock workers walked out on Tuesday [1]. About 900 sailors joined them [1]. Olsen said talks had failed [1]."
    stream, shown = run(reply)
    assert [s.text for s in shown] == final_verified(stream)
    assert all("sailors" not in s.text for s in shown)
    assert [s.index for s in shown] == [0, 1]


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        (" About 400 dock workers walked out on Tuesday [1].", "repeated"),
        (" The Harborview council approved the ferry route by 7 votes to 2 [2].", "changed the subject"),
        (" The articles do not say.", "refused"),
        (" Question: How many ferries run?", "new turn"),
    ],
)
def test_the_answer_ends_where_it_is_complete(tail: str, reason: str) -> None:
    first = "About 400 dock workers walked out on Tuesday [1]."
    stream, shown = run(first + tail + " Union leader Mara Olsen said talks had failed [1].")
    assert stream.complete and reason in (stream.stop_reason or "")
    assert stream.answer_text.strip() == first
    assert [s.text for s in shown] == final_verified(stream)
    assert len(shown) == 1 and shown[0].text.endswith("about 400 dock workers walked out on Tuesday.")


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        # "What happened yesterday?" names no subject: every story of the day answers it.
        ("What happened yesterday?", "About 400 dock workers walked out on Tuesday [1]. The Harborview council "
                                     "approved the ferry route by 7 votes to 2 [2]."),
        # The model announced a list: its next item is no change of subject.
        (WORKERS, "These things happened:\n1. About 400 dock workers walked out on Tuesday [1].\n2. The Harborview "
                  "council approved the ferry route by 7 votes to 2 [2]."),
    ],
)
def test_a_new_subject_goes_on_when_the_question_asks_for_any(question: str, reply: str) -> None:
    stream, shown = run(reply, question=question)
    assert stream.stop_reason != "the model changed the subject"
    assert len(shown) == 2 and "ferry route" in shown[1].text
    assert [s.text for s in shown] == final_verified(stream)


def test_without_stopping_the_whole_reply_is_kept() -> None:
    reply = "About 400 dock workers walked out on Tuesday [1]. The articles do not say."
    stream, _ = run(reply, stop_when_complete=False)
    assert stream.answer_text == reply and not stream.complete


def test_it_stops_at_the_sentence_limit() -> None:
    reply = "About 400 dock workers walked out on Tuesday [1]. Union leader Mara Olsen said talks had failed [1]. More"
    stream, shown = run(reply, max_sentences=1)
    assert len(shown) == 1 and stream.complete
    assert "Olsen" not in stream.answer_text


def test_a_question_for_a_number_holds_sentences_until_one_gives_it() -> None:
    # "Mara Olsen said talks had failed" answers no "how many": it waits for the sentence that does.
    stream = SentenceStream(WORKERS, PASSAGES)
    assert stream.feed("Union leader Mara Olsen said talks had failed [1]. About 400 dock workers") == []
    shown = stream.feed(" walked out on Tuesday [1]. Olsen") + stream.finish()
    assert [s.index for s in shown] == [0, 1]


def test_a_refusal_alone_shows_nothing() -> None:
    stream, shown = run("The articles do not say.")
    assert shown == [] and verify(stream.answer_text, PASSAGES).refused


@pytest.mark.parametrize("step", [1, 5, 1000])
def test_a_quotation_of_two_sentences_is_shown_once_whole(step: int) -> None:
    quoted = passage('"We will not go back. Not for 4 percent," said union leader Mara Olsen on Tuesday.')
    stream = SentenceStream("What did Mara Olsen say?", [quoted])
    reply = 'Mara Olsen said: "We will not go back. Not for 4 percent." [1] About 400 workers walked out [1].'
    shown = []
    for i in range(0, len(reply), step):
        shown += stream.feed(reply[i : i + step])
    shown += stream.finish()
    assert [s.text for s in shown][:1] == ['Mara Olsen said: "We will not go back. Not for 4 percent."']
    assert [s.text for s in shown] == [s.text for s in verify(stream.answer_text, [quoted]).sentences if s.verified]


def test_a_last_sentence_the_token_limit_cut_off_is_not_verified() -> None:
    reply = "About 400 dock workers walked out on Tuesday [1]. Union leader Mara Olsen said talks"
    cut, shown = SentenceStream(WORKERS, PASSAGES), []
    shown += cut.feed(reply)
    shown += cut.finish(cut_off=True)
    assert [s.text for s in shown] == [s.text for s in verify(cut.answer_text, PASSAGES).sentences if s.verified]
    assert "Olsen" not in cut.answer_text and cut.complete
    # The same words, ended by the model itself, are its answer as written.
    whole, shown = SentenceStream(WORKERS, PASSAGES), []
    shown += whole.feed(reply)
    shown += whole.finish()
    assert "Olsen" in whole.answer_text
    # A cut that fell just after a full stop or a citation cut nothing off.
    ended = SentenceStream(WORKERS, PASSAGES)
    ended.feed(reply + " had failed [1]")
    ended.finish(cut_off=True)
    assert ended.answer_text.endswith("had failed [1]")


DAY_LIST = ("These things happened on Tuesday:\n- About 400 dock workers walked out on Tuesday [1].\n"
            "- The Harborview council approved the ferry route by 7 votes to 2 [2].\n- Union leader Mara")


@pytest.mark.parametrize("step", [1, 4, 1000])
def test_a_bulleted_list_streams_item_by_item_and_a_cut_item_leaves_the_others(step: int) -> None:
    # "- " opens no sentence to the sentence splitter (no capital after the full stop): read whole,
    # a list the token limit cut off in its last item was refused whole ("What happened yesterday?").
    stream, shown = SentenceStream("What happened on Tuesday?", PASSAGES), []
    for i in range(0, len(DAY_LIST), step):
        shown += stream.feed(DAY_LIST[i : i + step])
    # Each complete item is shown once the next item begins.
    assert len(shown) == 2 and "400 dock workers" in shown[0].text and "ferry route" in shown[1].text
    assert stream.finish(cut_off=True) == [] and stream.complete
    assert [s.text for s in shown] == final_verified(stream) and "Mara" not in stream.answer_text
