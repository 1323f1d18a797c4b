"""A chunk's rowid in the keyword file: its date shifted left of a sequence number.

So a date window is a rowid range that SQLite and FTS5 seek to instead of reading every row and
filtering it afterwards, and a day's chunks lie together in every table keyed by rowid.
"""

from __future__ import annotations

SEQUENCE_BITS = 32
SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1


def chunk_rowid(day: int, sequence: int) -> int:
    """The rowid of a chunk dated `day` (YYYYMMDD), the `sequence`-th the file has taken."""
    return (day << SEQUENCE_BITS) | (sequence & SEQUENCE_MASK)


def rowid_range(low: int, high: int) -> tuple[int, int]:
    """The rowids of chunks dated low..high (YYYYMMDD)."""
    return low << SEQUENCE_BITS, (high << SEQUENCE_BITS) | SEQUENCE_MASK


def day_of(rowid: int) -> int:
    return rowid >> SEQUENCE_BITS
