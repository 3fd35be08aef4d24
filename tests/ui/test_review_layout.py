"""The review window at 1366x768, the smallest common laptop screen: clicking dimensions never moves the divider,
the scores table shows its Confidence column without scrolling sideways, and an override, made in a person's name, keeps its row chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.evaluation import service
from desktop_app.store import results as rs
from tests.evaluation.helpers import RUBRIC, STRONG, STRONG_2, add_session, make_world
from tests.ui.conftest import dialog_of, run, wait_idle

# A long name and a description longer than the panel is wide: the texts that used to push the divider.
LONG_RUBRIC = [{**RUBRIC[0], "weight": 40}, {**RUBRIC[1], "weight": 30}, {
    "name": "Customer care when a guest is upset at the front desk", "weight": 30,
    "description": "Keeps calm with an upset guest and finds a fix that both the guest and the hotel can accept, "
                   "with an example from their own work and what came of it"}]


def test_clicking_dimensions_keeps_the_divider_and_confidence_stays_in_view(qtbot, gui):
    ctx, window = gui

    def build(store):
        sid = add_session(store, make_world(store, rubric=LONG_RUBRIC), [STRONG, STRONG_2])
        service.score_session(store, sid, operator="grace")
        return sid

    review = window.open_review(run(ctx, build))
    qtbot.waitUntil(lambda: review.data is not None and review.data["result"] is not None, timeout=10_000)
    wait_idle(qtbot, ctx)
    review.resize(1366, 768)
    qtbot.waitUntil(lambda: review.width() == 1366)
    qtbot.wait(50)
    sizes = review.splitter.sizes()
    assert "▶" not in review.transcript_label.text(), "no recordings: nothing to play"
    table = review.scores.table
    confidence = table.proxy.sourceModel().columnCount() - 1
    assert table.model().headerData(confidence, Qt.Orientation.Horizontal) == "Confidence"

    for row in (2, 0, 1, 2, 1, 0):
        cell = table.visualRect(table.proxy.index(row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
        qtbot.wait(30)
        assert review.scores.current()["name"] == LONG_RUBRIC[row]["name"]
        assert review.splitter.sizes() == sizes, f"the divider moved after clicking row {row}"
        right_edge = table.columnViewportPosition(confidence) + table.columnWidth(confidence)
        assert table.columnWidth(confidence) >= table.fontMetrics().horizontalAdvance("Confidence")
        assert 0 <= table.columnViewportPosition(confidence) and right_edge <= table.viewport().width()
        assert not table.horizontalScrollBar().isVisible()


def test_an_override_is_made_in_a_name_and_its_dimension_stays_selected(qtbot, gui, monkeypatch):
    monkeypatch.delenv("VIVA_OPERATOR", raising=False)
    ctx, window = gui

    def build(store):
        sid = add_session(store, make_world(store), [STRONG, STRONG_2])
        service.score_session(store, sid, operator="grace")
        return sid

    review = window.open_review(run(ctx, build))
    qtbot.waitUntil(lambda: review.data is not None and review.data["result"] is not None, timeout=10_000)
    wait_idle(qtbot, ctx)
    review.scores.table.selectRow(1)
    qtbot.mouseClick(review.override_button, Qt.MouseButton.LeftButton)
    dialog = dialog_of(review)
    dialog.score.setValue(3.0)
    dialog.reason.setPlainText("The plan was explained in one sentence only")
    assert dialog.name.text() == "" and not dialog.ok.isEnabled(), "no name is offered: never the computer's login"
    assert "Type your name" in dialog.message.text()
    qtbot.keyClicks(dialog.name, "Ada Assessor")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.data["dimensions"][1]["override"] == 3.0, timeout=10_000)
    wait_idle(qtbot, ctx)
    assert review.scores.current()["name"] == "Communication", "the reload does not jump back to the first row"
    assert "Overridden to 3.0: The plan was explained" in review.scores.rationale.text()
    assert review.message.text().endswith("set to 3.0 by Ada Assessor.")
    override = [r for r in run(ctx, lambda s: rs.list_scores(s, review.session_id)) if r["source"] == "override"]
    assert [r["rater"] for r in override] == ["Ada Assessor"]
    assert ctx.assessor_default() == "Ada Assessor", "the sign-off then offers the same name"
