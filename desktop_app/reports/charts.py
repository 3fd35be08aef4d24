"""Vector charts for scorecards (reportlab.graphics); labels are plain strings, never markup."""

from __future__ import annotations

from typing import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

PASS_COLOUR = colors.HexColor("#2f6f4f")
FAIL_COLOUR = colors.HexColor("#b5562b")
THRESHOLD_COLOUR = colors.HexColor("#1f3a5f")


def _short(label: str, limit: int = 30) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def dimension_chart(names: Sequence[str], scores: Sequence[float], *, max_score: float, threshold: float | None,
                    width: float = 440) -> Drawing:
    """Horizontal bars of dimension scores on the profile's scale with the pass threshold as a line."""
    n = max(1, len(names))
    bar_h = 16
    height = n * (bar_h + 8) + 40
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 24
    chart.width, chart.height = width - 170, height - 36
    chart.data = [list(scores) or [0]]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max_score
    step = {5: 1, 10: 1, 100: 10}.get(int(max_score), max(1, round(max_score / 10)))
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = [_short(s) for s in names] or [""]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.reverseDirection = True  # first dimension on top
    chart.barWidth = bar_h
    chart.groupSpacing = 8
    chart.bars[0].strokeColor = None
    for i, value in enumerate(scores):
        passed = threshold is None or value >= threshold
        chart.bars[(0, i)].fillColor = PASS_COLOUR if passed else FAIL_COLOUR
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    if threshold is not None and max_score:
        x = chart.x + chart.width * (threshold / max_score)
        drawing.add(Line(x, chart.y - 4, x, chart.y + chart.height + 4, strokeColor=THRESHOLD_COLOUR,
                         strokeWidth=1.2, strokeDashArray=[3, 2]))
        drawing.add(String(x, chart.y + chart.height + 7, f"pass threshold {threshold:g}", fontName="Helvetica",
                           fontSize=7, fillColor=THRESHOLD_COLOUR, textAnchor="middle"))
    return drawing
