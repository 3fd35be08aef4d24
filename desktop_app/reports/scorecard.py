"""Printed scorecards (reportlab platypus) honouring the profile's four scorecard switches.

Every string that came from a person or a model is escaped before it reaches a Paragraph,
so `<b>`, `&`, `<img src=...>` or `[[[...]]]` print literally and nothing is ever fetched.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop_app.core.transcript import Turn
from desktop_app.reports.charts import dimension_chart

PAPERS = {"a4": A4, "letter": LETTER}
INK = colors.HexColor("#1c2733")
MUTED = colors.HexColor("#5b6773")
RULE = colors.HexColor("#c9d1d9")
SHADE = colors.HexColor("#eef2f6")

_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("title", parent=_base["Title"], fontName="Helvetica-Bold", fontSize=17, leading=21,
                            alignment=0, textColor=INK, spaceAfter=2),
    "subtitle": ParagraphStyle("subtitle", parent=_base["Normal"], fontSize=10, textColor=MUTED, spaceAfter=8),
    "h2": ParagraphStyle("h2", parent=_base["Heading2"], fontName="Helvetica-Bold", fontSize=12, leading=15,
                         textColor=INK, spaceBefore=10, spaceAfter=4),
    "h3": ParagraphStyle("h3", parent=_base["Heading3"], fontName="Helvetica-Bold", fontSize=9.5, leading=12,
                         textColor=INK, spaceBefore=6, spaceAfter=2),
    "body": ParagraphStyle("body", parent=_base["Normal"], fontSize=9, leading=12, textColor=INK),
    "small": ParagraphStyle("small", parent=_base["Normal"], fontSize=7.5, leading=9.5, textColor=MUTED),
    "cell": ParagraphStyle("cell", parent=_base["Normal"], fontSize=8, leading=10, textColor=INK),
    "quote": ParagraphStyle("quote", parent=_base["Normal"], fontName="Helvetica-Oblique", fontSize=8.5, leading=11,
                            leftIndent=10, textColor=INK),
    "turn": ParagraphStyle("turn", parent=_base["Normal"], fontSize=8, leading=10.5, leftIndent=0, spaceAfter=2),
    "flag": ParagraphStyle("flag", parent=_base["Normal"], fontSize=8.5, leading=11, textColor=colors.HexColor("#7a2e0e")),
    "right": ParagraphStyle("right", parent=_base["Normal"], fontSize=8, alignment=TA_RIGHT),
}


def esc(value: Any) -> str:
    """Text safe for a Paragraph: markup characters escaped, newlines kept as line breaks."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def _p(text: Any, style: str = "body") -> Paragraph:
    return Paragraph(esc(text), STYLES[style])


def _fmt(value: float | None, digits: int = 1) -> str:
    return "\u2013" if value is None else f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


