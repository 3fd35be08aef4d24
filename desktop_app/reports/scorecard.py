"""Printed scorecards (reportlab platypus) honouring the profile's four scorecard switches.

Every string that came from a person or a model is escaped before it reaches a Paragraph,
so `<b>`, `&`, `<img src=...>` or `[[[...]]]` print literally and nothing is ever fetched, and is set run by
run in a bundled font that has its script (reports.fonts). Scores print with one decimal everywhere.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop_app.core.outcome import describe_rule, disagreement, recommendation_words, result_words
from desktop_app.core.transcript import Turn
from desktop_app.reports import appendix, fonts
from desktop_app.reports.dimensions import breakdown
from desktop_app.reports.styles import DASH, MUTED, RULE, STYLES, esc, para, score_text, table

PAPERS = {"a4": A4, "letter": LETTER}
NOT_SIGNED = "Not yet signed off"
METHOD_WORDS = {"rule_based": "rule-based scoring", "weighted_average": "AI scoring (weighted average)"}


def _signer(result: dict[str, Any]) -> str | None:
    """The signing assessor's name, only while the result is approved."""
    return result.get("approved_by") if result.get("decision") == "approved" else None


def _day(stamp: Any) -> str:
    return str(stamp or "")[:16].replace("T", " ")


class _NumberedCanvas(pdfcanvas.Canvas):
    """Draws "Page n of N" and the footer once the page count is known."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset, private so not in the stubs

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            width, _ = self._pagesize  # type: ignore[attr-defined]  # private (no getter), so not in the stubs
            self.setFillColor(MUTED)
            fonts.draw_string(self, 18 * mm, 10 * mm, self.footer, 7)
            fonts.draw_string(self, width - 18 * mm, 10 * mm, f"Page {self.getPageNumber()} of {total}", 7, anchor="end")
            super().showPage()
        super().save()


def _header(data: dict[str, Any], width: float) -> list[Any]:
    result = data.get("result") or {}
    details = result.get("details") or {}
    model = details.get("model") or {}
    session = data["session"]
    model_text = f"{model.get('file', '')} (sha256 {str(model.get('sha256', ''))[:12]})" if model else "none (rule-based)"
    assessor = _signer(result) or NOT_SIGNED
    pairs = [
        ("Participant", data["participant"]["name"]), ("External ID", data["participant"].get("external_id") or DASH),
        ("Template", data["template"]["name"]), ("Stage", f"{data['stage']['name']} (attempt {session.get('attempt', 1)})"),
        ("Date", (session.get("ended_at") or session.get("created_at") or "")[:16].replace("T", " ")),
        ("Assessor", assessor), ("Model", model_text),
        ("Versions", f"{details.get('prompt_version', '')} / {data['profile']['rubric_version']}"),
    ]
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for label, value in pairs[i:i + 2]:
            row += [para(label, "small"), para(value, "cell")]
        rows.append(row)
    facts = Table(rows, colWidths=[width * 0.13, width * 0.37, width * 0.13, width * 0.37])
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                               ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fbfcfd")),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return [para(f"Scorecard: {data['template']['name']}", "title"),
            para(f"{data['profile']['name']} \u00b7 {data['profile']['scale']} scale \u00b7 {METHOD_WORDS.get(data['profile']['method'], data['profile']['method'])}",
                 "subtitle"), facts]


def _summary(data: dict[str, Any], include_recommendation: bool) -> list[Any]:
    result = data.get("result") or {}
    top = data["profile"]["max_score"]
    threshold = data["stage"]["pass_threshold"]
    out: list[Any] = [para("Summary", "h2")]
    overall = result.get("overall")
    lines = [f"<b>Overall score:</b> {score_text(overall)} of {top:g} (weighted by the rubric; pass threshold "
             f"{score_text(threshold)})"]
    if include_recommendation:
        labels = data["profile"].get("labels") or ()
        lines.append(f"<b>Recommendation:</b> {esc(recommendation_words(result.get('recommendation')))} \u00b7 "
                     f"<b>Result:</b> {esc(result_words(result.get('passed')))}")
        names = [d["name"] for d in data.get("dimensions", [])]
        rule = describe_rule(data["profile"].get("recommendation_logic"), labels, threshold=threshold, top=top,
                             dimension_names=names)
        lines.append(f"<b>How the recommendation is made:</b> {esc(rule)}")
        conflict = disagreement(result.get("recommendation"), result.get("passed"), labels, threshold=threshold,
                                top=top, basis=(result.get("details") or {}).get("recommendation_basis"))
        warn_lines = [w for w in (conflict, (data.get("sign_off") or {}).get("override_moved")) if w]
    else:
        warn_lines = []
    model = (result.get("details") or {}).get("model")
    dims = (result.get("details") or {}).get("dimensions", [])
    low = sum(1 for d in dims if d.get("confidence") == "low")
    if model:
        how = ("which rated every answer against each dimension's anchors" if model.get("chat")
               else "each dimension held near its rule-based evidence (a base model cannot judge answers)")
        lines.append(f"<b>Scored by:</b> {esc(model.get('file'))}, {how}; low confidence in {low} of {len(dims)} "
                     "dimensions")
    else:
        lines.append("<b>Scored by:</b> rules over measured features of the answers (no language model)")
    signer = _signer(result)
    if signer:
        lines.append(f"<b>Decision:</b> signed off by {esc(signer)} on {esc(_day(result.get('approved_at')))}")
    else:
        lines.append("<b>Decision:</b> pending \u2013 provisional until an assessor signs off")
    out += [Paragraph(line, STYLES["body"]) for line in lines]
    for warning in warn_lines:
        out.append(Paragraph(f"<b>Warning:</b> {esc(warning, 'flag')}", STYLES["flag"]))
    flags = [f for f in result.get("flags", []) if f.get("review")]
    if result.get("needs_review"):
        out.append(Spacer(1, 4))
        out.append(Paragraph("<b>Flagged for human review.</b>", STYLES["flag"]))
        for f in flags[:8]:
            out.append(para(f"Answer {f.get('turn')}: {f.get('detail')}: \u201c{f.get('text', '')}\u201d", "flag"))
    return out


def _signals(data: dict[str, Any], width: float) -> list[Any]:
    signals = (data.get("result") or {}).get("signals", [])
    if not signals:
        return []
    rows = [[para("Signal", "cellbold"), para("Measurement", "cellbold")]]
    for s in signals:
        mark = " \u2022" if s.get("notable") else ""
        rows.append([para(s["label"] + mark, "cell"), para(s["value"], "cell")])
    return [KeepTogether([para("Authenticity signals", "h2"),
                          para("Measured facts for the assessor to weigh (\u2022 = stands out). They are not verdicts.",
                               "small"),
                          table(rows, [width * 0.32, width * 0.68])])]


def _feedback(data: dict[str, Any]) -> list[Any]:
    feedback = (data.get("result") or {}).get("feedback", {})
    if not feedback:
        return []
    out: list[Any] = [para("Improvement feedback", "h2")]
    for name, text in feedback.items():
        out.append(Paragraph(f"<b>{esc(name, bold=True)}:</b> {esc(text)}", STYLES["body"]))
    return out


def _transcript(turns: Sequence[Turn]) -> list[Any]:
    out: list[Any] = [para("Transcript", "h2")]
    for t in turns:
        minutes, seconds = divmod(int(t.started_at), 60)
        who = t.speaker.capitalize()
        stamp = f"<font color='#5b6773'>[{minutes:02d}:{seconds:02d}]</font>"
        out.append(Paragraph(f"{stamp} <b>{esc(who, bold=True)}:</b> {esc(t.text, 'turn')}", STYLES["turn"]))
    return out


def _signatures(data: dict[str, Any], width: float) -> list[Any]:
    """The assessor who signed off (name and date from the sign-off) with a line to sign by hand; a second rater."""
    result = data.get("result") or {}
    line = "_" * 34
    signer = _signer(result)
    if signer:
        name = Paragraph(f"Name: <b>{esc(signer, bold=True)}</b>", STYLES["cell"])
        date = para(f"Signed off: {_day(result.get('approved_at'))}", "cell")
    else:
        name = para(NOT_SIGNED, "cellbold")
        date = para(f"Date {line}", "cell")
    rows = [[para("Assessor", "small"), para("Second rater", "small")],
            [name, para(f"Name {line}", "cell")],
            [date, para(f"Date {line}", "cell")],
            [para(f"Signature {line}", "cell"), para(f"Signature {line}", "cell")]]
    lines = Table(rows, colWidths=[width / 2, width / 2])
    lines.setStyle(TableStyle([("TOPPADDING", (0, 1), (-1, -1), 10)]))
    return [Spacer(1, 8), KeepTogether([para("Sign-off", "h2"), lines])]


def render_scorecard(data: dict[str, Any], turns: Sequence[Turn], out: str | Path | io.BytesIO, *,
                     paper: str = "a4") -> None:
    """Writes a scorecard PDF for review data (evaluation.service.review_data) and the session's turns."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    fonts.register_fonts()
    options = data["profile"]["scorecard"]
    pagesize = PAPERS[paper]
    margin = 18 * mm
    width = pagesize[0] - 2 * margin
    story: list[Any] = _header(data, width)
    story += _summary(data, options.get("include_recommendation", True))
    if options.get("include_score_breakdown", True):
        story += breakdown(data, width)
    story += _signals(data, width)
    if options.get("include_improvement_feedback", True):
        story += _feedback(data)
    if options.get("include_transcript", True):
        story += _transcript(turns)
    story += _signatures(data, width)
    if options.get("include_score_breakdown", True):
        # Reference material behind the breakdown, on its own pages after the sign-off.
        extra = appendix.features(data, width) + appendix.ratings(data, width)
        story += [PageBreak(), *extra] if extra else []
    target = str(out) if isinstance(out, Path) else out
    doc = SimpleDocTemplate(target, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"Scorecard {data['participant']['name']}",
                            author="Viva", subject=data["template"]["name"], creator="Viva")
    footer_text = f"Viva scorecard \u00b7 session {data['session_id'][:8]} \u00b7 {data['participant']['name']}"[:110]

    class ScorecardCanvas(_NumberedCanvas):
        footer = footer_text

    doc.build(story, canvasmaker=ScorecardCanvas)


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
