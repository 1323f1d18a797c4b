"""Is the answer as recent as the question asks?

Asked "Tyler Reddick recently won NASCAR's 'Great American Race', held annually in which state?",
a small model answered "Tyler Reddick won NASCAR's 'Great American Race' held annually" from a
2024 report of another driver's win: it left "recently" out, so the check on time words in answers
(`citations.verify`) had nothing to hold it to. A question whose own words set a recent span ("this
week", "recently", "this month") is not answered by articles that all end long before that span
began: what they say may have been true then, but it is not what the question asks.

A named day or month ("on Tuesday", "January 6", "in March") is left alone: it may name an event
of another year, and a report from that year answers it ("A lunar eclipse turned the moon red on
Tuesday" was rightly answered from a 2022 story).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from service.domain import DateRange
from service.timewords import recent_span

# How long before the span the question names its newest cited article may be. A week's news rests
# on facts reported weeks before (the soft window's reason), so only what is months older counts.
STALE_AFTER_DAYS = 60


def stale_gap(date_range: DateRange, cited_dates: Sequence[dt.date]) -> str | None:
    """What the answer lacks when every article it cites is from long before the recent span the
    question names ("what happened recently (the newest article ...)"), else None."""
    phrase = recent_span(date_range)
    if not (phrase and date_range.start and cited_dates):
        return None
    newest = max(cited_dates)
    if (date_range.start - newest).days <= STALE_AFTER_DAYS:
        return None
    return f"what happened {phrase} (the newest article it rests on is from {newest.day} {newest:%B %Y})"
