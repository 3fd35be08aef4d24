"""Optional model wording for practice feedback; the rule-based text stays the source of truth."""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.core.feedback import answer_feedback
from desktop_app.core.models import AgentProfile
from desktop_app.core.scoring_rules import keywords
from desktop_app.engines.base import EngineError, GenerationRequest, LanguageModel

_EXAMPLE = (
    "Coach notes rewritten as friendly advice to the candidate, keeping every point.\n"
    "Notes: Add a number that shows the result. Name the tools you used.\n"
    "Advice: Next time, finish with a number that shows your result, and name the tools you actually used.\n"
)


def model_rephraser(llm: LanguageModel, *, max_tokens: int = 48, seed: int = 7) -> Callable[[str], str]:
    """A rephrase function for answer_feedback; returns "" (keep the rule text) when the wording drops the points."""

    def rephrase(text: str) -> str:
        prompt = f"{_EXAMPLE}Notes: {text}\nAdvice:"
        try:
            out = llm.generate(GenerationRequest(prompt=prompt, max_tokens=max_tokens, temperature=0.3, seed=seed,
                                                 stop=["\n"])).strip()
        except EngineError:
            return ""
        wanted = keywords(text)
        kept = keywords(out)
        # A small model drifts: accept the wording only if it keeps most of the notes' content words.
        if not out or not wanted or len(wanted & kept) / len(wanted) < 0.6:
            return ""
        return out

    return rephrase


def practice_feedback(question: str, answer: str, profile: AgentProfile, *, llm: LanguageModel | None = None,
                      skills: tuple[str, ...] = (), latency_s: float | None = None) -> str:
    """Feedback after one practice answer: rule-based, worded by the model when one is given and it keeps the points."""
    rephrase = model_rephraser(llm) if llm is not None else None
    return answer_feedback(question, answer, profile, skills=skills, latency_s=latency_s, rephrase=rephrase)
