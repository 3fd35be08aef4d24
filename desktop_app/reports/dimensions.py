"""The scorecard's score breakdown: the chart, the table, and per dimension what an assessor reads first.

Per dimension: the final score, the rubric anchor the model matched with the anchor's wording, the model's
rationale, and the verbatim quotes (verified against the answers) that back it. Rule measurements and
per-answer ratings are reference material and live in the appendix (reports.appendix).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import KeepTogether, Paragraph

from desktop_app.reports.charts import dimension_chart
from desktop_app.reports.styles import DASH, STYLES, esc, para, score_text, table

ANCHORS = ("low", "middle", "high")
MAX_QUOTES = 3


def _score_cell(entries: list[dict[str, Any]]) -> str:
    return ", ".join(score_text(e["score"]) for e in entries) or DASH


def latest_ai(d: dict[str, Any]) -> dict[str, Any] | None:
    """The dimension's current model score row (the newest), or None when no model scored it."""
    rows = d["scores"].get("ai") or []
    return rows[-1] if rows else None


def breakdown(data: dict[str, Any], width: float) -> list[Any]:
    """Chart, score table and one readable block per dimension."""
    top = data["profile"]["max_score"]
    dims = data["dimensions"]
    finals = [(d.get("outcome") or {}).get("final") for d in dims]
    scores = [f for f in finals if f is not None]
    out: list[Any] = [para("Score breakdown", "h2")]
    if dims and len(scores) == len(finals):
        out.append(dimension_chart([d["name"] for d in dims], scores, max_score=top,
                                   threshold=data["stage"]["pass_threshold"], width=width))
    header = ("Dimension", "Weight", "AI", "Rules", "Human", "Override", "Final", "Confidence")
    rows: list[list[Any]] = [[para(h, "cellbold") for h in header]]
    for d in dims:
        s, o = d["scores"], d.get("outcome") or {}
        rows.append([para(d["name"], "cell"), f"{d['weight']}%", _score_cell(s["ai"]), _score_cell(s["rules"]),
                     _score_cell(s["human"]), _score_cell(s["override"]), score_text(o.get("final")),
                     para(o.get("confidence") or DASH, "cell")])
    out.append(table(rows, [width * f for f in (0.3, 0.09, 0.09, 0.09, 0.1, 0.11, 0.09, 0.13)]))
    combine = ((data.get("result") or {}).get("details") or {}).get("combine", data["profile"]["combine"])
    out.append(para(f"{COMBINE_WORDS.get(combine, COMBINE_WORDS['mean'])} An override replaces the dimension's "
                    "score.", "small"))
    out.append(para("How each dimension was scored", "h2"))
    for d in dims:
        out += dimension_detail(d, top)
    return out


# How the AI's and people's scores make the Final column, in words (the profile's scoring.combine value).
COMBINE_WORDS = {
    "ai": "Final is the AI's score; people's scores are shown beside it.",
    "human": "Final is people's score where they gave one, else the AI's.",
    "mean": "Final averages the AI's score with people's scores where they gave any, else it is the AI's.",
}


def _anchor_line(ai: dict[str, Any]) -> Paragraph | None:
    det = ai.get("details") or {}
    anchor = det.get("anchor")
    if anchor not in ANCHORS:
        return None
    rating = det.get("rating")
    scale = f" (rated {score_text(rating)} on the anchors' 1\u20135 scale)" if isinstance(rating, (int, float)) else ""
    text = f"<b>Matched anchor:</b> {esc(anchor)}{scale}"
    if det.get("anchor_text"):
        text += f" \u2013 \u201c{esc(det['anchor_text'])}\u201d"
    return Paragraph(text, STYLES["body"])


def _quotes(d: dict[str, Any], ai: dict[str, Any] | None) -> list[str]:
    """The model's verified quotes; without a model score, the sentences the rules picked out.

    The rules' sentences never stand in for the model's: they may come from other answers than the one the
    model's note is about, and would look like evidence for it."""
    if ai is not None:
        quotes = list(ai.get("evidence") or [])
    else:
        quotes = [q for r in d["scores"].get("rules", []) for q in r.get("evidence", [])]
    return [q for q in dict.fromkeys(str(q).strip() for q in quotes) if q][:MAX_QUOTES]


def dimension_detail(d: dict[str, Any], max_score: float) -> list[Any]:
    """One dimension: final score, matched anchor, rationale, quotes, then overrides and human ratings."""
    s, outcome = d["scores"], d.get("outcome") or {}
    ai = latest_ai(d)
    final = outcome.get("final")
    title = f"{esc(d['name'], 'h3')} \u00b7 {score_text(final)} of {max_score:g}"
    head: list[Any] = [Paragraph(title, STYLES["h3"])]
    if d.get("description"):
        head.append(para(d["description"], "small"))
    if ai is not None:
        anchor = _anchor_line(ai)
        if anchor is not None:
            head.append(anchor)
        if ai.get("rationale"):
            head.append(Paragraph(f"<b>Why:</b> {esc(ai['rationale'])}", STYLES["body"]))
    elif s.get("rules"):
        head.append(para("Scored by rules over measured features of the answers (see the appendix).", "body"))
    quotes = _quotes(d, ai)
    if quotes:
        head.append(Paragraph("<b>Evidence from the answers:</b>", STYLES["body"]))
        head += [Paragraph(f"\u201c{esc(q, 'quote')}\u201d", STYLES["quote"]) for q in quotes]
    elif ai is not None:
        head.append(para("No verified quote backs this score.", "small"))
    rest: list[Any] = []
    if ai is not None:
        confidence = ai.get("confidence")
        reasons = (ai.get("details") or {}).get("reasons") or []
        if confidence == "low" or reasons:
            note = f"Model confidence {confidence or DASH}"
            rest.append(para(note + (": " + "; ".join(map(str, reasons)) if reasons else "."), "small"))
    for o in s.get("override", []):
        rest.append(Paragraph(f"<b>Override</b> by {esc(o['rater'])}: {score_text(o['score'])} \u2013 reason: "
                              f"{esc(o.get('reason') or '')}", STYLES["body"]))
    for h in s.get("human", []):
        rationale = f" \u2013 {esc(h['rationale'])}" if h.get("rationale") else ""
        rest.append(Paragraph(f"<b>Human rater</b> {esc(h['rater'])}: {score_text(h['score'])}{rationale}",
                              STYLES["body"]))
    agreement = outcome.get("agreement_ai_human")
    if agreement is not None:
        rest.append(para(f"Machine\u2013human agreement: {agreement:.2f} (1 = identical scores, 0 = opposite ends "
                         "of the scale)", "small"))
    # Heading, anchor and rationale stay on one page; long quote lists may run on.
    return [KeepTogether(head[:4])] + head[4:] + rest
