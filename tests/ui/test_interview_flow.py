"""The whole loop through the GUI with the real embedded model: schedule, interview (typed), score, review,
override, approve and export the scorecard."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from desktop_app.store import results
from desktop_app.store.sessions import list_sessions, list_turns
from desktop_app.ui.interview.room import InterviewRoom
from desktop_app.ui.pin_dialog import NewPinDialog, PinDialog
from desktop_app.ui.review.window import ReviewWindow
from tests.ui.conftest import dialog_of, rows_of, run, wait_idle

pytestmark = pytest.mark.models

SETUP = """
viva_bundle: 1
profiles:
  - name: Short Screen Interviewer
    persona: "Sam, an engineer at Testco."
    use_case: hiring
    rubric:
      - {name: Python, weight: 60, description: "Writes and runs Python services.",
         anchors: {low: No example., middle: An example with steps., high: An example with a measured result.}}
      - {name: Teamwork, weight: 40, description: "Works well with others."}
    behavior: {tone: professional, style: structured, difficulty: medium, probing_depth: low}
    scoring: {scale: "0-10", method: weighted_average, samples: 1}
templates:
  - {name: Python Developer, use_case: hiring, objective: "Can they build Python services?",
     skills: [Python, Teamwork], duration_minutes: 5}
stages:
  - {template: Python Developer, name: Screen, type: ai_interview, agent_profile: Short Screen Interviewer,
     order: 0, pass_threshold: 3, on_completion: wait_for_approval}
  - {template: Python Developer, name: Final, type: final_review, agent_profile: Short Screen Interviewer,
     order: 1, pass_threshold: 6, on_completion: wait_for_approval}
participants:
  - {name: Ada Byron, email: ada@example.org, template: Python Developer, external_id: ATS-7}
