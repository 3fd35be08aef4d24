"""Windows that come and go: Back from the pre-flight screen, the clock standing still while the PIN is asked,
and a Close once the interview is over."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer

from desktop_app.interview import events as ev
from desktop_app.store.sessions import get_session, schedule_session
from desktop_app.ui.interview.room import InterviewRoom
from desktop_app.ui.pin import hash_pin
from tests.ui.conftest import run, wait_idle


def open_room(qtbot, ctx, window) -> InterviewRoom:
    session = run(ctx, lambda s: schedule_session(s, "Dana Whitfield", "Screen"))
    room = window.open_interview(session.id)
    qtbot.waitUntil(lambda: room.header is not None)
    return room


def test_back_from_preflight_closes_the_room_without_starting(qtbot, demo_gui):
    ctx, window = demo_gui
    room = open_room(qtbot, ctx, window)
    assert room.preflight.cancel_button.isVisible() and room.preflight.cancel_button.text() == "Back"
    qtbot.mouseClick(room.preflight.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not room.isVisible())
    assert room.bridge is None and room.preflight.monitor is None
    session_id = room.session_id
    assert run(ctx, lambda s: get_session(s, session_id)).status == "scheduled", "nothing started"


def test_the_interview_clock_stands_still_while_the_pin_prompt_is_up(qtbot, demo_gui):
    ctx, window = demo_gui
    ctx.settings = ctx.settings.replace(operator_pin=hash_pin("2468"))
    room = open_room(qtbot, ctx, window)
    room.candidate.set_header("Screen", 30)
    room.stack.setCurrentIndex(1)
    room.show_candidate_full_screen()
    qtbot.waitUntil(lambda: room.candidate_window is not None and room.candidate_window.isVisible())
    view = room.candidate_window.view
    view._start_clock()  # the clock runs as it does once the interviewer speaks
    qtbot.waitUntil(lambda: view.clock_label.text() != "0:00 / 30:00", timeout=3000)
    seen: dict[str, object] = {}

    def while_prompt_is_up() -> None:
        seen["prompt"] = room.pin_dialog is not None and room.pin_dialog.isVisible()
        seen["before"] = view.clock_label.text()

        def later() -> None:
            seen["after"] = view.clock_label.text()
            seen["ticking"] = view._tick.isActive() or room.candidate._tick.isActive()
            room.pin_dialog.pin.setText("2468")
            room.pin_dialog.check()

        QTimer.singleShot(2200, later)

    QTimer.singleShot(100, while_prompt_is_up)
    assert room.ask_leave() is True  # blocks while the prompt is up, as it does for the operator
    assert seen["prompt"] is True
    assert seen["before"] == seen["after"], "two seconds passed with the prompt up and the clock did not move"
    assert seen["ticking"] is False
    assert room.candidate_window is None
    assert not room.candidate.held, "the room's own view counts on once the prompt is gone"
    room.close()
    wait_idle(qtbot, ctx)


def test_a_finished_interview_offers_close_and_closing_tidies_up(qtbot, demo_gui):
    ctx, window = demo_gui
    room = open_room(qtbot, ctx, window)
    room.stack.setCurrentIndex(1)
    operator = room.operator
    assert not operator.close_button.isVisible()
    room.on_event(ev.QuestionStarted(session_id=room.session_id, t=5, question_id="q3", text="Tell me about a team.",
                                     turn_kind="question", index=3, total=4))
    room.on_event(ev.AnswerFinal(session_id=room.session_id, t=20, question_id="q3", text="We shipped it early.",
                                 turn_index=6))
    room.on_event(ev.Finished(session_id=room.session_id, t=30, status="completed", reason="completed", answers=3))
    log = [operator.log.item(i).text() for i in range(operator.log.count())]
    assert any("Question 3 of 4" in line for line in log)
    assert any("Answer to question 3 saved" in line for line in log)
    assert not any("turn" in line.casefold() for line in log)
    assert operator.close_button.isVisible() and not operator.end_button.isVisible()
    qtbot.mouseClick(operator.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not room.isVisible())
    assert room.candidate_window is None


def test_review_now_and_close_leave_the_candidates_screen_only_with_the_pin(qtbot, demo_gui):
    from desktop_app.ui.review.window import ReviewWindow

    ctx, window = demo_gui
    ctx.settings = ctx.settings.replace(operator_pin=hash_pin("2468"))
    room = open_room(qtbot, ctx, window)
    room.stack.setCurrentIndex(1)
    room.show_candidate_full_screen()
    qtbot.waitUntil(lambda: room.candidate_window is not None and room.candidate_window.isVisible())
    room.on_event(ev.Finished(session_id=room.session_id, t=30, status="completed", reason="completed", answers=3))
    room.operator.scoring("Scored.", True)

    # Review now while the candidate's screen is up: the PIN is asked; cancelling keeps scores off their screen.
    QTimer.singleShot(100, lambda: room.pin_dialog.reject())
    qtbot.mouseClick(room.operator.review_button, Qt.MouseButton.LeftButton)
    assert room.candidate_window is not None and room.candidate_window.isVisible()
    assert not any(isinstance(w, ReviewWindow) for w in window.children_windows)

    # Close with the right PIN closes the candidate's screen and the room together.
    def unlock() -> None:
        room.pin_dialog.pin.setText("2468")
        room.pin_dialog.check()

    QTimer.singleShot(100, unlock)
    qtbot.mouseClick(room.operator.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not room.isVisible())
    assert room.candidate_window is None