class _NumberedCanvas(pdfcanvas.Canvas):
    """Draws "Page n of N" and the footer once the page count is known."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            width, _ = self._pagesize
            self.setFont("Helvetica", 7)
            self.setFillColor(MUTED)
            self.drawString(18 * mm, 10 * mm, self.footer)
            self.drawRightString(width - 18 * mm, 10 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _table(rows: list[list[Any]], widths: Sequence[float], *, header: bool = True, zebra: bool = True) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTSIZE", (0, 0), (-1, -1), 8),
             ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE), ("TOPPADDING", (0, 0), (-1, -1), 3),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]
    if zebra:
        style += [("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f8fafc")])]
    table.setStyle(TableStyle(style))
    return table


def _header(data: dict[str, Any], width: float) -> list[Any]:
    result = data.get("result") or {}
    details = result.get("details") or {}
    model = details.get("model") or {}
    session = data["session"]
    model_text = f"{model.get('file', '')} (sha256 {str(model.get('sha256', ''))[:12]})" if model else "none (rule-based)"
    assessor = result.get("approved_by") or "not signed off yet"
    pairs = [
        ("Participant", data["participant"]["name"]), ("External ID", data["participant"].get("external_id") or "\u2013"),
        ("Template", data["template"]["name"]), ("Stage", f"{data['stage']['name']} (attempt {session.get('attempt', 1)})"),
        ("Date", (session.get("ended_at") or session.get("created_at") or "")[:16].replace("T", " ")),
        ("Assessor", assessor), ("Model", model_text),
        ("Versions", f"{details.get('prompt_version', '')} / {data['profile']['rubric_version']}"),
    ]
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for label, value in pairs[i:i + 2]:
            row += [_p(label, "small"), _p(value, "cell")]
        rows.append(row)
    table = Table(rows, colWidths=[width * 0.13, width * 0.37, width * 0.13, width * 0.37])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                               ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fbfcfd")),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return [_p(f"Scorecard: {data['template']['name']}", "title"),
            _p(f"{data['profile']['name']} \u00b7 {data['profile']['scale']} scale \u00b7 {data['profile']['method']}",
               "subtitle"), table]


def _summary(data: dict[str, Any], include_recommendation: bool) -> list[Any]:
    result = data.get("result") or {}
    top = data["profile"]["max_score"]
    threshold = data["stage"]["pass_threshold"]
    out: list[Any] = [_p("Summary", "h2")]
    overall = result.get("overall")
    lines = [f"<b>Overall score:</b> {esc(_fmt(overall, 2))} of {top} (weighted by the rubric; pass threshold {threshold:g})"]
    if include_recommendation:
        passed = result.get("passed")
        verdict = "\u2013" if passed is None else ("pass" if passed else "below threshold")
        lines.append(f"<b>Recommendation:</b> {esc(result.get('recommendation') or chr(8211))} \u00b7 <b>Result:</b> {verdict}")
    model = (result.get("details") or {}).get("model")
    dims = (result.get("details") or {}).get("dimensions", [])
    low = sum(1 for d in dims if d.get("confidence") == "low")
    if model:
        lines.append(f"<b>Scored by:</b> {esc(model.get('file'))}, each dimension held near its rule-based evidence; "
                     f"low confidence in {low} of {len(dims)} dimensions")
    else:
        lines.append("<b>Scored by:</b> rules over measured features of the answers (no language model)")
    decision = result.get("decision", "pending")
    if decision == "approved":
        lines.append(f"<b>Decision:</b> approved by {esc(result.get('approved_by'))} on {esc(str(result.get('approved_at'))[:16])}")
    else:
        lines.append("<b>Decision:</b> pending \u2013 provisional until an assessor signs off")
    out += [Paragraph(line, STYLES["body"]) for line in lines]
    flags = [f for f in result.get("flags", []) if f.get("review")]
    if result.get("needs_review"):
        out.append(Spacer(1, 4))
        out.append(Paragraph("<b>Flagged for human review.</b>", STYLES["flag"]))
        for f in flags[:8]:
            out.append(_p(f"Answer {f.get('turn')}: {f.get('detail')}: \u201c{f.get('text', '')}\u201d", "flag"))
    return out


def _score_cell(entries: list[dict[str, Any]]) -> str:
    return ", ".join(_fmt(e["score"]) for e in entries) or "\u2013"


def _breakdown(data: dict[str, Any], width: float) -> list[Any]:
    top = data["profile"]["max_score"]
    dims = data["dimensions"]
    finals = [(d.get("outcome") or {}).get("final") for d in dims]
    out: list[Any] = [_p("Score breakdown", "h2")]
    if all(f is not None for f in finals):
        out.append(dimension_chart([d["name"] for d in dims], finals, max_score=top,
                                   threshold=data["stage"]["pass_threshold"], width=width))
    rows: list[list[Any]] = [[_p(h, "cell") for h in ("Dimension", "Weight", "AI", "Rules", "Human", "Override", "Final", "Confidence")]]
    for d in dims:
        s, o = d["scores"], d.get("outcome") or {}
        rows.append([_p(d["name"], "cell"), f"{d['weight']}%", _score_cell(s["ai"]), _score_cell(s["rules"]),
                     _score_cell(s["human"]), _score_cell(s["override"]), _fmt(o.get("final")),
                     _p(o.get("confidence") or "\u2013", "cell")])
    out.append(_table(rows, [width * f for f in (0.3, 0.09, 0.09, 0.09, 0.1, 0.11, 0.09, 0.13)]))
    out.append(_p(f"Combined as '{(data['result'] or {}).get('details', {}).get('combine', data['profile']['combine'])}' "
                  "(ai | human | mean); an override replaces the dimension's score.", "small"))
    for d in dims:
        out += _dimension_detail(d)
    return out


def _dimension_detail(d: dict[str, Any]) -> list[Any]:
    s = d["scores"]
    block: list[Any] = [_p(d["name"], "h3")]
    for ai in s["ai"]:
        det = ai["details"]
        samples = ", ".join(_fmt(x) for x in det.get("samples", []))
        block.append(_p(f"Model: samples {samples or chr(8211)} (median {_fmt(det.get('model_median'))}, agreement "
                        f"{_fmt(det.get('agreement'), 2)}), held within \u00b1{_fmt(det.get('band'))} of the rule score "
                        f"{_fmt(det.get('rule_score'))}; confidence {ai.get('confidence')}.", "small"))
        if ai.get("rationale"):
            block.append(_p(f"Model rationale: {ai['rationale']}", "body"))
        for reason in det.get("reasons", []):
            block.append(_p(f"Note: {reason}", "small"))
    quotes = [q for src in ("ai", "rules") for e in s[src] for q in e.get("evidence", [])]
    for q in list(dict.fromkeys(quotes))[:3]:
        block.append(_p(f"\u201c{q}\u201d", "quote"))
    for r in s["rules"]:
        lines = r["details"].get("lines", [])
        if lines:
            text = "; ".join(
                f"{ln['label']} {_fmt(ln['value'], 2) if ln['value'] is not None else 'not measured'}"
                f" (target {ln['target'] if not isinstance(ln['target'], list) else '-'.join(map(str, ln['target']))},"
                f" weight {_fmt(ln['weight'])}, earned {_fmt(ln['earned'], 2) if ln['earned'] is not None else chr(8211)})"
                for ln in lines)
            block.append(_p(f"Rules: {text}", "small"))
    for o in s["override"]:
        block.append(_p(f"Override by {o['rater']}: {_fmt(o['score'])} \u2013 reason: {o.get('reason') or ''}", "body"))
    for h in s["human"]:
        block.append(_p(f"Human rater {h['rater']}: {_fmt(h['score'])} {h.get('rationale') or ''}", "body"))
    agreement = (d.get("outcome") or {}).get("agreement_ai_human")
    if agreement is not None:
        block.append(_p(f"Machine\u2013human agreement: {agreement:.2f} (1 = identical scores, 0 = opposite ends of the scale)",
                        "small"))
    return [KeepTogether(block[:3])] + block[3:]


def _signals(data: dict[str, Any], width: float) -> list[Any]:
    signals = (data.get("result") or {}).get("signals", [])
    if not signals:
        return []
    rows = [[_p("Signal", "cell"), _p("Measurement", "cell")]]
    for s in signals:
        mark = " \u25cf" if s.get("notable") else ""
        rows.append([_p(s["label"] + mark, "cell"), _p(s["value"], "cell")])
    return [KeepTogether([_p("Authenticity signals", "h2"),
                          _p("Measured facts for the assessor to weigh (\u25cf = stands out). They are not verdicts.", "small"),
                          _table(rows, [width * 0.32, width * 0.68])])]


def _feedback(data: dict[str, Any]) -> list[Any]:
    feedback = (data.get("result") or {}).get("feedback", {})
    if not feedback:
        return []
    out: list[Any] = [_p("Improvement feedback", "h2")]
    for name, text in feedback.items():
        out.append(Paragraph(f"<b>{esc(name)}:</b> {esc(text)}", STYLES["body"]))
    return out


def _transcript(turns: Sequence[Turn]) -> list[Any]:
    out: list[Any] = [_p("Transcript", "h2")]
    for t in turns:
        minutes, seconds = divmod(int(t.started_at), 60)
        who = t.speaker.capitalize()
        out.append(Paragraph(f"<font color='#5b6773'>[{minutes:02d}:{seconds:02d}]</font> <b>{esc(who)}:</b> {esc(t.text)}",
                             STYLES["turn"]))
    return out


def _signatures(width: float) -> list[Any]:
    line = "_" * 34
    rows = [[_p("Assessor", "small"), _p("Second rater", "small")],
            [_p(f"Signature {line}", "cell"), _p(f"Signature {line}", "cell")],
            [_p(f"Name {line}", "cell"), _p(f"Name {line}", "cell")],
            [_p(f"Date {line}", "cell"), _p(f"Date {line}", "cell")]]
    table = Table(rows, colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("TOPPADDING", (0, 1), (-1, -1), 10)]))
    return [Spacer(1, 8), KeepTogether([_p("Sign-off", "h2"), table])]


def render_scorecard(data: dict[str, Any], turns: Sequence[Turn], out: str | Path | io.BytesIO, *,
                     paper: str = "a4") -> None:
    """Writes a scorecard PDF for review data (evaluation.service.review_data) and the session's turns."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    options = data["profile"]["scorecard"]
    pagesize = PAPERS[paper]
    margin = 18 * mm
    width = pagesize[0] - 2 * margin
    story: list[Any] = _header(data, width)
    story += _summary(data, options.get("include_recommendation", True))
    if options.get("include_score_breakdown", True):
        story += _breakdown(data, width)
    story += _signals(data, width)
    if options.get("include_improvement_feedback", True):
        story += _feedback(data)
    if options.get("include_transcript", True):
        story += _transcript(turns)
    story += _signatures(width)
    target = str(out) if isinstance(out, Path) else out
    doc = SimpleDocTemplate(target, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"Scorecard {data['participant']['name']}",
                            author="Viva", subject=data["template"]["name"], creator="Viva")
    footer = f"Viva scorecard \u00b7 session {data['session_id'][:8]} \u00b7 {data['participant']['name']}"[:110]
    canvas_class = type("ScorecardCanvas", (_NumberedCanvas,), {"footer": footer})
    doc.build(story, canvasmaker=canvas_class)


def write_pdf_atomically(data: dict[str, Any], turns: Sequence[Turn], path: str | Path, *, paper: str = "a4") -> Path:
    """Renders into a temporary file beside `path` and renames it, so a failure leaves nothing behind."""
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"{path.parent}: no such folder")
    fd, tmp = tempfile.mkstemp(prefix=".scorecard-", suffix=".pdf", dir=path.parent)
    os.close(fd)
    try:
        render_scorecard(data, turns, Path(tmp), paper=paper)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_scorecard(store: Any, session_id: str, path: str | Path, *, paper: str = "a4",
                    operator: str = "operator") -> Path:
    """Writes one scored session's scorecard PDF to `path` (audited); see reports.exports.export_scorecard."""
    from desktop_app.reports.exports import export_scorecard

    return export_scorecard(store, session_id, path, paper=paper, operator=operator)
