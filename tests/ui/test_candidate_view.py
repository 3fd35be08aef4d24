"""The candidate's screen shows captions, their own words and the time; never a score; leaving needs the PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from desktop_app.interview import events as ev
from desktop_app.ui.interview.candidate import CandidateView, CandidateWindow
from desktop_app.ui.pin import hash_pin, verify_pin
from desktop_app.ui.pin_dialog import PinDialog

SID = "s-1"


def visible_text(widget) -> str:
    """Every visible label, button and text box, joined."""
    parts = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    parts += [b.text() for b in widget.findChildren(type(widget.pause_button)) if b.isVisible()]
    return "\n".join(parts)


def feed(view: CandidateView) -> None:
    """An interview as the runner reports it, including the answer that the operator side scores."""
    for event in (
        ev.Speaking(session_id=SID, t=1, text="Hello, I am Alex.", turn_kind="intro"),
        ev.QuestionStarted(session_id=SID, t=3, question_id="q1", text="Tell me about a system you designed.",
                           turn_kind="question", index=1, total=5),
        ev.Speaking(session_id=SID, t=3, text="Tell me about a system you designed.", turn_kind="question",
                    question_id="q1"),
        ev.Listening(session_id=SID, t=6, question_id="q1", input="text"),
    ):
        view.on_event(event)


def test_candidate_view_shows_captions_words_and_time_but_no_score(qtbot):
    view = CandidateView()
    qtbot.addWidget(view)
    view.set_header("Technical screen", 30)
    view.set_text_mode(True)
    view.show()
    feed(view)
    assert view.caption.text() == "Tell me about a system you designed."
    assert view.progress_label.text() == "Question 1 of 5"
    assert view.clock_label.text() == "0:06 / 30:00"
    assert view.answer_box.isEnabled() and view.send_button.isEnabled()

    sent, facts = [], []
    view.answer_submitted.connect(lambda text, pasted, started: (sent.append(text), facts.append((pasted, started))))
    qtbot.keyClicks(view.answer_box, "I designed the ledger service.")
    qtbot.keyClick(view.answer_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # a new line
    qtbot.keyClicks(view.answer_box, "At Larkspur.")
    assert sent == []
    qtbot.keyClick(view.answer_box, Qt.Key.Key_Return)
    assert sent == ["I designed the ledger service.\nAt Larkspur."]
    assert facts[0][0] is False and facts[0][1] is not None, "typed, with the time of the first keystroke"
    assert view.own_words.text() == sent[0]
    assert not view.answer_box.isEnabled(), "one answer per question"
    view.on_event(ev.AnswerFinal(session_id=SID, t=20, question_id="q1", text=sent[0], turn_index=3, latency_s=4.0))
    # A pasted answer is reported as pasted (the runner records it as an authenticity fact).
    view.on_event(ev.Listening(session_id=SID, t=20, question_id="q2", input="text"))
    QApplication.clipboard().setText("An answer written somewhere else.")
    view.answer_box.paste()
    qtbot.keyClick(view.answer_box, Qt.Key.Key_Return)
    assert sent[-1] == "An answer written somewhere else." and facts[-1] == (True, None)
    view.on_event(ev.Thinking(session_id=SID, t=20, question_id="q1", what="follow_up"))
    assert view.status_label.text() == "The interviewer is thinking…"

    view.on_event(ev.Paused(session_id=SID, t=21))
    assert view.pause_button.text() == "Resume" and "Paused" in view.status_label.text()
    view.on_event(ev.Resumed(session_id=SID, t=21))
    view.on_event(ev.Finished(session_id=SID, t=300, status="completed", reason="completed", answers=5))
    assert view.caption.text() == "Thank you. The interview is over."

    shown = visible_text(view).casefold()
    for word in ("score", "rubric", "weight", "hire", "recommend", "pass mark", "dana", "participant"):
        assert word not in shown, f"the candidate must not see {word!r}: {shown}"
    assert view.accessibleName() == "Candidate view"
    for w in (view.answer_box, view.send_button, view.pause_button, view.repeat_button, view.caption):
        assert w.accessibleName(), w


def test_full_screen_view_cannot_be_left_without_the_pin(qtbot):
    stored = hash_pin("2468")
    assert verify_pin("2468", stored) and not verify_pin("1357", stored)
    assert stored.hash != "2468" and len(stored.salt) == 32

    window = CandidateWindow()
    qtbot.addWidget(window)
    attempts = []

    def ask() -> None:
        """What the room does: the PIN dialog, then close only when it was right."""
        dialog = PinDialog(stored, "Enter the operator PIN.", window)
        ok = dialog.exec() == PinDialog.DialogCode.Accepted
        attempts.append(ok)
        if ok:
            window.unlock_and_close()

    window.leave_requested.connect(ask)
    window.showFullScreen()
    qtbot.waitExposed(window)

    def answer(pin: str) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PinDialog)
        field = dialog.findChild(QLineEdit)
        field.setText(pin)
        dialog.check()
        if dialog.isVisible():
            dialog.reject()

    # Escape and the window's close button both ask for the PIN; a wrong one keeps the view up.
    QTimer.singleShot(50, lambda: answer("0000"))
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(attempts) == 1)
    assert attempts == [False] and window.isVisible()
    QTimer.singleShot(50, lambda: answer("1111"))
    window.close()
    qtbot.waitUntil(lambda: len(attempts) == 2)
    assert attempts == [False, False] and window.isVisible()
    QTimer.singleShot(50, lambda: answer("2468"))
    window.close()
    qtbot.waitUntil(lambda: len(attempts) == 3)
    assert attempts == [False, False, True]
    qtbot.waitUntil(lambda: not window.isVisible())
