"""Screenshots of the main screens, for review and the docs: `python -m desktop_app.screenshots OUTDIR`.

Run it under Xvfb for a real window system (`xvfb-run -a python -m desktop_app.screenshots shots/`);
it also works offscreen. With --data-dir it copies that folder (e.g. one a test ran a real interview
in) and shows its newest scored session; the three example setups are added to the copy.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop_app.paths import DataPaths

WIDTH, HEIGHT = 1366, 820  # a common laptop screen, minus the desktop's panels


class Shooter:
    """Drives the real windows and saves what they show."""

    def __init__(self, app: QApplication, out: Path, ctx: Any, window: Any) -> None:
        self.app, self.out, self.ctx, self.window = app, out, ctx, window
        self.saved: list[Path] = []

    def settle(self, seconds: float = 0.3, until: Callable[[], bool] | None = None, timeout: float = 60.0) -> None:
        """Processes events until the store is idle (and `until` holds), then `seconds` more."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.app.processEvents()
            if self.ctx.ops.pending == 0 and (until is None or until()):
                break
            time.sleep(0.02)
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            self.app.processEvents()
            time.sleep(0.02)

    def shoot(self, widget: QWidget, name: str) -> Path:
        """Saves a widget (window or dialog) as OUTDIR/name.png."""
        self.settle(0.2)
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        self.saved.append(path)
        print(path, flush=True)
        return path


def _newest_session(ctx: Any, status: str) -> dict[str, Any] | None:
    from desktop_app.store.sessions import list_sessions

    rows = ctx.worker.call(lambda s: list_sessions(s, status=status, limit=50))
    scored = [r for r in rows if r.get("overall") is not None] if status == "completed" else rows
    return (scored or [None])[0]


def main_screens(s: Shooter) -> None:
    """Get started, the four lists, the pipeline, and the profile editor (valid, then with a weight total of 85)."""
    w = s.window
    start = w.show_page("start")
    s.settle(0.4, lambda: start.counts is not None)
    s.shoot(w, "main_get_started")
    for kind, name in (("profile", "main_profiles"), ("template", "main_templates_pipeline"),
                       ("participant", "main_participants"), ("session", "main_sessions")):
        page = w.show_page(kind)
        s.settle(0.4, lambda: page.table.source.rowCount() > 0)
        s.shoot(w, name)
    page = w.show_page("template")
    s.shoot(page.pipeline, "pipeline")
    page = w.show_page("profile")
    s.settle(0.2, lambda: page.current() is not None)
    page.edit()
    s.settle(0.3, lambda: getattr(page, "last_dialog", None) is not None)
    editor = page.last_dialog
    editor.tabs.setCurrentIndex(1)
    s.shoot(editor, "profile_editor_rubric")
    editor.rubric._spin(0).setValue(max(0, editor.rubric._spin(0).value() - 15))
    s.shoot(editor, "profile_editor_weights_invalid")
    editor.tabs.setCurrentIndex(0)
    s.shoot(editor, "profile_editor_general")
    editor.reject()


def interview_screens(s: Shooter) -> None:
    """The pre-flight check, then the live room (candidate beside operator) and the full-screen candidate view."""
    from desktop_app.ui.interview.candidate import CandidateWindow
    from desktop_app.ui.interview.room import InterviewRoom
    from desktop_app.ui.session_ops import schedule, suggested_stage

    session = _newest_session(s.ctx, "scheduled")
    if session is not None and session["mode"] == "manual_review":
        session = None  # show a live interview, not a reviewer's notes
    if session is None:
        def make(store: Any) -> str:
            from desktop_app.store import setup

            for person in setup.list_records(store, "participant"):
                stage = suggested_stage(store, person["id"])
                if stage and setup.get(store, "stage", stage).obj.type != "final_review":
                    return schedule(store, person["id"], stage).value["id"]
            raise SystemExit("no participant can be scheduled at an interview stage")

        session = {"id": s.ctx.worker.call(make)}
    room = InterviewRoom(s.ctx, session["id"], s.window)
    room.resize(WIDTH, HEIGHT)
    room.show()
    s.settle(0.5, lambda: room.header is not None)
    header = room.header
    if header is None:
        raise RuntimeError("the interview room did not load the session")
    room.preflight.text_mode.setChecked(True)
    s.shoot(room, "interview_preflight")
    # The live views, fed the events of a real interview transcript (or of a typical opening).
    room.candidate.set_header(header["stage"], header["duration_minutes"])
    room.candidate.set_text_mode(True)
    room.operator.set_header(header, True)
    room.operator.running()
    room.stack.setCurrentIndex(1)
    for event in sample_events(s.ctx, session["id"]):
        room.on_event(event)
    room.candidate.answer_box.setPlainText("At the bank I moved the ledger to an event-sourced design in Go; "
                                           "reconciliation errors fell by ninety percent.")
    s.shoot(room, "interview_room_candidate_and_operator")
    screen = CandidateWindow()
    screen.view.copy_state_from(room.candidate)
    screen.view.answer_box.setPlainText(room.candidate.answer_box.toPlainText())
    screen.resize(WIDTH, HEIGHT)
    screen.show()
    s.shoot(screen, "interview_candidate_fullscreen")
    screen.unlock_and_close()
    room.bridge = None
    room.close()


