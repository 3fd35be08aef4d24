"""The operator's side of the room: controls, the event log and the early end."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from desktop_app.core import wording
from desktop_app.core.transcript import TurnKind
from desktop_app.ui.interview.candidate import clock
from desktop_app.ui.widgets import button, heading, hint, pretty


def describe(event: Any, question: int | None = None) -> str:
    """One log line for an event, in the words of core.wording."""
    return wording.log_line(event, question)


class OperatorPanel(QWidget):
    """Controls for the person running the session; everything the runner reports goes to the log."""

    pause_requested = Signal()
    resume_requested = Signal()
    repeat_requested = Signal()
    full_screen_requested = Signal()
    end_requested = Signal()
    review_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Operator view")
        self.paused = False
        self.question: int | None = None  # the number of the question being answered, as the candidate sees it
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Operator", 1.2))
        info = QGroupBox("Session")
        form = QFormLayout(info)
        self.who = QLabel("…")
        self.stage = QLabel("…")
        self.profile = QLabel("…")
        self.mode = QLabel("…")
        for label, w in (("Participant:", self.who), ("Stage:", self.stage), ("Interviewer:", self.profile),
                         ("Answers:", self.mode)):
            w.setWordWrap(True)
            w.setAccessibleName(label.rstrip(":"))
            form.addRow(label, w)
        layout.addWidget(info)
        row = QHBoxLayout()
        self.pause_button = button("Pause", self._toggle_pause, tip="Pause or resume the interview",
                                   name="Operator pause")
        self.repeat_button = button("Repeat question", self.repeat_requested.emit, tip="Ask the current question again")
        self.full_button = button("Candidate full screen", self.full_screen_requested.emit,
                                  tip="Show the candidate view full screen (F11); the PIN is needed to leave it")
        row.addWidget(self.pause_button)
        row.addWidget(self.repeat_button)
        row.addWidget(self.full_button)
        layout.addLayout(row)
        self.state = QLabel("Not started")
        self.state.setAccessibleName("Interview state")
        layout.addWidget(self.state)
        layout.addWidget(QLabel("Event log"))
        self.log = QListWidget()
        self.log.setAccessibleName("Event log")
        self.log.setWordWrap(True)
        layout.addWidget(self.log, 1)
        bottom = QHBoxLayout()
        self.end_button = button("End interview early…", self.end_requested.emit,
                                 tip="Stop now; answers so far are kept and scored")
        self.review_button = button("Review now", self.review_requested.emit, primary=True,
                                    tip="Open the transcript, scores and approval, and close this room")
        self.review_button.hide()
        self.close_button = button("Close", self.close_requested.emit, name="Close the interview room",
                                   tip="Close this room and the candidate's screen; review later from Sessions")
        self.close_button.hide()
        bottom.addWidget(self.end_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        bottom.addWidget(self.review_button)
        layout.addLayout(bottom)
        layout.addWidget(hint("The candidate never sees scores. Their screen shows captions, their own words "
                              "and the time only."))

    def set_header(self, header: dict[str, Any], text_mode: bool) -> None:
        """Names the participant, stage and profile."""
        self.who.setText(header["participant"])
        self.stage.setText(f"{header['stage']} ({header['template']})")
        self.profile.setText(header["profile"])
        self.mode.setText("typed (text mode)" if text_mode else "spoken")

    def add_log(self, t: float, text: str) -> None:
        """Appends a line to the event log and keeps it scrolled to the end."""
        if not text:
            return
        self.log.addItem(f"{clock(t)}  {text}")
        self.log.scrollToBottom()

    def on_event(self, event: Any) -> None:
        """Logs an event and updates the controls."""
        kind = str(getattr(event, "kind", ""))
        if kind == "question_started" and event.turn_kind != TurnKind.NOTE:
            self.question = event.index
        self.add_log(getattr(event, "t", 0.0), describe(event, self.question))
        if kind == "paused":
            self._set_paused(True)
        elif kind == "resumed":
            self._set_paused(False)
        elif kind == "listening":
            self.state.setText("Waiting for the candidate's answer")
        elif kind == "thinking":
            self.state.setText("The interviewer is preparing what to say next…")
        elif kind == "speaking":
            self.state.setText("Interviewer speaking")
        elif kind == "finished":
            self.finished(f"Finished: {wording.ENDINGS.get(event.reason, pretty(event.reason).lower())}")

    def running(self) -> None:
        """The runner started."""
        self.state.setText("Running")
        for b in (self.pause_button, self.repeat_button, self.end_button):
            b.setEnabled(True)

    def finished(self, text: str) -> None:
        """The runner ended."""
        self.state.setText(text)
        for b in (self.pause_button, self.repeat_button, self.end_button, self.full_button):
            b.setEnabled(False)
        self.end_button.hide()
        self.close_button.show()

    def scoring(self, text: str, done: bool) -> None:
        """Scoring progress after the interview; the review button appears when done."""
        self.state.setText(text)
        self.review_button.setVisible(True)
        self.review_button.setEnabled(done)

    def _toggle_pause(self) -> None:
        (self.resume_requested if self.paused else self.pause_requested).emit()

    def _set_paused(self, paused: bool) -> None:
        self.paused = paused
        self.pause_button.setText("Resume" if paused else "Pause")
        self.state.setText("Paused" if paused else "Running")
