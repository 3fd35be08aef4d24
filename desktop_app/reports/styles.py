"""Shared look of printed reports: colours, paragraph styles in the bundled fonts, escaping and number formats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from desktop_app.core.outcome import format_score
from desktop_app.reports import fonts

INK = colors.HexColor("#1c2733")
MUTED = colors.HexColor("#5b6773")
RULE = colors.HexColor("#c9d1d9")
SHADE = colors.HexColor("#eef2f6")
ACCENT = colors.HexColor("#1f3a5f")
DASH = "\u2013"


def _style(name: str, size: float, leading: float, *, font: str = fonts.REGULAR, **kw: Any) -> ParagraphStyle:
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **kw)


STYLES = {
    "title": _style("title", 17, 21, font=fonts.BOLD, spaceAfter=2),
    "subtitle": _style("subtitle", 10, 12, textColor=MUTED, spaceAfter=8),
    "h2": _style("h2", 12, 15, font=fonts.BOLD, spaceBefore=10, spaceAfter=4),
    "h3": _style("h3", 9.5, 12, font=fonts.BOLD, spaceBefore=8, spaceAfter=2),
    "body": _style("body", 9, 12),
    "small": _style("small", 7.5, 9.5, textColor=MUTED),
    "cell": _style("cell", 8, 10),
    "cellbold": _style("cellbold", 8, 10, font=fonts.BOLD),
    "quote": _style("quote", 8.5, 11, font=fonts.ITALIC, leftIndent=10, spaceBefore=1),
    "anchor": _style("anchor", 8.5, 11, leftIndent=10, textColor=MUTED),
    "turn": _style("turn", 8, 10.5, spaceAfter=2),
    "flag": _style("flag", 8.5, 11, textColor=colors.HexColor("#7a2e0e")),
    "right": _style("right", 8, 10, alignment=TA_RIGHT),
}


def _weight(style: ParagraphStyle) -> tuple[bool, bool]:
    name = style.fontName
    return name.endswith(("-Bold", "-BoldItalic")), name.endswith(("-Italic", "-BoldItalic"))


def esc(value: Any, style: str = "body", *, bold: bool = False) -> str:
    """Paragraph markup for untrusted text: escaped, newlines kept, each script's run in a font that has it.

    `style` (or `bold`) says what surrounds the text, so a run in another script keeps the weight and slant.
    """
    is_bold, is_italic = _weight(STYLES[style])
    return fonts.markup(value, bold=bold or is_bold, italic=is_italic)


def para(text: Any, style: str = "body") -> Paragraph:
    """A Paragraph of untrusted text, printed literally."""
    return Paragraph(esc(text, style), STYLES[style])


def score_text(value: float | None) -> str:
    """Every score on a scorecard: core.outcome's one-decimal form (6.5, 7.0), a dash when there is none."""
    return format_score(value)


def number_text(value: float | None, digits: int = 2) -> str:
    """A measurement (not a score): up to `digits` decimals without trailing zeros."""
    if value is None:
        return DASH
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def table(rows: list[list[Any]], widths: Sequence[float], *, header: bool = True, zebra: bool = True) -> Table:
    """A ruled table; cells that are not Paragraphs must be plain numbers or fixed words."""
    result = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0)
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8), ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("FONTNAME", (0, 0), (-1, 0), fonts.BOLD)]
    if zebra:
        style += [("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f8fafc")])]
    result.setStyle(TableStyle(style))
    return result
