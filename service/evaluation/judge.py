"""A second opinion on citations from an OpenAI-compatible judge model.

The project's own check (`support.support`) is lexical: it can be fooled by a sentence that
reuses a passage's words to say something else. A judge model reads the pair as a person would.
It is used by evaluation runs only, never on the answering path, and only when configured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.components.llm import ChatModel, ChatRequest, LLMBadOutput, LLMUnavailable, OpenAIChatModel
from service.domain import Passage
from service.prompting import PromptTemplate, load_prompt, neutralize
from service.settings import LLMSettings, Settings
from service.split_answer import split_answer


@dataclass
class Verdict:
    supported: bool | None  # None: the judge answered something other than YES or NO, or failed


class CitationJudge:
    def __init__(self, model: ChatModel, template: PromptTemplate) -> None:
        self._model = model
        self._template = template
        self.name = model.name

    @classmethod
    def from_settings(cls, settings: Settings) -> CitationJudge | None:
        judge = settings.eval
        if not judge.judge_base_url:
            return None
        llm = LLMSettings(
            backend="openai", base_url=judge.judge_base_url, model=judge.judge_model,
            api_key=judge.judge_api_key, timeout_s=judge.judge_timeout_s, max_retries=1,
        )
        model = OpenAIChatModel(settings.model_copy(update={"llm": llm}))
        return cls(model, load_prompt(settings.prompts_dir, "judge_citation"))

    def supports(self, passage: str, sentence: str) -> Verdict:
        messages = self._template.render(passage=neutralize(passage), sentence=neutralize(sentence))
        try:
            reply = self._model.complete(ChatRequest(messages, max_tokens=3, temperature=0.0)).text
        except (LLMUnavailable, LLMBadOutput):
            return Verdict(None)
        word = reply.strip().strip(".!*\"'").split()[:1]
        first = word[0].upper() if word else ""
        return Verdict(True if first == "YES" else False if first == "NO" else None)


def judged_citation_scores(
    answer: str, passages: Sequence[Passage], judge: CitationJudge, prefix: str
) -> dict[str, float | None]:
    """Precision and recall of an answer's [n] markers as the judge sees them.

    Same definitions as `metrics.citation_scores`; pairs the judge could not decide are left
    out of precision and counted in `<prefix>_undecided`.
    """
    pairs = supported_pairs = undecided = sentences = supported_sentences = 0
    for sentence, cited in split_answer(answer):
        sentences += 1
        good = False
        for n in cited:
            if not 1 <= n <= len(passages):
                pairs += 1  # a marker that points at no passage is a wrong citation
                continue
            verdict = judge.supports(passages[n - 1].chunk.text, sentence).supported
            if verdict is None:
                undecided += 1
                continue
            pairs += 1
            supported_pairs += verdict
            good = good or verdict
        supported_sentences += good
    return {
        f"{prefix}_precision": supported_pairs / pairs if pairs else None,
        f"{prefix}_recall": supported_sentences / sentences if sentences else None,
        f"{prefix}_undecided": float(undecided),
    }
