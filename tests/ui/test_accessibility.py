"""Every control has an accessible name; text follows the system font size; the app launches on its own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from desktop_app.store.sessions import schedule_session
from desktop_app.ui.interview.candidate import CandidateView
from desktop_app.ui.pin_dialog import NewPinDialog, PinDialog
from desktop_app.ui.review.scores import OverrideDialog
from tests.ui.conftest import dialog_of, run, wait_idle

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit, QTextEdit)
UI = Path(__file__).resolve().parents[2] / "desktop_app" / "ui"


def inside_composite(w: QWidget) -> bool:
    """Parts Qt builds inside a composite control (a combo's popup, a spin box's editor, a clear button)."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QLineEdit, QTabBar)):
            return True
        parent = parent.parentWidget()
    return isinstance(w.parentWidget(), QAbstractItemView) or w.objectName().startswith("qt_")


def unnamed(root: QWidget) -> list[str]:
    """Controls under `root` without an accessible name."""
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or inside_composite(w):
            continue
        if not w.accessibleName():
            label = getattr(w, "text", lambda: "")()
            missing.append(f"{type(w).__name__} {label!r} in {type(w.window()).__name__}")
    return missing


def test_every_control_has_an_accessible_name(qtbot, demo_gui):
    ctx, window = demo_gui
    roots: list[QWidget] = [window]
    for kind in ("profile", "template", "participant", "session"):
        page = window.show_page(kind)
        wait_idle(qtbot, ctx)
        page.edit() if kind != "session" else None
        wait_idle(qtbot, ctx)
        editor = dialog_of(page)
        if editor is not None:
            roots.append(editor)
    pipeline = window.pages["template"].pipeline
    pipeline.strip.setCurrentRow(0)
    pipeline.edit_stage()
    wait_idle(qtbot, ctx)
    roots.append(dialog_of(pipeline))
    window.open_settings()
    roots.append(dialog_of(window))
    session = run(ctx, lambda s: schedule_session(s, "Dana Whitfield", "Screen"))
    room = window.open_interview(session.id)
    qtbot.waitUntil(lambda: room.header is not None)
    roots += [room, room.candidate]
    review = window.open_review(session.id)
    qtbot.waitUntil(lambda: review.data is not None)
    roots.append(review)
    window.export_sessions([session.id])
    roots.append(dialog_of(window))
    people = window.show_page("participant")
    people.schedule()
    qtbot.waitUntil(lambda: dialog_of(people) is not None)
    roots.append(dialog_of(people))
    row = {"name": "Python", "final": 6.0}
    roots += [OverrideDialog(row, 10, window), PinDialog(None, "Enter the PIN.", window), NewPinDialog(window)]
    missing = [m for root in roots for m in unnamed(root)]
    for root in roots[1:]:
        if hasattr(root, "reject"):
            root.reject()
    assert not missing, "\n".join(missing)


def test_text_scales_with_the_system_font(qtbot):
    app = QApplication.instance()
    original = app.font()
    try:
        for points in (9.0, 14.0):
            font = QFont(original)
            font.setPointSizeF(points)
            app.setFont(font)
            view = CandidateView()
            qtbot.addWidget(view)
            assert view.caption.font().pointSizeF() == points * 2.1
            assert view.answer_box.font().pointSizeF() == points * 1.3
    finally:
        app.setFont(original)
    # No fixed pixel font sizes anywhere in the GUI code or its stylesheet.
    for path in UI.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "setPixelSize" not in text, path
        assert not re.search(r"font-size\s*:\s*\d+\s*px", text), path
        assert not re.search(r"setPointSize\(\s*\d", text), path


def test_the_app_opens_its_window_and_exits_cleanly(tmp_path):
    code = ("import sys; from desktop_app.app import run_gui; "
            "sys.exit(run_gui(data_dir=sys.argv[1], quit_when_shown=True, config_dir=sys.argv[2]))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data"), str(tmp_path / "config")],
                          capture_output=True, text=True, timeout=60, cwd=UI.parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("VIVA_WINDOW_SHOWN")
    assert (tmp_path / "data" / "viva.sqlite3").exists(), "the store opened after the window showed"
