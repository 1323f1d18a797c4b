"""Is the answer as recent as the question asks: articles from long before "this week" do not answer it."""

from __future__ import annotations

import datetime as dt

from service.answer_age import STALE_AFTER_DAYS, stale_gap
from service.domain import DateRange
from service.timewords import request_window

TODAY = dt.date(2026, 2, 19)


def test_asked_what_happened_recently_an_answer_from_articles_years_older_does_not_answer() -> None:
    recently = request_window("Tyler Reddick recently won which race?", TODAY, None, None)
    assert recently.soft and recently.start
    assert stale_gap(recently, [dt.date(2024, 2, 20)]) == (
        "what happened recently (the newest article it rests on is from 20 February 2024)")
    # One recent article among those cited answers it; so does one a few weeks older than the span.
    assert stale_gap(recently, [dt.date(2024, 2, 20), dt.date(2026, 2, 16)]) is None
    assert stale_gap(recently, [recently.start - dt.timedelta(days=STALE_AFTER_DAYS)]) is None
    this_week = request_window("What did the mayor announce this week?", TODAY, None, None)
    assert stale_gap(this_week, [dt.date(2025, 6, 1)]) is not None


def test_a_named_day_or_a_question_with_no_span_is_left_alone() -> None:
    # "On Tuesday" or "January 6" may name an event of another year, reported that year.
    tuesday = request_window("A lunar eclipse turned the moon red on Tuesday in which regions?", TODAY, None, None)
    assert tuesday.phrase and stale_gap(tuesday, [dt.date(2022, 11, 8)]) is None
    january = request_window("How many years since the January 6 attack on the Capitol?", TODAY, None, None)
    assert stale_gap(january, [dt.date(2021, 1, 7)]) is None
    assert stale_gap(DateRange(), [dt.date(2020, 1, 1)]) is None
    # Explicit dates filter strictly: nothing older was searched.
    strict = DateRange(start=dt.date(2026, 2, 1), end=TODAY, phrase=None, soft=False)
    assert stale_gap(strict, [dt.date(2020, 1, 1)]) is None
