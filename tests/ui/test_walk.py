"""The walk: a new assessor with an empty data folder gets from Get started to a signed-off scorecard by clicking.

Each step is saved as screenshots/walk/NN_name.png (the scorecard's first page too), and no screen or page on the way
may show a developer's word (an exception class, the operator's login name "root", an internal value such as no_hire).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QTextEdit,
    QWidget,
)

from desktop_app.ui.interview.room import InterviewRoom
from desktop_app.ui.pages.get_started import DONE_MARK, NEXT_MARK
from desktop_app.ui.review.signoff import SignOffDialog
from desktop_app.ui.review.window import ReviewWindow
from tests.ui.conftest import dialog_of, gone, rows_of, wait_idle

pytestmark = pytest.mark.models

WALK_DIR = Path(__file__).resolve().parents[2] / "screenshots" / "walk"
ASSESSOR = "Morgan Ellis"
DEVELOPER_WORDS = re.compile(r"\b\w+Error\b|\bLLM\b|\b\w+Exception\b|AudioUnavailable|\broot\b|no_hire|Traceback")
ANSWERS = [
    "I answered the front desk phone for two years and I kept a log of every complaint, so we cut repeat calls "
    "by a third because I fixed the causes with the manager.",
    "When two guests argued about a booking I listened to both, found the double booking in the system, and gave "
    "one of them a better room, and both left good reviews.",
    "I trained three new colleagues; I wrote a one-page checklist and checked their first week, and their "
    "mistakes dropped from ten a week to two.",
]


def screen_text(widget: QWidget) -> str:
    """Everything a person can read in a window: titles, labels, buttons, lists and text boxes."""
    parts = [widget.windowTitle()]
    for w in widget.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, (QLabel, QAbstractButton)):
            parts.append(w.text())
        elif isinstance(w, QGroupBox):
            parts.append(w.title())
        elif isinstance(w, QListWidget):
            parts += [w.item(i).text() for i in range(w.count())]
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            parts.append(w.toPlainText())
        elif isinstance(w, QTableView) and w.model() is not None:
            model = w.model()
            parts += [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())]
            parts += [str(model.index(r, c).data() or "") for r in range(model.rowCount())
                      for c in range(model.columnCount())]
    return "\n".join(p for p in parts if p)


class Walk:
    """Saves each step's screenshot and checks its words."""

    def __init__(self, qtbot, ctx) -> None:
        self.qtbot, self.ctx, self.step = qtbot, ctx, 0
        WALK_DIR.mkdir(parents=True, exist_ok=True)
        for old in WALK_DIR.glob("*.png"):
            old.unlink()

    def see(self, widget: QWidget, name: str) -> Path:
        """Screenshot NN_name.png of `widget`; fails when it shows a developer's word."""
        wait_idle(self.qtbot, self.ctx)
        self.qtbot.wait(150)
        self.step += 1
        path = WALK_DIR / f"{self.step:02d}_{name}.png"
        assert widget.grab().save(str(path)), path
        text = screen_text(widget)
        found = DEVELOPER_WORDS.search(text)
        assert found is None, f"{path.name} shows {found.group(0)!r}:\n{text}"
        return path

    def page(self, pdf: Path, name: str) -> Path:
        """NN_name.png: the PDF's first page as the assessor sees it printed (pdftoppm at 60 dpi)."""
        self.step += 1
        path = WALK_DIR / f"{self.step:02d}_{name}.png"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(path.with_suffix(""))], check=True, capture_output=True, timeout=60)
        assert path.is_file(), path
        return path


