"""An answer's text -> its sentences, each with the source numbers it cites.

The model writes "Sentence [1]. Another [2, 3]", lists, markers after the full stop and links;
verification (`citations`), the streamed answer and the evaluation all read it the same way.
"""

from __future__ import annotations

import re

from service.text import quoted_sentence_spans

# A marker cites numbers and ranges: [1], [1, 3], [2-4] (a model wrote "[1-7]": its 1 and 7 were
# then read as figures of the sentence, and a correct answer was dropped).
_CITED = r"\d{1,3}(?:\s*[-–]\s*\d{1,3})?"
_CITED_GROUP = rf"{_CITED}(?:\s*[,;]\s*{_CITED})*"
_MARKER = re.compile(rf"\s*\[({_CITED_GROUP})\]")
# "described in sources [1], [2], and [5]": a list of markers goes whole, its commas and "and" with
# it, or the sentence would read "described in sources,, and."
_MARKER_LIST = re.compile(
    rf"\s*\[{_CITED_GROUP}\](?:\s*[,;]?\s*(?:(?:and|or)\s+)?\[{_CITED_GROUP}\])+"
)
_LEADING_MARKERS = re.compile(rf"^(\s*\[{_CITED_GROUP}\])+")
# "According to [6], two people were killed": the credit is only a source number. Left to the
# marker rule it read "According to, two people were killed"; the sentence is the claim, citing 6.
_CREDITED_TO_A_MARKER = re.compile(
    rf"^According to (?:(?:the )?(?:sources?|articles?|passages?) )?((?:\[{_CITED_GROUP}\][\s,]*(?:and\s+)?)+),?\s*",
    re.IGNORECASE,
)
MAX_CITED_RANGE = 20
_PROMPT_ECHO = re.compile(r"^(today is|question:|sources:|time range:)", re.IGNORECASE)
_LINK = re.compile(r"!?\[([^\]]*)\]\((\S+?)\)|https?://\S+")


def cited_numbers(marker: str) -> list[int]:
    """"1, 3" -> [1, 3]; "2-4" -> [2, 3, 4] (a range longer than MAX_CITED_RANGE cites its ends only)."""
    numbers_cited: list[int] = []
    for item in re.split(r"[,;]", marker):
        ends = [int(n) for n in re.findall(r"\d+", item)]
        if len(ends) == 2 and 0 <= ends[1] - ends[0] <= MAX_CITED_RANGE:
            numbers_cited.extend(range(ends[0], ends[1] + 1))
        else:
            numbers_cited.extend(ends)
    return numbers_cited


# A list item's marker: "- ", "* ", "• ", "1. ", "2) ".
LIST_MARKER = r"(?:[-*\u2022]|\d{1,2}[.)])"
# The first item too: a streamed segment, or a reply, can open with one ("- Police recovered ...").
_LIST_ITEM = re.compile(rf"(?:^|\n)\s*{LIST_MARKER}\s+")


def split_answer(text: str) -> list[tuple[str, list[int]]]:
    """Answer text -> (sentence without markers, cited numbers) in order."""
    text = _LINK.sub(lambda m: m.group(1) or "", text)
    result: list[tuple[str, list[int]]] = []
    # Each item of a list the model writes is a claim of its own, with its own citations.
    blocks = _LIST_ITEM.split(text.strip())
    spans = [(block, span) for block in blocks for span in quoted_sentence_spans(block.strip())]
    for block, (start, end, block_end) in spans:
        raw = block.strip()[start:end]
        leading = _LEADING_MARKERS.match(raw)
        if leading and result:  # "One fact. [1] Two facts": the [1] belongs to "One fact."
            result[-1][1].extend(n for group in _MARKER.findall(leading.group(0)) for n in cited_numbers(group))
            raw = raw[leading.end() :]
        if credit := _CREDITED_TO_A_MARKER.match(raw):
            claim = raw[credit.end() :]
            raw = f"{claim[:1].upper()}{claim[1:]} {credit.group(1).strip(' ,')}"
        cited = [n for group in _MARKER.findall(raw) for n in cited_numbers(group)]
        # "stolen on Sunday, March 1, [1]." loses its marker, and the comma before it goes too.
        clean = re.sub(r"[\s,;:]+([.!?])$", r"\1", _MARKER.sub("", _MARKER_LIST.sub("", raw)).strip())
        if _PROMPT_ECHO.match(clean):
            continue
        if len(blocks) > 1 and block_end and not re.search(r"[.!?…\"'”’)]$", clean):
            clean = clean.rstrip(":;, ") + "."  # so that items stay sentences once joined
        if re.search(r"\w", clean):
            result.append((clean, cited))
        elif cited and result:  # a marker that ended up after the full stop
            result[-1][1].extend(cited)
    return result
