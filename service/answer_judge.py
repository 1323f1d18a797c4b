"""The answering model as a one-token judge: do the kept sentences give what the question asks?

Measured against the rules of `answerability.py` on the hard set (`eval/answerability_eval.py`): it
caught fewer unanswerable questions and cost seconds a question, so `focus` (the rules) is the default.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.components.llm import ChatModel, ChatRequest, LLMBadOutput, LLMUnavailable
from service.prompting import PromptTemplate, neutralize


class ModelJudge:
    """The answering model asked YES or NO: do these sentences give what the question asks?"""

    def __init__(self, model: ChatModel, template: PromptTemplate) -> None:
        self._model = model
        self._template = template

    def answers(self, question: str, kept: Sequence[str]) -> bool | None:
        """True or False; None when the model is down or replies something else (the answer stands)."""
        messages = self._template.render(question=neutralize(question), sentences=neutralize(" ".join(kept)))
        try:
            reply = self._model.complete(ChatRequest(messages, max_tokens=1, temperature=0.0)).text
        except (LLMUnavailable, LLMBadOutput):
            return None
        word = reply.strip().strip(".!*\"'").upper()
        return True if word.startswith("YES") else False if word.startswith("NO") else None