"""

ANSWERS = [
    "I wrote a Python service that checked 40 thousand orders a night; as a result we cut failed deliveries by "
    "a third because I added retries and tests.",
    "I led a team of four on a warehouse app; I split the work, ran short daily check-ins, and we shipped two "
    "weeks early, which meant the client renewed.",
    "I used pandas to clean the data and I measured the error rate before and after, which went from 8 percent "
    "to 1 percent.",
]
FORBIDDEN = ("score", "rubric", "weight", "hire", "recommend", "pass mark", "threshold", "teamwork:")


def candidate_text(widget) -> str:
    """Everything a candidate can read in a widget."""
    parts = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    parts += [b.text() for b in widget.findChildren(QPushButton) if b.isVisible()]
    return "\n".join(parts).casefold()


def answer_pin(pin: str, results_seen: list) -> None:
    """Types a PIN into the modal dialog that is open now."""
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, NewPinDialog):
        dialog.pin.setText(pin)
        dialog.again.setText(pin)
        dialog.check()
        return
    assert isinstance(dialog, PinDialog), dialog
    dialog.pin.setText(pin)
    dialog.check()
    results_seen.append(dialog.isVisible())
    if dialog.isVisible():
        dialog.reject()


def test_typed_interview_review_override_approve_and_scorecard(qtbot, gui, engines, tmp_path: Path, monkeypatch):
    ctx, window = gui
    ctx.engines.provide(engines)
    bundle = tmp_path / "short.yaml"
    bundle.write_text(SETUP, encoding="utf-8")
    window.import_bundle(str(bundle))
    wait_idle(qtbot, ctx)

    # Schedule from the Participants list and start at once.
    people = window.show_page("participant")
    qtbot.waitUntil(lambda: len(rows_of(people)) == 1)
    people.table.select_id(rows_of(people)[0]["id"])
    people.schedule()
    qtbot.waitUntil(lambda: dialog_of(people) is not None)
    qtbot.mouseClick(dialog_of(people).start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, InterviewRoom) for w in window.children_windows))
    room = next(w for w in window.children_windows if isinstance(w, InterviewRoom))
    qtbot.waitUntil(lambda: room.header is not None)
    assert "Ada Byron" in room.preflight.summary.text()

    # Pre-flight: text mode, no speech; full screen needs a PIN, which is set on the way.
    room.preflight.text_mode.setChecked(True)
    room.preflight.speak.setChecked(False)
    assert not room.preflight.mic_button.isEnabled(), "text mode needs no microphone"
    QTimer.singleShot(100, lambda: answer_pin("2468", []))
    qtbot.mouseClick(room.preflight.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: room.candidate_window is not None and room.candidate_window.isVisible())
    screen = room.candidate_window
    assert screen.isFullScreen()

    # The candidate answers on the full-screen view until the interview ends.
    answered = 0
    seen_text: list[str] = []

    def step() -> bool:
        nonlocal answered
        view = screen.view
        if room.finished_status is not None or not room.is_running():
            return True
        if view.send_button.isEnabled():
            seen_text.append(candidate_text(screen))
            view.answer_box.setPlainText(ANSWERS[answered % len(ANSWERS)])
            qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
            answered += 1
        return False

    qtbot.waitUntil(step, timeout=240_000)
    log = [room.operator.log.item(i).text() for i in range(room.operator.log.count())]
    assert room.finished_status == "completed", log
    assert answered >= 2
    assert screen.view.caption.text() == "Thank you. The interview is over."
    seen_text.append(candidate_text(screen))
    for text in seen_text:
        for word in FORBIDDEN:
            assert word not in text, f"the candidate saw {word!r}"
    assert any(" saved (" in line for line in log) and any("Finished" in line for line in log)
    assert not any(" turn " in line for line in log), "questions are numbered as the candidate sees them"

    # Leaving the candidate's screen needs the PIN: a wrong one keeps it up.
    outcomes: list[bool] = []
    QTimer.singleShot(100, lambda: answer_pin("1111", outcomes))
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(outcomes) == 1)
    assert outcomes == [True] and screen.isVisible() and room.candidate_window is screen
    QTimer.singleShot(100, lambda: answer_pin("2468", outcomes))
    screen.close()
    qtbot.waitUntil(lambda: room.candidate_window is None)
    assert outcomes == [True, False]

    # Scoring runs in the background after the interview; then the review opens.
    qtbot.waitUntil(lambda: room.operator.review_button.isVisible() and room.operator.review_button.isEnabled(),
                    timeout=240_000)
    assert room.operator.state.text().startswith("Scored"), room.operator.state.text()
    session_id = room.session_id
    turns = run(ctx, lambda s: list_turns(s, session_id))
    assert [t.speaker for t in turns][:2] == ["interviewer", "interviewer"] or turns[0].speaker == "interviewer"
    assert sum(t.speaker == "candidate" for t in turns) == answered
    qtbot.mouseClick(room.operator.review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, ReviewWindow) for w in window.children_windows))
    review = next(w for w in window.children_windows if isinstance(w, ReviewWindow))
    qtbot.waitUntil(lambda: review.data is not None)
    data = review.data
    assert [d["name"] for d in data["dimensions"]] == ["Python", "Teamwork"]
    assert all(d["ai"] is not None and d["final"] is not None for d in data["dimensions"])
    html = review.transcript.toHtml()
    assert "Interviewer" in html and "Candidate" in html and "40 thousand orders" in html
    if any(d["evidence"] for d in data["dimensions"]):
        assert "background-color:#ff" in html.replace(" ", "").lower(), "evidence is highlighted"
    assert "Scored by" in review.scores.model_note.text()
    assert review.signals.table.source.rowCount() >= 1

    # Override Teamwork with a reason.
    review.scores.table.selectRow(1)
    review.override()
    dialog = dialog_of(review)
    assert not dialog.ok.isEnabled(), "a reason is required"
    dialog.score.setValue(7.5)
    dialog.reason.setPlainText("The team answer shows a clear plan and a measured outcome.")
    dialog.name.setText("Grace Hopper")
    assert dialog.ok.isEnabled()
    dialog.accept()
    qtbot.waitUntil(lambda: review.data["dimensions"][1]["override"] == 7.5, timeout=10_000)
    assert review.data["dimensions"][1]["final"] == 7.5
    scores = run(ctx, lambda s: results.list_scores(s, session_id))
    assert any(r["source"] == "override" and r["reason"].startswith("The team answer") for r in scores)

    # Approve: the assessor signs in their own name, the scores lock and a pass schedules the next stage.
    monkeypatch.setattr("desktop_app.ui.review.window.confirm", lambda *a, **k: True)
    monkeypatch.setattr("desktop_app.ui.review.signoff.confirm", lambda *a, **k: True)
    assert review.approve_button.isEnabled()
    qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
    sign_off = review.last_dialog
    sign_off.name.clear()
    assert not sign_off.ok.isEnabled()
    qtbot.keyClicks(sign_off.name, "Grace Hopper")
    qtbot.mouseClick(sign_off.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.decision.text().startswith("Approved by Grace Hopper"), timeout=10_000)
    assert not review.approve_button.isEnabled() and not review.override_button.isEnabled()
    result = run(ctx, lambda s: results.get_result(s, session_id))
    assert result["decision"] == "approved" and result["approved_by"] == "Grace Hopper"
    sessions = run(ctx, lambda s: list_sessions(s))
    if result["passed"]:
        assert {(s["stage"], s["status"]) for s in sessions} == {("Screen", "completed"), ("Final", "scheduled")}

    # The scorecard: rendered to page images off the GUI thread, then saved.
    review.tabs.setCurrentWidget(review.scorecard)
    qtbot.waitUntil(lambda: review.scorecard.save_button.isEnabled(), timeout=60_000)
    assert review.scorecard.pages_layout.count() >= 1
    target = tmp_path / "ada-scorecard.pdf"
    review.scorecard.save(str(target))
    qtbot.waitUntil(lambda: review.scorecard.note.text().startswith("Saved to"), timeout=30_000)
    assert target.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "Ada Byron" in text and "Teamwork" in text and "Grace Hopper" in text
    assert review.scorecard.default_name == "Ada Byron - Screen - scorecard.pdf"

    # Batch export from the Sessions list, with progress.
    listed = window.show_page("session")
    qtbot.waitUntil(lambda: len(rows_of(listed)) >= 1)
    listed.export()  # the list first asks the store for every matching session, then opens the dialog
    qtbot.waitUntil(lambda: dialog_of(window) is not None)
    export = dialog_of(window)
    out = tmp_path / "export"
    export.folder.setText(str(out))
    qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not export.running and "file(s)" in export.message.text(), timeout=60_000)
    assert export.progress.value() == export.progress.maximum()
    assert sorted(p.suffix for p in out.iterdir()) == [".csv", ".json", ".pdf"]
    assert "ATS-7" in (out / "results.csv").read_text(encoding="utf-8")
    export.reject()

    # Screenshots of the main screens with this real session, under Xvfb when it is installed.
    wait_idle(qtbot, ctx)
    take_screenshots(ctx.paths.root)


def take_screenshots(data_dir: Path) -> None:
    """Runs desktop_app.screenshots into <repo>/screenshots (gitignored) on a copy of `data_dir`."""
    import os
    import shutil
    import sys

    root = Path(__file__).resolve().parents[2]
    out = root / "screenshots"
    command = [sys.executable, "-m", "desktop_app.screenshots", str(out), "--data-dir", str(data_dir)]
    env = dict(os.environ)
    if shutil.which("xvfb-run"):
        command = ["xvfb-run", "-a", "-s", "-screen 0 1440x900x24"] + command
        env.pop("QT_QPA_PLATFORM", None)  # the real xcb platform on the virtual display
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    names = {p.stem for p in out.glob("*.png")}
    assert {"main_participants", "profile_editor_rubric", "pipeline", "interview_room_candidate_and_operator",
            "interview_candidate_fullscreen", "review_scores", "settings_models"} <= names, names