def sample_events(ctx: Any, session_id: str) -> list[Any]:
    """Events for the room's views: a real transcript's first exchanges when one exists."""
    from desktop_app.core.transcript import TurnKind
    from desktop_app.interview import events as ev
    from desktop_app.store.sessions import list_turns

    done = _newest_session(ctx, "completed")
    turns = ctx.worker.call(lambda s: list_turns(s, done["id"])) if done else []
    out: list[Any] = []
    if not turns:
        turns_text = [("interviewer", "intro", "Hello, I'm Alex, a senior engineer at Northwind Systems."),
                      ("interviewer", "question", "Tell me about a backend system you designed that had to stay "
                                                  "correct under retries."),
                      ("candidate", "answer", "We had a payments ledger in Go and PostgreSQL; I made every write "
                                              "idempotent with request keys."),
                      ("interviewer", "follow_up", "How did you measure whether it worked?")]
    else:
        turns_text = [(t.speaker, t.kind, t.text) for t in turns[:6]]
    t, q = 2.0, 0
    for speaker, kind, text in turns_text:
        t += 9
        if speaker == "candidate":
            out.append(ev.Listening(session_id=session_id, t=t - 6, question_id=f"q{q}", input=ev.ListenInput.TEXT))
            out.append(ev.AnswerFinal(session_id=session_id, t=t, question_id=f"q{q}", text=text, turn_index=q,
                                      latency_s=3.2))
        elif kind in ("question", "follow_up"):
            q += 1
            out.append(ev.QuestionStarted(session_id=session_id, t=t, question_id=f"q{q}", text=text,
                                          turn_kind=TurnKind(kind), index=(q + 1) // 2, total=5))
        else:
            out.append(ev.Speaking(session_id=session_id, t=t, text=text, turn_kind=TurnKind(kind)))
    out.append(ev.Listening(session_id=session_id, t=t + 2, question_id=f"q{q}", input=ev.ListenInput.TEXT))
    return out


def review_screens(s: Shooter) -> None:
    """The review of the newest scored session: scores with evidence, signals, scorecard."""
    from desktop_app.ui.review.window import ReviewWindow

    session = _newest_session(s.ctx, "completed")
    if session is None:
        print("no scored session: review screenshots skipped (pass --data-dir of a folder with one)", flush=True)
        return
    review = ReviewWindow(s.ctx, session["id"], s.window)
    review.resize(WIDTH, HEIGHT)
    review.show()
    s.settle(0.5, lambda: review.data is not None)
    if review.data is None:
        raise RuntimeError("the review window did not load the session")
    if review.data["dimensions"]:
        review.scores.table.selectRow(0)
    s.shoot(review, "review_scores")
    review.tabs.setCurrentWidget(review.signals)
    s.shoot(review, "review_signals")
    review.tabs.setCurrentWidget(review.scorecard)
    s.settle(0.5, lambda: review.scorecard.save_button.isEnabled() or "could not" in review.scorecard.note.text(),
             timeout=60)
    s.shoot(review, "review_scorecard")
    review.close()


def dialogs(s: Shooter) -> None:
    """Settings (models, interview) and the batch export."""
    from desktop_app.store.sessions import list_sessions
    from desktop_app.ui.review.export import ExportDialog
    from desktop_app.ui.settings_dialog import SettingsDialog

    settings = SettingsDialog(s.ctx, s.window)
    settings.show()
    s.settle(1.0)
    s.shoot(settings, "settings_models")
    settings.tabs.setCurrentIndex(2)
    s.shoot(settings, "settings_interview")
    settings.reject()
    ids = [r["id"] for r in s.ctx.worker.call(lambda store: list_sessions(store, limit=100))]
    export = ExportDialog(s.ctx, ids, s.window)
    export.show()
    s.shoot(export, "export_dialog")
    export.reject()


def run(out: Path, data_dir: Path | None) -> list[Path]:
    """Takes every screenshot into `out`; returns their paths."""
    from desktop_app.app import build_window
    from desktop_app.ui.theme import apply_theme
    from desktop_app.ui.widgets import gui_application

    out.mkdir(parents=True, exist_ok=True)
    app = gui_application(sys.argv[:1])
    apply_theme(app)
    with tempfile.TemporaryDirectory(prefix="viva-shots-") as tmp:
        folder = Path(tmp) / "data"
        if data_dir is not None:
            shutil.copytree(data_dir, folder)
        ctx, window = build_window(DataPaths(folder), Path(tmp) / "config")
        window.resize(WIDTH, HEIGHT)
        window.show()
        shooter = Shooter(app, out, ctx, window)
        ctx.engines.describe()  # the model names in the status bar, as after a normal start
        shooter.settle(0.5)
        # The example setups fill the lists (on the copy only); ones already there are kept as they are.
        from desktop_app.core.errors import UserError
        from desktop_app.ui.operations import load_preset

        for preset in ("hiring", "training", "mock_interview"):
            try:
                ctx.worker.call(lambda store, p=preset: load_preset(store, p))
            except UserError:
                pass
        window.page().refresh()
        try:
            for step in (main_screens, interview_screens, review_screens, dialogs):
                step(shooter)
        finally:
            for w in QApplication.topLevelWidgets():
                if isinstance(w, QDialog) and w.isVisible():
                    w.reject()
            window.close()
            QTimer.singleShot(0, app.quit)
            shooter.settle(0.1)
            ctx.shutdown()
    return shooter.saved


def main(argv: list[str] | None = None) -> int:
    """Command line: OUTDIR [--data-dir DIR]."""
    parser = argparse.ArgumentParser(description="Save screenshots of Viva's main screens.")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--data-dir", type=Path, help="a data folder to show (copied; the original is not changed)")
    args = parser.parse_args(argv)
    saved = run(args.outdir, args.data_dir)
    print(f"{len(saved)} screenshots in {args.outdir}", flush=True)
    return 0 if saved else 1


if __name__ == "__main__":
    raise SystemExit(main())
