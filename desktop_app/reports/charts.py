"""Vector charts for scorecards (reportlab.graphics); labels are plain strings, never markup, drawn run by run
in the bundled font that has each script (reports.fonts)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from desktop_app.core.outcome import format_score
from desktop_app.reports import fonts

PASS_COLOUR = colors.HexColor("#2f6f4f")
FAIL_COLOUR = colors.HexColor("#b5562b")
THRESHOLD_COLOUR = colors.HexColor("#1f3a5f")


LABEL_SIZE = 8
LABEL_GAP = 4


def _short(label: str, max_width: float, size: float = LABEL_SIZE) -> str:
    """The label on one line, cut with an ellipsis to fit max_width points."""
    label = " ".join(label.split())
    if fonts.string_width(label, size) <= max_width:
        return label
    while label and fonts.string_width(label + "\u2026", size) > max_width:
        label = label[:-1]
    return label.rstrip() + "\u2026"


def label_strings(text: str, x: float, y: float, size: float, *, anchor: str = "start",
                  colour: colors.Color = colors.black) -> list[String]:
    """One String per script run, laid end to end; anchor (start, middle, end) places the whole label at x."""
    pieces = fonts.face_runs(text)
    widths = [pdfmetrics.stringWidth(run, face, size) for face, run in pieces]
    x -= {"start": 0, "middle": sum(widths) / 2, "end": sum(widths)}[anchor]
    out = []
    for (face, run), w in zip(pieces, widths):
        out.append(String(x, y, run, fontName=face, fontSize=size, fillColor=colour, textAnchor="start"))
        x += w
    return out


def dimension_chart(names: Sequence[str], scores: Sequence[float], *, max_score: float, threshold: float | None,
                    width: float = 440) -> Drawing:
    """Horizontal bars of dimension scores on the profile's scale with the pass threshold as a line."""
    n = max(1, len(names))
    bar_h = 16
    height = n * (bar_h + 8) + 40
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 24
    # The stubs declare int, reportlab takes any number.
    chart.width, chart.height = width - 170, height - 36  # type: ignore[assignment]
    chart.data = [list(scores) or [0]]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max_score
    step = {5: 1, 10: 1, 100: 10}.get(int(max_score), max(1, round(max_score / 10)))
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = 7
    # Category names are drawn below as script runs: an axis label has only one font.
    chart.categoryAxis.categoryNames = [""] * n
    chart.categoryAxis.visibleLabels = False
    chart.categoryAxis.reverseDirection = True  # first dimension on top
    chart.barWidth = bar_h
    chart.groupSpacing = 8
    chart.bars[0].strokeColor = None
    for i, value in enumerate(scores):
        passed = threshold is None or value >= threshold
        chart.bars[(0, i)].fillColor = PASS_COLOUR if passed else FAIL_COLOUR
    chart.barLabelFormat = format_score  # the same one decimal as the table beside it
    chart.barLabels.fontName = fonts.REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    slot = chart.height / n
    for i, name in enumerate(names):
        y = chart.y + chart.height - (i + 0.5) * slot - LABEL_SIZE * 0.35
        for shape in label_strings(_short(name, chart.x - 2 * LABEL_GAP), chart.x - LABEL_GAP, y, LABEL_SIZE,
                                   anchor="end"):
            drawing.add(shape)
    if threshold is not None and max_score:
        x = chart.x + chart.width * (threshold / max_score)
        drawing.add(Line(x, chart.y - 4, x, chart.y + chart.height + 4, strokeColor=THRESHOLD_COLOUR,
                         strokeWidth=1.2, strokeDashArray=[3, 2]))
        drawing.add(String(x, chart.y + chart.height + 7, f"pass threshold {format_score(threshold)}", fontName=fonts.REGULAR,
                           fontSize=7, fillColor=THRESHOLD_COLOUR, textAnchor="middle"))
    return drawing
