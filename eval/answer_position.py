"""Where the gold answer first appears in the evidence the model reads, without a model.

    .venv/bin/python eval/answer_position.py --set asked --index eval/runs/fixed-index
    NEWSDESK_RETRIEVAL__EVIDENCE_ORDER=article .venv/bin/python eval/answer_position.py --set asked ...

Prints, over the answerable questions: the share whose gold is anywhere in the prompt, in its
first evidence sentence, in source [1], and the mean index of the first sentence holding it.
A small model answers from what it reads first (README, "The best sentence first").
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

from service.answering import AskRequest
from service.article_sources import EVIDENCE_SEPARATOR
from service.evaluation.questions import load_question_set
from service.settings import Settings
from service.wiring import Services

_SOURCE = re.compile(r"^\[(\d+)\] .*?\n<<<\n(.*?)\n>>>", re.S | re.M)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="question_set", required=True, help="as for `newsdesk eval run --set`")
    parser.add_argument("--index", type=Path, required=True, help="the index of that set's corpus")
    args = parser.parse_args()
    services = Services(Settings().model_copy(update={"data_dir": args.index}))
    answerer, k = services.answerer, services.settings.retrieval.k
    answerable = in_prompt = first_sentence = first_source = 0
    positions: list[int] = []
    for question in load_question_set(args.question_set).questions:
        if question.unanswerable or not question.answers:
            continue
        answerable += 1
        request = AskRequest(question=question.question, as_of=question.as_of, k=k)
        retrieved, date_range, as_of = answerer.retrieve(request)
        messages, _ = answerer.prompt(request, retrieved[:k], date_range, as_of)
        sources = [text for _, text in _SOURCE.findall(messages[-1]["content"])]
        sentences = [s.lower() for text in sources for s in text.split(EVIDENCE_SEPARATOR)]
        golds = [g.lower() for g in question.answers]
        holding = [i for i, sentence in enumerate(sentences) if any(g in sentence for g in golds)]
        if holding:
            in_prompt += 1
            positions.append(holding[0])
            first_sentence += holding[0] == 0
            first_source += any(g in sources[0].lower() for g in golds)
    n = max(answerable, 1)
    print(f"{args.question_set}: {answerable} answerable; gold in prompt {in_prompt / n:.3f}, in its first sentence "
          f"{first_sentence / n:.3f}, in source [1] {first_source / n:.3f}; first holding sentence, mean index "
          f"{statistics.mean(positions) if positions else 0:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
