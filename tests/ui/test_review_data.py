"""The review lists the same evidence the scorecard prints: the model's quotes when it scored, else the rules'."""

from __future__ import annotations

from desktop_app.ui.review.data import dimension_row

RULES = {"source": "rules", "score": 4.2, "evidence": ["I kept a log of every complaint"]}


def _dimension(ai_evidence: list[str] | None) -> dict:
    ai = [] if ai_evidence is None else [{"source": "ai", "score": 3.2, "evidence": ai_evidence}]
    return {"name": "Problem solving", "weight": 50, "scores": {"ai": ai, "rules": [RULES]}, "outcome": {}}


def test_a_model_score_shows_only_the_models_quotes():
    assert dimension_row(_dimension([]))["evidence"] == [], "the scorecard prints 'No verified quote' here"
    assert dimension_row(_dimension(["We cut repeat calls by a third"]))["evidence"] == [
        "We cut repeat calls by a third"]


def test_without_a_model_score_the_rules_sentences_are_the_evidence():
    assert dimension_row(_dimension(None))["evidence"] == ["I kept a log of every complaint"]
