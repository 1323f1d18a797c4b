from __future__ import annotations

import datetime as dt

import pytest

from service.timewords import names_a_story, recent_span, relative_window, resolve_time_words

AS_OF = dt.date(2026, 3, 6)  # a Friday


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("What happened yesterday?", "2026-03-05", "2026-03-05"),
        ("What happened the day before yesterday?", "2026-03-04", "2026-03-04"),
        ("What did the mayor say today?", "2026-03-06", "2026-03-06"),
        ("What did Menon say this week?", "2026-02-28", "2026-03-06"),
        ("What happened last week?", "2026-02-21", "2026-02-27"),
        ("What happened on March 3?", "2026-03-03", "2026-03-03"),
        ("What happened on 3 March 2025?", "2025-03-03", "2025-03-03"),
        ("What happened on July 8?", "2025-07-08", "2025-07-08"),
        ("What happened last month?", "2026-02-01", "2026-02-28"),
        ("What happened on Monday?", "2026-03-02", "2026-03-02"),
        ("Any news from 2026-03-04?", "2026-03-04", "2026-03-04"),
        ("What happened in the past 3 days?", "2026-03-03", "2026-03-06"),
        ("What happened two days ago?", "2026-03-04", "2026-03-04"),
    ],
)
def test_time_words_resolve_against_as_of(question: str, start: str, end: str) -> None:
    resolved = resolve_time_words(question, AS_OF)
    assert (resolved.start, resolved.end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert resolved.phrase


def test_no_time_words_gives_an_open_range() -> None:
    resolved = resolve_time_words("Who runs Lumatek?", AS_OF)
    assert resolved.start is None and resolved.end is None and resolved.phrase is None


def test_impossible_dates_are_ignored() -> None:
    assert resolve_time_words("What happened on February 30?", AS_OF).start is None


@pytest.mark.parametrize(
    ("question", "soft"),
    [
        ("What did Menon say this week?", True),
        ("What happened last month?", True),
        ("What happened in the past 3 days?", True),
        ("What happened in February?", True),
        ("What happened yesterday?", False),
        ("What happened two days ago?", False),
        ("What happened today?", False),
        ("What happened on 2026-03-03?", False),
        # An event's day: previewed before it, reported after it, or an event of another year.
        ("What happened on March 3?", True),
        ("What happened on Monday?", True),
        ("How long ago was the January 6 attack?", True),
    ],
)
def test_days_counted_from_today_are_exact_and_named_days_soft(question: str, soft: bool) -> None:
    assert resolve_time_words(question, AS_OF).soft is soft


@pytest.mark.parametrize(
    "question",
    ["Who do the Gulls play on Saturday, March 7?", "What will happen on March 8?", "What is planned for 7 March?"],
)
def test_an_upcoming_day_sets_no_window(question: str) -> None:
    # Asked on Friday, March 6: the match is tomorrow, and the news of it was published before it.
    resolved = resolve_time_words(question, dt.date(2026, 3, 6))
    assert resolved.start is None and resolved.end is None


def test_a_weekday_with_its_date_is_that_date() -> None:
    resolved = resolve_time_words("What happened on Monday, March 2?", dt.date(2026, 3, 6))
    assert (resolved.start, resolved.end, resolved.phrase) == (dt.date(2026, 3, 2), dt.date(2026, 3, 2), "March 2")
    # Far enough ahead, a month-day without a year is still last year's.
    assert resolve_time_words("What happened on December 20?", dt.date(2026, 3, 6)).start == dt.date(2025, 12, 20)


@pytest.mark.parametrize(
    "question",
    [
        'Who said "Tonight we stopped asking them to wait" after the ferry vote?',
        "Who said “we will not return until Monday”?",
        "Which song has the line ‘yesterday all my troubles seemed so far away’?",
    ],
)
def test_time_words_inside_a_quotation_set_no_window(question: str) -> None:
    assert resolve_time_words(question, AS_OF) == resolve_time_words("What happened?", AS_OF)


def test_time_words_outside_a_quotation_still_count() -> None:
    resolved = resolve_time_words('Who said "one storm does not end a drought" yesterday?', AS_OF)
    assert (resolved.start, resolved.end) == (dt.date(2026, 3, 5), dt.date(2026, 3, 5))


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("Mississippi was hit by historic flooding this week.", (dt.date(2026, 2, 28), dt.date(2026, 3, 6))),
        ("The mayor resigned yesterday.", (dt.date(2026, 3, 5), dt.date(2026, 3, 5))),
        ("Sales rose last month.", (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        ("Justin Bieber recently announced a return to the stage.", (dt.date(2026, 2, 4), dt.date(2026, 3, 6))),
        # A date or a weekday is a figure the verifier checks against the passage's text, not a window.
        ("The council voted on March 3.", None),
        ("The council voted on Tuesday.", None),
        ("The council voted.", None),
    ],
)
def test_an_answers_time_words_counted_from_today(sentence: str, days: tuple[dt.date, dt.date] | None) -> None:
    window = relative_window(sentence, dt.date(2026, 3, 6))
    assert (window.start, window.end) == days if days else window is None


def test_recently_asks_for_this_months_stories_first() -> None:
    window = resolve_time_words("Which singer recently announced a return to the stage?", AS_OF)
    assert (window.start, window.end, window.soft) == (AS_OF - dt.timedelta(days=30), AS_OF, True)


@pytest.mark.parametrize(
    ("question", "latest"),
    [
        ("What's the latest on the Lumatek fire?", True),
        ("What is the most recent news about the port strike?", True),
        ("Any update on the stolen painting?", True),
        ("Any news on Storm Petra?", True),
        ("Update on the stolen painting please", True),
        ("News about Lumatek?", True),
        ("What's new at Lumatek's Eastmoor plant?", True),
        ("What did the union say about the newest offer this week?", True),
        ("When will the school board now vote on Linwood Elementary?", True),
        ("The current Lunar New Year is marked by which animal?", True),
        ("Who is currently leading the investigation?", True),
        ("How many workers were injured in the Lumatek fire?", False),
        ("Which ferry is known as the Northern Star?", False),  # "now" only inside a word
        ('Who said "the latest offer is an insult"?', False),  # quoted words are someone else's
        ('Who said "we want a deal now"?', False),
    ],
)
def test_asking_for_the_latest_puts_the_newest_first_without_naming_days(question: str, latest: bool) -> None:
    window = resolve_time_words(question, AS_OF)
    assert window.newest_first is latest
    if "this week" not in question:
        assert (window.start, window.end) == (None, None)


@pytest.mark.parametrize(
    ("question", "names_one"),
    [
        ("What's the latest on the Lumatek fire?", True),
        ("Update on the stolen painting please", True),
        ("Latest jobs numbers for the coastal region?", True),
        ("What's the latest news?", False),
        ("Any updates?", False),
        ("any news today?", False),
    ],
)
def test_a_request_for_the_latest_names_a_story_or_asks_for_news_in_general(question: str, names_one: bool) -> None:
    assert names_a_story(question) is names_one


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("What did the mayor say this week?", "this week"),
        ("Who recently won the race?", "recently"),
        ("What happened on Tuesday?", None),  # a named day may be of another year
        ("What happened yesterday?", None),  # an exact day filters strictly
        ("How many years since January 6?", None),
        ("Who is the mayor?", None),
    ],
)
def test_a_recent_span_is_a_vague_one_counted_back_from_today(question: str, span: str | None) -> None:
    assert recent_span(resolve_time_words(question, dt.date(2026, 3, 6))) == span
