"""The Calibration and Fairness windows, reached from the main window's Reports menu, on real data and models."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from desktop_app.ui.theme import ERROR
from desktop_app.ui.widgets import set_combo_value
from tests.cli.test_report_fairness import build_world
from tests.ui.conftest import run, wait_idle
from tests.ui.test_accessibility import unnamed


def _menu_actions(window) -> list[str]:
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    return [a.text() for m in menus if m.title() == "&Reports" for a in m.actions()]


def test_fairness_window_shows_rates_marks_low_ratios_and_exports_csv(qtbot, gui, tmp_path):
    ctx, window = gui
    world = run(ctx, build_world)
    assert _menu_actions(window) == ["&Calibration against human ratings…", "&Fairness: pass rates by group…"]
    dialog = window.open_fairness()
    wait_idle(qtbot, ctx)
    assert unnamed(dialog) == []
    assert [dialog.template.itemText(i) for i in range(dialog.template.count())] == ["Analyst", "Other role"]
    set_combo_value(dialog.template, world["template"])
    wait_idle(qtbot, ctx)
    assert [dialog.stage.itemText(i) for i in range(dialog.stage.count())] == ["All stages", "Screen", "Final"]
    assert dialog.group_text.currentText() == "group:"  # suggested from the tags in use
    set_combo_value(dialog.stage, world["screen"])
    dialog.show_button.click()
    wait_idle(qtbot, ctx)
    table = dialog.table
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [row[1:6] for row in cells] == [["A", "5", "4", "80%", "1.00"], ["B", "5", "3", "60%", "0.75"],
                                           ["unspecified", "2", "1", "50%", "0.62"]]
    assert cells[0][6].startswith("highest rate") and cells[1][6].startswith("⚠ below 0.8")
    assert "small group" in cells[1][6]
    assert table.item(1, 5).foreground().color() == QColor(ERROR)
    assert table.item(0, 5).foreground().color() != QColor(ERROR)
    text = " ".join(dialog.warning.text().split())
    assert "screening statistic" in text and "B (n=5)" in text and "not proof of discrimination" in text
    assert "1 completed session(s) have no pass or fail yet" not in text  # the unscored one is at Final

    target = tmp_path / "fairness.csv"
    dialog.export_csv(str(target))
    wait_idle(qtbot, ctx)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["group"], r["below_four_fifths"]) for r in rows] == [("A", "false"), ("B", "true"),
                                                                     ("unspecified", "true")]

    dialog.group_by.setCurrentIndex(1)  # exactly these tags
    assert dialog.group_text.accessibleName() == "Group tags, separated by commas"
    dialog.group_text.setEditText("group:B")
    set_combo_value(dialog.stage, None)
    dialog.refresh()
    wait_idle(qtbot, ctx)
    groups = {(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text()) for r in range(dialog.table.rowCount())}
    assert groups == {("Screen", "group:B"), ("Screen", "unspecified"), ("Final", "group:B"), ("Final", "unspecified")}
    assert "no pass or fail yet" in dialog.warning.text()
    dialog.reject()


def test_fairness_window_explains_an_empty_data_folder(qtbot, gui):
    ctx, window = gui
    dialog = window.open_fairness()
    wait_idle(qtbot, ctx)
    assert not dialog.show_button.isEnabled()
    assert "no templates" in dialog.message.text()
    dialog.reject()


def _calibration_file(path: Path) -> Path:
    from tests.evaluation.test_calibration import QUESTION, STRONG, WEAK

    items = [{"id": "s", "preset": "hiring", "question": QUESTION, "answer": STRONG,
              "ratings": {"System design": 5, "Ownership": 4}},
             {"id": "w", "preset": "hiring", "question": QUESTION, "answer": WEAK,
              "ratings": {"System design": 1, "Ownership": 1}}]
    path.write_text(json.dumps({"version": 1, "items": items}), encoding="utf-8")
    return path


def test_calibration_window_reports_a_bad_file_in_one_line(qtbot, gui, tmp_path):
    ctx, window = gui
    dialog = window.open_calibration()
    assert unnamed(dialog) == []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 1, "items": [{"id": "x", "preset": "hiring", "question": "Q?",
                                                         "answer": "A.", "ratings": {"Charm": 3}}]}), encoding="utf-8")
    dialog.start(str(bad))
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.error.startswith("bad.json: items[0] (id 'x').ratings.Charm: 'Charm' is not a dimension")
    assert "\n" not in dialog.error and dialog.run_button.isEnabled() and dialog.report is None
    dialog.reject()


@pytest.mark.models
def test_calibration_window_rates_in_the_background_and_shows_agreement(qtbot, gui, llm, tmp_path):
    from desktop_app.engines.registry import build_engines

    ctx, window = gui
    ctx.engines.provide(build_engines(ctx.paths, ctx.settings, llm=llm))
    dialog = window.open_calibration()
    path = _calibration_file(tmp_path / "calibration.json")
    dialog.start(str(path))
    assert dialog.running and dialog.close_button.text() == "Cancel"
    qtbot.waitUntil(lambda: not dialog.running, timeout=300000)
    assert dialog.error == ""
    report = dialog.report
    assert report.items_rated == 2 and not report.cancelled
    assert dialog.table.rowCount() == 3  # two dimensions and the pooled line
    names = [dialog.table.item(r, 0).text() for r in range(3)]
    assert names == ["System design", "Ownership", "all dimensions"]
    assert dialog.table.item(2, 1).text() == "4"
    dialog.table.selectRow(1)
    assert dialog.matrix_for.currentText() == "Ownership"
    assert (dialog.matrix.rowCount(), dialog.matrix.columnCount()) == (5, 5)
    total = sum(int(dialog.matrix.item(i, j).text()) for i in range(5) for j in range(5))
    assert total == 2
    assert dialog.progress.value() == dialog.progress.maximum()
    assert unnamed(dialog) == []

    dialog.start(str(path))
    dialog.stop_or_close()  # cancel straight away: stops before (or at) the first item
    qtbot.waitUntil(lambda: not dialog.running, timeout=300000)
    assert dialog.report.cancelled and dialog.report.items_rated <= 1
    assert "Stopped after" in dialog.message.text()
    dialog.reject()
