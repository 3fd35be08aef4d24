"""The review window: transcript beside scores, signals and scorecard; override, approve and advance."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from desktop_app.core.filenames import scorecard_filename
from desktop_app.core.outcome import format_score
from desktop_app.ui.calls import call
from desktop_app.ui.interview import adapter as audio
from desktop_app.ui.operations import OpChanges
from desktop_app.ui.ops import message_of
from desktop_app.ui.review import adapter
from desktop_app.ui.review.scorecard import ScorecardPreview
from desktop_app.ui.review.scores import OverrideDialog, ScoresPanel, SignalsPanel
from desktop_app.ui.review.signoff import ReopenDialog, SignOffDialog
from desktop_app.ui.review.transcript import TranscriptView
from desktop_app.ui.widgets import InlineMessage, button, confirm, fit_to_screen, heading, hint, pretty, show_error


class ReviewWindow(QWidget):
    """Everything about one finished session, for the person who signs it off."""

    last_dialog: QDialog  # the dialog opened last (tests find it here)

    def __init__(self, ctx: Any, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.session_id = session_id
        self.data: dict[str, Any] | None = None
        self._playing: threading.Event | None = None
        self.setWindowTitle("Review")
        self.setAccessibleName("Review window")
        fm = self.fontMetrics()
        fit_to_screen(self, fm.averageCharWidth() * 190, fm.lineSpacing() * 46)
        layout = QVBoxLayout(self)
        self.title = heading("Review", 1.35)
        layout.addWidget(self.title)
        self.subtitle = hint("Loading…")
        layout.addWidget(self.subtitle)
        self.splitter = split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.transcript_label = QLabel("Transcript — evidence is highlighted")
        ll.addWidget(self.transcript_label)
        self.transcript = TranscriptView()
        self.transcript.play_requested.connect(self.play_turn)
        ll.addWidget(self.transcript, 1)
        split.addWidget(left)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Review sections")
        self.scores = ScoresPanel()
        self.scores.dimension_selected.connect(self._show_evidence)
        self.signals = SignalsPanel()
        self.scorecard = ScorecardPreview(ctx, session_id)
        self.tabs.addTab(self.scores, "&Scores")
        self.tabs.addTab(self.signals, "Si&gnals")
        self.tabs.addTab(self.scorecard, "Score&card")
        self.tabs.currentChanged.connect(self._tab_changed)
        split.addWidget(self.tabs)
        split.setSizes([5, 4])
        layout.addWidget(split, 1)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.decision = QLabel("")
        self.decision.setAccessibleName("Sign-off")
        row.addWidget(self.decision, 1)
        self.rescore_button = button("Score again", self.rescore, tip="Run the scoring again with the active model")
        self.override_button = button("Override score…", self.override,
                                      tip="Replace the selected dimension's score, with a reason")
        self.approve_button = button("Approve and advance…", self.approve, primary=True,
                                     tip="Sign the result off in your name; a pass schedules the next stage")
        self.reopen_button = button("Reopen…", self.reopen, tip="Clear the sign-off, with a reason, to change scores")
        self.reopen_button.setVisible(False)
        self.stop_button = button("Stop scoring", self.stop_scoring, tip="Stop the scoring in progress; nothing is saved")
        self.stop_button.setVisible(False)
        self._scoring: threading.Event | None = None
        for b in (self.rescore_button, self.stop_button, self.override_button, self.reopen_button, self.approve_button):
            row.addWidget(b)
        layout.addLayout(row)
        ctx.ops.changed.connect(self._on_changed)
        self.refresh()

    # ------------------------------------------------------------ data

    def refresh(self) -> None:
        """Reloads everything on the store worker."""
        session_id = self.session_id
        self.ctx.ops.query(call("review", "review_data", session_id), self._show,
                           lambda exc: show_error(self, "Cannot open the review", exc))

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        h = data["header"]
        session = h["session"]
        self.setWindowTitle(f"Review — {h['participant']}, {h['stage']}")
        self.title.setText(f"{h['participant']} · {h['stage']}")
        when = (session.get("started_at") or session["created_at"])[:16].replace("T", " ")
        self.subtitle.setText(f"{h['template']} · interviewer {h['profile']} · {pretty(session['status'])} · {when} · "
                              f"attempt {session['attempt']} · pass mark {format_score(h['pass_threshold'])} "
                              f"on {h['scale']}")
        self.scorecard.default_name = scorecard_filename(h["participant"], h["stage"])
        self.transcript.set_turns(data["turns"])
        # A typed interview has no recordings: promising a ▶ there sends the assessor looking for one.
        recorded = any(t.get("audio_path") for t in data["turns"])
        self.transcript_label.setText("Transcript — click ▶ play to hear a turn; evidence is highlighted" if recorded
                                      else "Transcript — evidence is highlighted")
        self.scores.set_data(data)
        self.signals.set_signals(data["signals"])
        all_quotes = [q for d in data["dimensions"] for q in d["evidence"]]
        self.transcript.set_evidence(all_quotes, (self.scores.current() or {}).get("evidence", []))
        result = data["result"]
        scored = result is not None and result.get("overall") is not None
        decision = (result or {}).get("decision") or "pending"
        if not scored:
            self.decision.setText("Not scored yet.")
        elif decision == "approved":
            self.decision.setText(f"Approved by {result.get('approved_by')} at "
                                  f"{(result.get('approved_at') or '')[:16].replace('T', ' ')}. "
                                  "The scores are locked; reopen the sign-off to change them.")
        else:
            self.decision.setText("Waiting for sign-off.")
        locked = decision == "approved"
        completed = session["status"] == "completed"
        self.approve_button.setEnabled(scored and not locked)
        self.approve_button.setVisible(not locked)
        self.reopen_button.setVisible(locked)
        self.reopen_button.setEnabled(locked)
        self.override_button.setEnabled(bool(data["dimensions"]) and completed and not locked)
        self.rescore_button.setEnabled(completed and not locked and self._scoring is None)
        for b in (self.override_button, self.rescore_button):
            b.setToolTip("Signed off: reopen the sign-off to change the scores" if locked else b.accessibleDescription())

    def _on_changed(self, changes: OpChanges, initiator: object) -> None:
        if self.session_id in changes.ids and changes.touches("result", "session"):
            self.refresh()

    def _show_evidence(self, quotes: list[str]) -> None:
        if self.data is not None:
            all_quotes = [q for d in self.data["dimensions"] for q in d["evidence"]]
            self.transcript.set_evidence(all_quotes, quotes)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.scorecard and self.scorecard.pdf is None:
            self.scorecard.refresh()

    # ------------------------------------------------------------ actions

    def override(self) -> None:
        """Asks for a new score and its reason for the selected dimension."""
        row = self.scores.current()
        if row is None or self.data is None:
            return
        dialog = OverrideDialog(row, self.data["max_score"], self, default_name=self.ctx.assessor_default())
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self._override(row["name"], *dialog.values()))
        dialog.open()

    def _override(self, dimension: str, score: float, reason: str, name: str) -> None:
        session_id = self.session_id
        self.ctx.ops.change(call("results", "override_score", session_id, dimension, score, reason, name),
                            lambda _v: self._overridden(dimension, score, name),
                            lambda exc: self.message.show_error(message_of(exc)), initiator=self)

    def _overridden(self, dimension: str, score: float, name: str) -> None:
        self.ctx.remember_assessor(name)
        self.message.show_ok(f"{dimension} set to {format_score(score)} by {name}.")

    def approve(self) -> None:
        """Asks who signs the result off (and confirms a sign-off against the recommendation), then approves."""
        if self.data is None:
            return
        result = self.data["result"] or {}
        if result.get("needs_review") and not confirm(
                self, "Approve anyway", "The scoring asked for a human check.", action="Approve",
                informative="Read the flagged answers first. Approve this result anyway?"):
            return
        dialog = SignOffDialog(self.data, self.ctx.assessor_default(), self)
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self._approve(*dialog.values()))
        dialog.open()

    def _approve(self, name: str, note: str) -> None:
        session_id = self.session_id
        self.ctx.ops.change(call("results", "approve", session_id, name, note),
                            lambda advanced: self._approved(name, advanced),
                            lambda exc: self.message.show_error(message_of(exc)), initiator=self)

    def _approved(self, name: str, advanced: Any) -> None:
        self.ctx.remember_assessor(name)
        advanced = advanced or {}
        if advanced.get("session_id"):
            note = " The next stage is scheduled."
        elif advanced.get("refused"):
            note = f" The next stage was not scheduled: {advanced['refused']}"
        else:
            note = ""
        self.message.show_ok(f"Approved by {name}." + note)
        self.scorecard.pdf = None

    def reopen(self) -> None:
        """Asks why the sign-off is reopened, then clears it so the scores can change."""
        if self.data is None:
            return
        result = self.data["result"] or {}
        dialog = ReopenDialog(str(result.get("approved_by") or ""), self.ctx.assessor_default(), self)
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self._reopen(*dialog.values()))
        dialog.open()

    def _reopen(self, name: str, reason: str) -> None:
        session_id = self.session_id
        self.ctx.ops.change(call("results", "reopen", session_id, reason, name),
                            lambda _v: self._reopened(),
                            lambda exc: self.message.show_error(message_of(exc)), initiator=self)

    def _reopened(self) -> None:
        self.message.show_ok("The sign-off is reopened: the scores can change and need a new approval.")
        self.scorecard.pdf = None

    def rescore(self) -> None:
        """Scores the session again in the background, with progress and a Stop button."""
        self.rescore_button.setEnabled(False)
        cancel = threading.Event()
        self._scoring = cancel
        self.stop_button.setVisible(True)
        self.stop_button.setEnabled(True)
        self.message.show_ok("Scoring… (this can take a minute)")
        self.ctx.tasks.run(lambda report: adapter.score_session(self.ctx, self.session_id, report, cancel),
                           self._rescored, self._rescore_failed, name="viva-rescore",
                           progress=lambda text: self.message.show_ok(str(text)))

    def stop_scoring(self) -> None:
        """Asks the scoring in progress to stop at its next step."""
        if self._scoring is not None:
            self._scoring.set()
            self.stop_button.setEnabled(False)
            self.message.show_ok("Stopping…")

    def _scoring_ended(self) -> None:
        self._scoring = None
        self.stop_button.setVisible(False)

    def _rescored(self, _result: Any) -> None:
        self._scoring_ended()
        self.message.show_ok("Scored again.")
        self.scorecard.pdf = None
        self.refresh()

    def _rescore_failed(self, exc: Exception) -> None:
        self._scoring_ended()
        self.rescore_button.setEnabled(True)
        self.message.show_error(f"Scoring failed: {message_of(exc)}")

    def play_turn(self, index: int) -> None:
        """Plays a turn's recording on the speaker, off the GUI thread; a new click stops the previous one."""
        turn = next((t for t in (self.data or {}).get("turns", []) if t["index"] == index), None)
        if turn is None or not turn.get("audio_path"):
            return
        if self._playing is not None:
            self._playing.set()
        cancel = threading.Event()
        self._playing = cancel
        path = Path(turn["audio_path"])
        if not path.is_absolute():  # recordings are stored relative to the data folder
            path = self.ctx.paths.root / path
        self.message.show_ok(f"Playing turn {index}…")
        device = self.ctx.settings.output_device
        self.ctx.tasks.run(lambda: audio.play_file(device, path, cancel),
                           lambda _r: self.message.show_ok(f"Played turn {index}."),
                           lambda exc: self.message.show_error(f"Cannot play: {message_of(exc)}"), name="viva-play")

    def closeEvent(self, event) -> None:
        if self._playing is not None:
            self._playing.set()
        if self._scoring is not None:
            self._scoring.set()
        super().closeEvent(event)
