"""What the candidate sees: the interviewer's words as captions, their own words, the time. Never a score."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import wording
from desktop_app.core.transcript import TurnKind
from desktop_app.ui.widgets import button, scaled_font

OWN_SPEECH = (TurnKind.QUESTION, TurnKind.FOLLOW_UP)


def clock(seconds: float) -> str:
    """m:ss."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class AnswerBox(QPlainTextEdit):
    """The typed answer; notes whether text was pasted and when typing began (facts for the authenticity signals)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reset()

    def reset(self) -> None:
        """Forgets the previous answer's facts."""
        self.pasted = False
        self.started_at: float | None = None

    def insertFromMimeData(self, source: QMimeData) -> None:
        self.pasted = True
        super().insertFromMimeData(source)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.started_at is None and event.text().strip():
            self.started_at = time.monotonic()
        super().keyPressEvent(event)


class CandidateView(QFrame):
    """Captions and controls for the candidate; fed interview events by the room."""

    pause_requested = Signal()
    resume_requested = Signal()
    repeat_requested = Signal()
    answer_submitted = Signal(str, bool, object)  # text, pasted, monotonic time of the first keystroke (or None)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "candidate")
        self.setAccessibleName("Candidate view")
        self.setAutoFillBackground(True)
        self.text_mode = False
        self.paused = False
        self.finished = False
        self.held = False  # the clock stands still while the operator's PIN prompt is up
        self._elapsed = 0.0
        self._limit_s = 0.0
        self._question_id: str | None = None
        self._new_utterance = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)

        top = QHBoxLayout()
        self.stage_label = QLabel("")
        self.stage_label.setFont(scaled_font(self.font(), 1.25, bold=True))
        self.stage_label.setAccessibleName("Stage")
        self.progress_label = QLabel("")
        self.progress_label.setProperty("role", "hint")
        self.progress_label.setFont(scaled_font(self.font(), 1.15))
        self.progress_label.setAccessibleName("Question number")
        self.clock_label = QLabel("0:00")
        self.clock_label.setFont(scaled_font(self.font(), 1.5, bold=True))
        self.clock_label.setAccessibleName("Time")
        top.addWidget(self.stage_label)
        top.addSpacing(24)
        top.addWidget(self.progress_label)
        top.addStretch(1)
        top.addWidget(self.clock_label)
        layout.addLayout(top)
        layout.addStretch(1)

        who = QLabel("Interviewer")
        who.setProperty("role", "hint")
        who.setFont(scaled_font(self.font(), 1.1))
        layout.addWidget(who)
        self.caption = QLabel("The interview will begin in a moment.")
        self.caption.setProperty("role", "caption")
        self.caption.setWordWrap(True)
        self.caption.setFont(scaled_font(self.font(), 2.1, bold=False))
        self.caption.setAccessibleName("Interviewer says")
        self.caption.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.MinimumExpanding)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.caption, 3)

        you = QLabel("You")
        you.setProperty("role", "hint")
        you.setFont(scaled_font(self.font(), 1.1))
        layout.addWidget(you)
        self.own_words = QLabel("")
        self.own_words.setProperty("role", "own-words")
        self.own_words.setWordWrap(True)
        self.own_words.setFont(scaled_font(self.font(), 1.5))
        self.own_words.setAccessibleName("Your words as recognised")
        layout.addWidget(self.own_words, 2)
        self.answer_box = AnswerBox()
        self.answer_box.setAccessibleName("Your answer")
        self.answer_box.setPlaceholderText("Type your answer here, then press Enter (Shift+Enter starts a new line).")
        self.answer_box.setFont(scaled_font(self.font(), 1.3))
        self.answer_box.setTabChangesFocus(True)
        self.answer_box.setFixedHeight(self.answer_box.fontMetrics().lineSpacing() * 5)
        layout.addWidget(self.answer_box)
        layout.addStretch(1)

        bottom = QHBoxLayout()
        self.status_label = QLabel("")
        self.status_label.setFont(scaled_font(self.font(), 1.2))
        self.status_label.setAccessibleName("Interview status")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)  # its own line: a long status never squeezes the buttons
        bottom.addStretch(1)
        self.repeat_button = self._big(button(wording.REPEAT_BUTTON, self.repeat_requested.emit,
                                              tip=wording.REPEAT_TIP))
        self.pause_button = self._big(button("Pause", self._toggle_pause, tip="Pause the interview; the clock stops",
                                             name="Pause interview"))
        self.send_button = self._big(button("Send answer", self._send, tip="Send your typed answer (Enter)",
                                            primary=True))
        for b in (self.repeat_button, self.pause_button, self.send_button):
            bottom.addWidget(b)
        layout.addLayout(bottom)
        self.answer_box.installEventFilter(self)  # Enter sends; Shift+Enter is a new line
        self.setTabOrder(self.answer_box, self.send_button)
        self.setTabOrder(self.send_button, self.repeat_button)
        self.setTabOrder(self.repeat_button, self.pause_button)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._advance_clock)
        self.set_text_mode(False)
        self._set_answering(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.answer_box and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self._send()
            return True
        return super().eventFilter(watched, event)

    def _big(self, b: QPushButton) -> QPushButton:
        b.setFont(scaled_font(self.font(), 1.2))
        b.setMinimumHeight(b.fontMetrics().lineSpacing() * 2)
        # Never squeezed below its words: a long status line wraps instead.
        bold = QFontMetrics(scaled_font(self.font(), 1.2, bold=True))  # the primary button is drawn bold
        b.setMinimumWidth(bold.horizontalAdvance(b.text()) + bold.averageCharWidth() * 4)
        return b

    # ------------------------------------------------------------ setup

    def set_header(self, stage: str, duration_minutes: int | None) -> None:
        """The stage name (as shown to candidates) and the time limit."""
        self.stage_label.setText(stage)
        self._limit_s = float(duration_minutes or 0) * 60
        self._show_clock()

    def set_text_mode(self, on: bool) -> None:
        """Typed answers (a text box) instead of speech."""
        self.text_mode = on
        self.answer_box.setVisible(on)
        self.send_button.setVisible(on)

    # ------------------------------------------------------------ events

    def on_event(self, event: Any) -> None:
        """Updates the view for one runner event (scores never reach here: the runner emits none)."""
        kind = str(getattr(event, "kind", ""))
        if getattr(event, "t", None):
            self._elapsed = float(event.t)
            self._show_clock()
        if kind == "question_started":
            self._question_id = event.question_id
            self.caption.setText(event.text)
            self._new_utterance = False
            if event.turn_kind != TurnKind.NOTE:
                self.progress_label.setText(f"Question {event.index} of {event.total}")
            self.own_words.setText("")
            self._start_clock()
        elif kind == "speaking":
            if event.turn_kind in OWN_SPEECH and event.question_id == self._question_id and not self._new_utterance:
                return
            text = event.text if self._new_utterance else f"{self.caption.text()} {event.text}".strip()
            self.caption.setText(text)
            self._new_utterance = False
            self.status_label.setText("")
            self._start_clock()
        elif kind == "listening":
            self._new_utterance = True
            self._set_answering(True)
            self.status_label.setText("Type your answer below." if self.text_mode
                                      else "Listening… take your time.")
        elif kind == "partial_transcript":
            self.own_words.setText(event.text)
        elif kind == "answer_final":
            if event.speaker == "candidate":
                self.own_words.setText(event.text)
            self._set_answering(False)
            self.status_label.setText("")
        elif kind == "thinking":
            self.status_label.setText("The interviewer is thinking…")
        elif kind == "paused":
            self._set_paused(True)
        elif kind == "resumed":
            self._set_paused(False)
        elif kind == "time_warning":
            self.status_label.setText(f"About {max(1, round(event.remaining_s / 60))} minute(s) left.")
        elif kind == "finished":
            self._finish(completed=event.status == "completed")
        elif kind == "error" and event.fatal:
            self.status_label.setText("The interview has stopped. Please tell the assessor.")
            self._tick.stop()

    def _finish(self, completed: bool = True) -> None:
        self.finished = True
        self._tick.stop()
        if completed:
            self.caption.setText("Thank you. The interview is over.")
            self.status_label.setText("You may now let the assessor know you have finished.")
        else:
            self.status_label.setText("The interview has stopped. Please tell the assessor.")
        self._set_answering(False)
        for b in (self.repeat_button, self.pause_button):
            b.setEnabled(False)
        # Nothing left to do on this screen: the answer box and the buttons go, the closing words stay.
        for w in (self.answer_box, self.send_button, self.repeat_button, self.pause_button):
            w.hide()

    # ------------------------------------------------------------ controls

    def _set_answering(self, on: bool) -> None:
        self.answer_box.setEnabled(on and self.text_mode)
        self.send_button.setEnabled(on and self.text_mode)
        if on and self.text_mode:
            self.answer_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def _send(self) -> None:
        text = self.answer_box.toPlainText().strip()
        if not text or not self.send_button.isEnabled():
            return
        pasted, started = self.answer_box.pasted, self.answer_box.started_at
        self.answer_box.clear()
        self.answer_box.reset()
        self._set_answering(False)
        self.own_words.setText(text)
        self.answer_submitted.emit(text, pasted, started)

    def _toggle_pause(self) -> None:
        (self.resume_requested if self.paused else self.pause_requested).emit()

    def _set_paused(self, paused: bool) -> None:
        self.paused = paused
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setAccessibleName("Resume interview" if paused else "Pause interview")
        answering = self.text_mode and self.send_button.isEnabled()
        self.status_label.setText("Paused. Press Resume when you are ready." if paused
                                  else ("Type your answer below." if answering else ""))
        if paused:
            self._tick.stop()
        else:
            self._start_clock()

    def hold_clock(self, held: bool) -> None:
        """Stops (or restarts) the on-screen clock, e.g. while the operator types the PIN."""
        self.held = held
        if held:
            self._tick.stop()
        else:
            self._start_clock()

    def _start_clock(self) -> None:
        if not self.paused and not self.finished and not self.held and not self._tick.isActive():
            self._tick.start()

    def _advance_clock(self) -> None:
        self._elapsed += 1
        self._show_clock()

    def _show_clock(self) -> None:
        if self._limit_s:
            self.clock_label.setText(f"{clock(self._elapsed)} / {clock(self._limit_s)}")
        else:
            self.clock_label.setText(clock(self._elapsed))

    def copy_state_from(self, other: CandidateView) -> None:
        """Mirrors another view (when the full-screen window opens mid-interview)."""
        self.set_text_mode(other.text_mode)
        self.stage_label.setText(other.stage_label.text())
        self.progress_label.setText(other.progress_label.text())
        self.caption.setText(other.caption.text())
        self.own_words.setText(other.own_words.text())
        self._elapsed, self._limit_s = other._elapsed, other._limit_s
        self._question_id, self._new_utterance = other._question_id, other._new_utterance
        self._set_paused(other.paused)
        self._set_answering(other.answer_box.isEnabled())
        self.status_label.setText(other.status_label.text())
        if other.finished:
            self._finish()
        elif other._tick.isActive():
            self._start_clock()
        self._show_clock()


class CandidateWindow(QWidget):
    """The full-screen candidate view; it closes only after the room verified the operator's PIN."""

    leave_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Interview")
        self.setAccessibleName("Candidate full-screen view")
        self.view = CandidateView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._unlocked = False

    def unlock_and_close(self) -> None:
        """Closes for good (after the PIN was accepted)."""
        self._unlocked = True
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F11):
            self._ask_leave()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._unlocked:
            super().closeEvent(event)
            return
        event.ignore()
        self._ask_leave()

    def _ask_leave(self) -> None:
        # Deferred: the PIN dialog (and a close after it) must not run inside this close event.
        QTimer.singleShot(0, self.leave_requested.emit)
