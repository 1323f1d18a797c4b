"""A run's drafts re-scored by the code as it is now, without a model.

Verification, attribution and answerability act after the model has written, so the drafts an
`newsdesk eval run` stored (`raw_answer`) get the answers the current code would give them, and
`newsdesk eval compare` shows what a change to those steps did (eval/reverify.py). A draft is only
re-scored against the prompt it was written from: a question whose prompt changed since the run
(runs record a fingerprint of each prompt) is kept as it was, and listed. Articles ranked below
the prompt's do not make a question moved: its draft was written from this very prompt (they differ
from one process to the next more often than the prompt does, since the dense search is
approximate); its retrieval scores are those of the current ranking.
"""

from __future__ import annotations

from typing import Any

from service.answering import AskRequest
from service.evaluation.questions import QuestionSet
from service.evaluation.runner import RECALL_DEPTH, EvalRunner, prompt_fingerprint


def reverify(runner: EvalRunner, qset: QuestionSet, stored: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The run's records with answers and scores of the current code; the ids whose prompt moved.

    Multiple-choice scores stay the run's own: that answer is a second model call, which
    verification does not touch."""
    questions = {q.id: q for q in qset.questions}
    answerer, k = runner.services.answerer, runner.services.settings.retrieval.k
    records: list[dict[str, Any]] = []
    moved: list[str] = []
    for old in stored:
        question = questions[old["id"]]
        request = AskRequest(question=question.question, as_of=question.as_of, k=max(k, RECALL_DEPTH))
        retrieved, date_range, as_of = answerer.retrieve(request)
        ranked_ids = list(dict.fromkeys(p.chunk.article_id for p in retrieved))
        messages, numbered = answerer.prompt(request, retrieved[:k], date_range, as_of)
        fingerprint = prompt_fingerprint(messages)
        # A run without fingerprints (before they were recorded) is only safe when nothing moved.
        stored_fingerprint = old.get("prompt_sha1")
        if (stored_fingerprint or fingerprint) != fingerprint or (not stored_fingerprint and ranked_ids != old["retrieved_ids"]):
            moved.append(old["id"])
            records.append(old)
            continue
        if not old["raw_answer"]:  # the model was down: nothing to verify
            records.append(old)
            continue
        answer = answerer.answer_from_draft(request, old["raw_answer"], numbered, date_range)
        scores = runner.score(question, answer.answer, old["raw_answer"], answer.refused, ranked_ids,
                              [p.chunk.text for p in retrieved], numbered, [s.verified for s in answer.sentences])
        scores |= {key: old["scores"][key] for key in ("mc_correct", "mc_named", "mc_answer_in_prompt")
                   if key in old["scores"]}
        records.append(old | {"answer": answer.answer, "refused": answer.refused,
                              "citations": [c.model_dump(mode="json") for c in answer.citations], "scores": scores})
    return records, moved