class Confirmations:
    """Answers every "are you sure?" box with its action button, as the assessor would, and keeps what it said."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._answer)
        self.timer.start()

    def _answer(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            self.seen.append(f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}")
            action = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
            action.click()

    def stop(self) -> None:
        """No more answering."""
        self.timer.stop()


def click(qtbot, widget) -> None:
    """A left click, as the user does it."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def fill(qtbot, field, text: str) -> None:
    """Selects what a field holds and types over it."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def test_walk_from_an_empty_folder_to_a_signed_off_scorecard(qtbot, gui, engines, tmp_path, monkeypatch):
    ctx, window = gui
    ctx.engines.provide(engines)
    walk = Walk(qtbot, ctx)
    start = window.start_page

    # 1. First launch: the Get started page, the interviewer is the next step.
    qtbot.waitUntil(lambda: window.page() is start)
    wait_idle(qtbot, ctx)
    assert start.marks["profile"].text() == NEXT_MARK
    walk.see(window, "get_started")

    # 2-5. Build your own, in order, through the checklist's buttons and the editors.
    def build(kind: str, name: str, type_in) -> None:
        assert start.marks[kind].text() == NEXT_MARK, kind
        click(qtbot, start.step_buttons[kind])
        qtbot.waitUntil(lambda: dialog_of(start) is not None and dialog_of(start).isVisible())
        editor = dialog_of(start)
        type_in(editor)
        qtbot.waitUntil(editor.save_button.isEnabled)
        walk.see(editor, name)
        click(qtbot, editor.save_button)
        qtbot.waitUntil(lambda: gone(editor))
        wait_idle(qtbot, ctx)
        assert start.marks[kind].text() == DONE_MARK, kind

    build("profile", "interviewer", lambda e: qtbot.keyClicks(e.name, "Front Desk Interviewer"))

    def template(e) -> None:
        qtbot.keyClicks(e.name, "Front Desk Assistant")
        qtbot.keyClicks(e.skills, "Customer care, Teamwork")
        fill(qtbot, e.duration, "5")

    build("template", "template", template)
    build("stage", "stage", lambda e: qtbot.keyClicks(e.name, "Screen"))
    build("participant", "participant", lambda e: (qtbot.keyClicks(e.name, "Robin Ade"),
                                                   qtbot.keyClicks(e.email, "robin@example.org")))
    assert start.next_step() is None and start.ready_button.isEnabled()
    walk.see(window, "setup_done")

    # 7. Schedule from the Participants list and start at once.
    click(qtbot, start.ready_button)
    people = window.pages["participant"]
    qtbot.waitUntil(lambda: window.page() is people and len(rows_of(people)) == 1)
    people.table.selectRow(0)
    click(qtbot, people.schedule_button)
    qtbot.waitUntil(lambda: dialog_of(people) is not None and hasattr(dialog_of(people), "start_button"))
    walk.see(dialog_of(people), "schedule")
    click(qtbot, dialog_of(people).start_button)
    qtbot.waitUntil(lambda: any(isinstance(w, InterviewRoom) for w in window.children_windows))
    room = next(w for w in window.children_windows if isinstance(w, InterviewRoom))
    qtbot.waitUntil(lambda: room.header is not None)

    # 8. Pre-flight: typed answers, no speech, the candidate view in the room (no full screen).
    preflight = room.preflight
    if not preflight.text_mode.isChecked():
        click(qtbot, preflight.text_mode)
    if preflight.speak.isChecked():
        click(qtbot, preflight.speak)
    if preflight.full_screen.isChecked():
        click(qtbot, preflight.full_screen)
    assert preflight.cancel_button.isVisible(), "the pre-flight screen has a way back"
    walk.see(room, "before_the_interview")
    click(qtbot, preflight.start_button)

    # 9. The interview: the candidate types on the room's candidate view until it ends.
    view = room.candidate
    answered = 0
    shot_mid = False

    def answer() -> bool:
        nonlocal answered, shot_mid
        if room.finished_status is not None or not room.is_running():
            return True
        if view.send_button.isEnabled():
            if not shot_mid:
                shot_mid = True
                walk.see(room, "interview")
            view.answer_box.setFocus()
            qtbot.keyClicks(view.answer_box, ANSWERS[answered % len(ANSWERS)])
            click(qtbot, view.send_button)
            answered += 1
        return False

    qtbot.waitUntil(answer, timeout=300_000)
    assert room.finished_status == "completed"
    assert answered >= 1
    log = [room.operator.log.item(i).text() for i in range(room.operator.log.count())]
    assert any(line.split("  ", 1)[-1].startswith("Question 1 of") for line in log), log
    assert not any(" turn " in line for line in log), log

    # 10. Afterwards: the room offers Review now and Close; scoring runs in the background.
    operator = room.operator
    assert operator.close_button.isVisible()
    qtbot.waitUntil(lambda: operator.review_button.isVisible() and operator.review_button.isEnabled(),
                    timeout=300_000)
    walk.see(room, "interview_over")

    # 11. Review now: the review opens and the room closes.
    click(qtbot, operator.review_button)
    qtbot.waitUntil(lambda: any(isinstance(w, ReviewWindow) for w in window.children_windows))
    review = next(w for w in window.children_windows if isinstance(w, ReviewWindow))
    qtbot.waitUntil(lambda: review.data is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not room.isVisible())
    assert "▶" not in review.transcript_label.text(), "a typed interview has nothing to play"
    walk.see(review, "review")

    # 12. Override one dimension: pick its row, Override score…, a new score and the reason.
    review.resize(1366, 768)  # the smallest common laptop screen
    qtbot.waitUntil(lambda: review.width() == 1366)
    table = review.scores.table
    row = table.proxy.rowCount() - 1
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.proxy.index(row, 0)).center())
    dimension = review.scores.current()
    assert dimension is not None and review.override_button.isEnabled()
    new_score = 3.0 if (dimension["final"] or 0) >= 5 else 7.0
    click(qtbot, review.override_button)
    qtbot.waitUntil(lambda: dialog_of(review) is not None and dialog_of(review).isVisible())
    override = dialog_of(review)
    assert not override.ok.isEnabled(), "a reason is required"
    fill(qtbot, override.score, f"{new_score:g}")
    assert override.score.value() == new_score
    override.reason.setFocus()
    qtbot.keyClicks(override.reason, "The answer gives a concrete example the scoring did not credit.")
    assert not override.ok.isEnabled(), "the override is made in a person's name"
    override.name.setFocus()
    qtbot.keyClicks(override.name, ASSESSOR)
    click(qtbot, override.ok)
    qtbot.waitUntil(lambda: gone(override))

    def overridden() -> dict | None:
        rows = (review.data or {}).get("dimensions") or []
        return next((d for d in rows if d["name"] == dimension["name"] and d["override"] == new_score), None)

    qtbot.waitUntil(lambda: overridden() is not None, timeout=10_000)
    assert overridden()["final"] == new_score
    wait_idle(qtbot, ctx)
    assert review.message.text().endswith(f"{dimension['name']} set to {new_score:.1f} by {ASSESSOR}.")
    assert review.scores.current()["name"] == dimension["name"], "the overridden row stays selected"
    walk.see(review, "review_after_override")

    # 13. Sign off in the assessor's name through the sign-off dialog, confirming if asked.
    confirmations = Confirmations()
    click(qtbot, review.approve_button)
    qtbot.waitUntil(lambda: isinstance(dialog_of(review), SignOffDialog) and dialog_of(review).isVisible())
    sign_off = dialog_of(review)
    assert sign_off.name.text() == ASSESSOR, "the name given with the override is offered"
    click(qtbot, sign_off.ok)
    qtbot.waitUntil(lambda: review.decision.text().startswith(f"Approved by {ASSESSOR}"), timeout=10_000)
    confirmations.stop()
    wait_idle(qtbot, ctx)
    for said in confirmations.seen:
        assert DEVELOPER_WORDS.search(said) is None, said
    assert ASSESSOR in review.decision.text()
    assert not review.override_button.isEnabled() and not review.rescore_button.isEnabled()
    assert review.approve_button.isHidden() and review.reopen_button.isEnabled()
    walk.see(review, "signed_off")

    # 14. Save the scorecard from the Scorecard tab; the save dialog offers a name with the participant and stage.
    offered: list[str] = []
    target = tmp_path / "walk scorecard.pdf"

    def save_dialog(parent, caption, directory, filters):
        offered.append(directory)
        return str(target), filters

    monkeypatch.setattr("desktop_app.ui.review.scorecard.QFileDialog.getSaveFileName", save_dialog)
    bar = review.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(review.tabs.indexOf(review.scorecard)).center())
    assert review.tabs.currentWidget() is review.scorecard
    qtbot.waitUntil(review.scorecard.save_button.isEnabled, timeout=120_000)
    click(qtbot, review.scorecard.save_button)
    qtbot.waitUntil(lambda: review.scorecard.note.text().startswith("Saved to"), timeout=60_000)
    assert [Path(p).name for p in offered] == ["Robin Ade - Screen - scorecard.pdf"], offered
    assert target.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    signature_block = text[text.rindex("Sign-off"):]
    assert re.search(rf"Name:\s+{ASSESSOR}", signature_block), signature_block
    assert re.search(rf"Override by {ASSESSOR}", text), "the override carries the assessor's name"
    assert "Robin Ade" in text and dimension["name"] in text
    assert re.search(r"\b(No hire|Hire)\b", text), "the recommendation is printed in words"
    found = DEVELOPER_WORDS.search(text)
    assert found is None, f"the scorecard prints {found.group(0)!r}"
    page = walk.page(target, "scorecard_page1")

    names = sorted(p.name for p in WALK_DIR.glob("*.png"))
    assert names[0] == "01_get_started.png"
    assert names[-3:] == ["12_review_after_override.png", "13_signed_off.png", page.name] and page.name.startswith("14_")
