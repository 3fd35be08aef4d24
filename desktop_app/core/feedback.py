"""Improvement feedback for candidates, built from measured features of their answers (fast, no model)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from desktop_app.core.injection import strip_injections
from desktop_app.core.models import AgentProfile
from desktop_app.core.scoring_rules import FEATURES, Answer, RuleScore, measure, words

# One concrete tip per feature, used when that feature earned little.
TIPS: dict[str, str] = {
    "dimension_relevance": "Speak directly to what this area is about: {dimension_hint}.",
    "skills_coverage": "Show the skills the role asks for{skills_hint}.",
    "traits_coverage": "Let the qualities the role values come through in your example.",
    "quantified": "Add a number that shows the result (time saved, % improved, customers served).",
    "star": "Structure the story: the situation, your task, what you did, and the result.",
    "named_tools": "Name the tools, methods or systems you actually used.",
    "first_person": "Say what you did yourself (\"I decided...\", \"I built...\"), not only what the team did.",
    "words_per_answer": "Give a fuller answer: one concrete example in a few sentences.",
    "latency_s": "Take a moment to think, then start with the main point; it is fine to say you are thinking.",
}
_TOO_LONG = "Keep it tighter: lead with the point, one example, the result."
_GOOD = "Good answer: specific, structured and with a measurable result. Keep that pattern."


def tips_for(values: dict[str, float | None], *, skills: Sequence[str] = (), dimension_hint: str = "",
             limit: int = 2) -> list[str]:
    """Up to `limit` tips for the weakest measured features, most important first."""
    from desktop_app.core.scoring_rules import earned

    order = ["words_per_answer", "star", "quantified", "first_person", "named_tools", "skills_coverage",
             "dimension_relevance", "latency_s"]
    tips: list[str] = []
    for feature in order:
        value = values.get(feature)
        got = earned(feature, value, FEATURES[feature]["target"])
        if got is None or got >= 0.75:
            continue
        if feature == "words_per_answer" and value is not None and value > FEATURES[feature]["target"][1]:
            tips.append(_TOO_LONG)
        elif feature == "dimension_relevance" and not dimension_hint:
            continue
        else:
            hint = f", e.g. {', '.join(skills[:3])}" if skills else ""
            tips.append(TIPS[feature].format(skills_hint=hint, dimension_hint=dimension_hint))
        if len(tips) >= limit:
            break
    return tips


def answer_feedback(question: str, answer: str, profile: AgentProfile, *, skills: Sequence[str] = (),
                    latency_s: float | None = None, rephrase: Callable[[str], str] | None = None) -> str:
    """Quick rule-based feedback on one practice answer; `rephrase` may reword it (e.g. with a model)."""
    cleaned = strip_injections(answer).text
    if not words(cleaned):
        return "No answer was recorded. Try again: one example, what you did, and the result."
    meta = {"latency_s": latency_s} if latency_s is not None else {}
    focus = " ".join(d.name for d in profile.rubric)
    values = measure([Answer(0, cleaned, question, meta)], dimension_text=focus, skills=skills)
    # Relevance to every dimension at once is a weak signal for a single answer: leave it out.
    values["dimension_relevance"] = None
    tips = tips_for(values, skills=skills)
    text = " ".join(tips) if tips else _GOOD
    if rephrase is not None:
        try:
            reworded = rephrase(text).strip()
        except Exception:  # wording is optional; the rule-based text is always correct
            reworded = ""
        if 10 <= len(reworded) <= 400:
            return reworded
    return text


def dimension_feedback(rule_score: RuleScore, *, skills: Sequence[str] = ()) -> str:
    """One or two tips for a dimension, from the rules that earned least."""
    values = {ln.feature: ln.value for ln in rule_score.lines}
    tips = tips_for(values, skills=skills, dimension_hint=rule_score.dimension.lower())
    return " ".join(tips) if tips else _GOOD
