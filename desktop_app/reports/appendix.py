"""The scorecard's appendices: the measured features behind the rule scores, and the model's per-answer ratings."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import CondPageBreak, KeepTogether

from desktop_app.reports.dimensions import latest_ai
from desktop_app.reports.styles import DASH, number_text, para, score_text, table

FEATURES_TITLE = "Appendix: measured features of the answers"
RATINGS_TITLE = "Appendix: how the model rated each answer"


def _target(target: Any) -> str:
    if isinstance(target, (list, tuple)):
        return "\u2013".join(number_text(t) if isinstance(t, (int, float)) else str(t) for t in target)
    return number_text(target) if isinstance(target, (int, float)) else str(target)


def _value(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or DASH
    return str(value)


def features(data: dict[str, Any], width: float) -> list[Any]:
    """Per dimension, each rule's measured value, target, weight and the share of it earned."""
    blocks: list[Any] = []
    for d in data["dimensions"]:
        for r in d["scores"].get("rules", []):
            lines = (r.get("details") or {}).get("lines") or []
            if not lines:
                continue
            header = ("Feature", "Measured", "Target", "Weight", "Earned")
            rows: list[list[Any]] = [[para(h, "cellbold") for h in header]]
            for ln in lines:
                measured = "not measured" if ln.get("value") is None else number_text(ln["value"])
                rows.append([para(ln.get("label", ""), "cell"), para(measured, "cell"),
                             para(_target(ln.get("target")), "cell"), number_text(ln.get("weight")),
                             number_text(ln.get("earned"))])
            capped = (r.get("details") or {}).get("capped_from")
            note = f" (capped from {score_text(capped)}: an answer addressed the scorer)" if capped is not None else ""
            blocks.append(KeepTogether([
                para(f"{d['name']} \u00b7 rule score {score_text(r.get('score'))}{note}", "h3"),
                table(rows, [width * f for f in (0.46, 0.14, 0.14, 0.12, 0.14)]),
            ]))
    if not blocks:
        return []
    intro = para("What the rules measured in the answers, per dimension. Earned is the share (0 to 1) of each "
                 "rule's weight the answers reached; the rule score combines them.", "small")
    return [para(FEATURES_TITLE, "h2"), intro] + blocks


def _sampling(ai: dict[str, Any]) -> str | None:
    det = ai.get("details") or {}
    if not det.get("samples"):
        return None
    samples = ", ".join(score_text(x) for x in det["samples"])
    text = f"Model samples {samples} (median {score_text(det.get('model_median'))}"
    if det.get("agreement") is not None:
        text += f", agreement {number_text(det['agreement'])}"
    text += ")"
    if det.get("band") is not None and det.get("rule_score") is not None:
        text += f", held within \u00b1{score_text(det['band'])} of the rule score {score_text(det['rule_score'])}"
    return text + f"; confidence {ai.get('confidence') or DASH}."


def ratings(data: dict[str, Any], width: float) -> list[Any]:
    """Per dimension, the model's rating of each answer (1 to 5 on the anchors) and how it was weighed."""
    blocks: list[Any] = []
    for d in data["dimensions"]:
        ai = latest_ai(d)
        if ai is None:
            continue
        block: list[Any] = [para(d["name"], "h3")]
        per_answer = (ai.get("details") or {}).get("ratings") or []
        if per_answer:
            rows: list[list[Any]] = [[para(h, "cellbold") for h in
                                      ("Answer", "Question", "Rating (1\u20135)", "Relevance", "Weight", "Flags")]]
            for item in per_answer:
                rating = item.get("rating")
                rows.append([_value(item.get("turn")), para(_value(item.get("question")), "cell"),
                             score_text(rating) if isinstance(rating, (int, float)) else _value(rating),
                             para(_value(item.get("relevance")), "cell"), _value(item.get("weight")),
                             para(_value(item.get("flags")) if item.get("flags") else DASH, "cell")])
            block.append(table(rows, [width * f for f in (0.09, 0.45, 0.12, 0.11, 0.09, 0.14)]))
        sampling = _sampling(ai)
        if sampling:
            block.append(para(sampling, "small"))
        if len(block) > 1:
            blocks.append(KeepTogether(block))
    if not blocks:
        return []
    return [CondPageBreak(120), para(RATINGS_TITLE, "h2")] + blocks
