"""The interview room: pre-flight, then the candidate view beside the operator view; scoring afterwards."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMessageBox, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from desktop_app.ui import session_ops
from desktop_app.ui.interview import adapter
from desktop_app.ui.interview.bridge import RunnerBridge
from desktop_app.ui.interview.candidate import CandidateView, CandidateWindow
from desktop_app.ui.interview.operator import OperatorPanel
from desktop_app.ui.interview.preflight import PreflightPanel
from desktop_app.ui.ops import message_of
from desktop_app.ui.pin import has_pin
from desktop_app.ui.pin_dialog import NewPinDialog, PinDialog
from desktop_app.ui.review import adapter as review_adapter
from desktop_app.ui.widgets import confirm, fit_to_screen, show_error


class InterviewRoom(QWidget):
    """One session's room. The runner runs on its own thread; its events arrive through RunnerBridge."""

    def __init__(self, ctx: Any, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.session_id = session_id
        self.header: dict[str, Any] | None = None
        self.bridge: RunnerBridge | None = None
        self.candidate_window: CandidateWindow | None = None
        self.text_mode = False
        self.finished_status: str | None = None
        self.pin_dialog: PinDialog | None = None
        self.setWindowTitle("Interview room")
        self.setAccessibleName("Interview room")
        fm = self.fontMetrics()
        fit_to_screen(self, fm.averageCharWidth() * 190, fm.lineSpacing() * 46)
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.preflight = PreflightPanel(ctx)
        self.preflight.begin.connect(self.begin)
        self.preflight.cancelled.connect(self.close)
        self.stack.addWidget(self.preflight)
        live = QSplitter(Qt.Orientation.Horizontal)
        self.candidate = CandidateView()
        self.operator = OperatorPanel()
        live.addWidget(self.candidate)
        live.addWidget(self.operator)
        live.setStretchFactor(0, 3)
        live.setStretchFactor(1, 2)
        live.setSizes([self.width() * 3 // 5, self.width() * 2 // 5])
        self.stack.addWidget(live)
        self._wire_controls(self.candidate)
        self.operator.pause_requested.connect(lambda: self._command("pause"))
        self.operator.resume_requested.connect(lambda: self._command("resume"))
        self.operator.repeat_requested.connect(lambda: self._command("repeat_question"))
        self.operator.full_screen_requested.connect(self.show_candidate_full_screen)
        self.operator.end_requested.connect(self.end_early)
        self.operator.review_requested.connect(self.review_now)
        self.operator.close_requested.connect(self.close)
        QShortcut(QKeySequence("F11"), self, self.show_candidate_full_screen)
        ctx.ops.query(lambda s: session_ops.session_header(s, session_id), self._loaded,
                      lambda exc: show_error(self, "Cannot open the session", exc))

    def _wire_controls(self, view: CandidateView) -> None:
        view.pause_requested.connect(lambda: self._command("pause"))
        view.resume_requested.connect(lambda: self._command("resume"))
        view.repeat_requested.connect(lambda: self._command("repeat_question"))
        view.answer_submitted.connect(self._submit)

    def _loaded(self, header: dict[str, Any]) -> None:
        self.header = header
        self.setWindowTitle(f"Interview room — {header['participant']}, {header['stage']}")
        self.preflight.set_session(header)
        status = header["session"]["status"]
        if status not in ("scheduled", "in_progress"):
            self.preflight.start_button.setEnabled(False)
            self.preflight.summary.setText(self.preflight.summary.text() + f" — this session is {status}.")

    # ------------------------------------------------------------ running

    def begin(self, text_mode: bool, speak: bool, full_screen: bool) -> None:
        """Starts the runner on its thread; shows the live views (and the full-screen candidate view)."""
        if self.header is None or self.is_running():
            return
        if full_screen and not has_pin(self.ctx.settings) and not self._set_pin_first():
            return
        self.text_mode = text_mode
        self.candidate.set_header(self.header["stage"], self.header["duration_minutes"])
        self.candidate.set_text_mode(text_mode)
        self.operator.set_header(self.header, text_mode)
        self.stack.setCurrentIndex(1)
        self.bridge = RunnerBridge(partial(adapter.create_runner, self.ctx, self.session_id, text_mode=text_mode,
                                           speak=speak), self)
        # The bridge already crossed threads with a queued signal; a second queue would let `stopped`
        # overtake the last events, so these two connections are direct (both ends on the GUI thread).
        self.bridge.interview_event.connect(self.on_event)
        self.bridge.stopped.connect(self._runner_stopped)
        self.bridge.start()
        self.operator.running()
        self.ctx.ops.changed.emit(session_ops.changes("session", ids=(self.session_id,)), self)
        if full_screen:
            self.show_candidate_full_screen()

    def _set_pin_first(self) -> bool:
        dialog = NewPinDialog(self, "Set an operator PIN before the first full-screen interview: "
                                    "it is needed to leave the candidate's screen.")
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.value is None:
            return False
        self.ctx.save_settings(self.ctx.settings.replace(operator_pin=dialog.value))
        return True

    def on_event(self, event: Any) -> None:
        """Hands one runner event to the candidate views and the operator log."""
        self.candidate.on_event(event)
        if self.candidate_window is not None:
            self.candidate_window.view.on_event(event)
        self.operator.on_event(event)
        if str(getattr(event, "kind", "")) == "finished":
            self.finished_status = event.status
        if str(getattr(event, "kind", "")) == "error" and getattr(event, "fatal", False):
            self.operator.finished(f"Stopped: {event.message}")

    def _runner_stopped(self, exc: Any) -> None:
        self.ctx.ops.changed.emit(session_ops.changes("session", "result", ids=(self.session_id,)), self)
        if exc is not None:
            self.operator.finished(f"Stopped: {message_of(exc)}")
            self.operator.add_log(self.candidate._elapsed, f"Could not run: {message_of(exc)}")
            show_error(self, "The interview stopped", exc)
            return
        if self.finished_status == "completed":
            self.score()

    def _submit(self, text: str, pasted: bool, started_at: float | None) -> None:
        """A typed answer, with the facts the authenticity signals use."""
        if self.bridge is None or self.bridge.runner is None or not self.bridge.running():
            return
        self.bridge.runner.submit_text(text, pasted=pasted, typing_started_at=started_at)

    def _command(self, name: str, *args: Any) -> None:
        if self.bridge is None or not self.bridge.running():
            return
        if not self.bridge.command(name, *args):
            self.operator.add_log(self.candidate._elapsed, f"(the runner does not support {name})")

    def is_running(self) -> bool:
        """Whether an interview is in progress in this room."""
        return self.bridge is not None and self.bridge.running()

    def end_early(self) -> None:
        """Ends the interview after confirmation; the answers so far are kept."""
        if not self.is_running():
            return
        if confirm(self, "End the interview early", "End the interview now?", action="End interview",
                   informative="The answers given so far are kept and scored."):
            self._command("end_early")

    # ------------------------------------------------------------ after the interview

    def score(self) -> None:
        """Scores the finished session in the background, then offers the review."""
        self.operator.scoring("Scoring the answers…", False)
        self.ctx.tasks.run(lambda report: review_adapter.score_session(self.ctx, self.session_id, report),
                           self._scored, self._score_failed, name="viva-scoring",
                           progress=lambda text: self.operator.scoring(str(text), False))

    def _scored(self, _result: Any) -> None:
        self.operator.scoring("Scored. Press “Review now” to check the scores and sign off.", True)
        self.ctx.ops.changed.emit(session_ops.changes("result", "session", ids=(self.session_id,)), self)

    def _score_failed(self, exc: Exception) -> None:
        self.operator.scoring(f"Scoring failed: {message_of(exc)} You can score again from the review.", True)

    def open_review(self) -> QWidget | None:
        """Opens the review of this session (through the main window when there is one)."""
        parent = self.parentWidget()
        if parent is not None and hasattr(parent, "open_review"):
            return parent.open_review(self.session_id)
        return None

    def review_now(self) -> QWidget | None:
        """Closes the candidate's screen (the PIN first: scores must never show on it), opens the review and
        closes the room: the interview is over."""
        if self.candidate_window is not None and not self.ask_leave():
            return None
        review = self.open_review()
        if not self.is_running():
            self.close()
        return review

    # ------------------------------------------------------------ full screen and leaving

    def show_candidate_full_screen(self) -> None:
        """Opens the candidate view full screen (on a second screen when there is one)."""
        if self.candidate_window is not None or self.stack.currentIndex() != 1:
            return
        if not has_pin(self.ctx.settings) and not self._set_pin_first():
            return
        window = CandidateWindow(self)
        window.view.copy_state_from(self.candidate)
        self._wire_controls(window.view)
        window.leave_requested.connect(self.ask_leave)
        screens = QGuiApplication.screens()
        if len(screens) > 1 and self.screen() in screens:
            other = [s for s in screens if s is not self.screen()][0]
            window.setScreen(other)
            window.move(other.geometry().topLeft())
        self.candidate_window = window
        window.showFullScreen()

    def ask_leave(self) -> bool:
        """Closes the full-screen candidate view if the operator PIN is right."""
        if self.candidate_window is None:
            return True
        dialog = PinDialog(self.ctx.settings.operator_pin, "Enter the operator PIN to leave the candidate's screen.",
                           self.candidate_window)
        self.pin_dialog = dialog  # tests find the open prompt here
        paused_here = self._hold_clock(True)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self.pin_dialog = None
            self._hold_clock(False, resume=paused_here)
        if not accepted:
            return False
        window, self.candidate_window = self.candidate_window, None
        window.unlock_and_close()
        window.deleteLater()
        self.raise_()
        self.activateWindow()
        return True

    def _hold_clock(self, held: bool, resume: bool = False) -> bool:
        """Stands the interview clock still while the PIN prompt is up: the runner pauses (its clock stops)
        and both candidate views stop counting. Returns whether this call paused the runner."""
        views = [self.candidate] + ([self.candidate_window.view] if self.candidate_window is not None else [])
        for view in views:
            view.hold_clock(held)
        if held and self.is_running() and not self.candidate.paused:
            self._command("pause")
            return True
        if not held and resume and self.is_running():
            self._command("resume")
        return False

    def shutdown(self) -> None:
        """Stops the interview (resumable) and closes every view without asking: for a program exit."""
        if self.bridge is not None and self.is_running():
            self._command("stop")
            self.bridge.join(10.0)
        if self.candidate_window is not None:
            window, self.candidate_window = self.candidate_window, None
            window.unlock_and_close()
        self.preflight.stop_mic()
        self.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.candidate_window is not None and not self.ask_leave():
            event.ignore()
            return
        if self.is_running():
            QMessageBox.information(self, "Interview in progress",
                                    "The interview is still running. Use “End interview early” first.")
            event.ignore()
            return
        self.preflight.stop_mic()
        super().closeEvent(event)
