"""Typed runs through the runner's control API without models (the bank words every line): commands reach the
flow as inbox messages, and every turn kind a run stores is a TurnKind."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from desktop_app.core.transcript import TurnKind
from desktop_app.interview import events as ev
from desktop_app.interview.events import ListenInput
from desktop_app.interview.options import RunnerOptions
from desktop_app.interview.runner import InterviewRunner, RunResult
from desktop_app.store import sessions
from tests.interview.conftest import STRONG_ANSWERS, open_store

pytestmark = pytest.mark.timeout(60)  # a message the flow never reads would hang the run

Respond = Callable[[ev.Event, InterviewRunner], None]


def run_typed(paths, session_id: str, respond: Respond, **options) -> tuple[RunResult, list[ev.Event]]:
    """Runs on this thread; `respond` sees every event and answers through the runner's control API."""
    seen: list[ev.Event] = []
    runner: InterviewRunner

    def on_event(event: ev.Event) -> None:
        seen.append(event)
        respond(event, runner)

    runner = InterviewRunner(paths, session_id, on_event=on_event,
                             options=RunnerOptions(text_input=True, use_llm=False, **options))
    return runner.run(), seen


def answering(lines: Iterator[str], on_confirm: Iterator[str] = iter(())) -> Respond:
    """Types the next line whenever text or a note is awaited; presses the next button when asked to confirm."""

    def respond(event: ev.Event, runner: InterviewRunner) -> None:
        if isinstance(event, ev.Listening) and event.input in (ListenInput.TEXT, ListenInput.NOTE):
            runner.submit_text(next(lines))
        elif isinstance(event, ev.Listening) and event.input == ListenInput.CONFIRM:
            getattr(runner, next(on_confirm))()

    return respond


def _turns(paths, session_id: str):
    store = open_store(paths)
    try:
        return sessions.list_turns(store, session_id)
    finally:
        store.close()


def test_every_kind_a_run_stores_is_a_turn_kind(interview_data):
    """Old databases keep their strings: a stored kind must always be a member (the store reads plain str)."""
    paths, schedule = interview_data
    stored: set[str] = set()
    for mode in ("live_ai_interview", "roleplay_simulation", "practice_session", "async_interview", "manual_review"):
        sid = schedule(mode)
        result, _ = run_typed(paths, sid, answering(iter(STRONG_ANSWERS)))
        assert result.completed and result.answers >= 2, mode
        stored |= {t.kind for t in _turns(paths, sid)}
    # Stopped after the first answer, then resumed: the resume line.
    sid = schedule("live_ai_interview")

    def stop_after_first_answer(event: ev.Event, runner: InterviewRunner) -> None:
        if isinstance(event, ev.AnswerFinal):
            runner.stop()
        else:
            answering(iter(STRONG_ANSWERS))(event, runner)

    result, _ = run_typed(paths, sid, stop_after_first_answer)
    assert (result.status, result.reason, result.answers) == ("in_progress", "stopped", 1)
    result, _ = run_typed(paths, sid, answering(iter(STRONG_ANSWERS)))
    assert result.completed
    stored |= {t.kind for t in _turns(paths, sid)}
    assert stored <= {str(k) for k in TurnKind}
    assert {"intro", "resume", "question", "roleplay", "feedback", "closing", "answer", "note"} <= stored
    # The voice-only kinds (prompt, request) are stored in tests/interview/test_conversation.py.


def test_confirm_buttons_submit_and_retry(interview_data):
    paths, schedule = interview_data
    sid = schedule("async_interview")
    lines = iter(["First try at q1.", "Better answer: I built a Python tool used by 30 people.",
                  "Teamwork answer: I ran the weekly planning for four people.", "More lines"] * 3)
    result, seen = run_typed(paths, sid, answering(lines, iter(["retry", "submit", "submit", "submit", "submit"])),
                             confirm_answers=True)
    assert result.completed
    q1 = [t.text for t in _turns(paths, sid) if t.kind == TurnKind.ANSWER and t.question_id == "q1"]
    assert q1 == ["First try at q1.", "Better answer: I built a Python tool used by 30 people."]
    assert sum(1 for e in seen if isinstance(e, ev.Listening) and e.input == ListenInput.CONFIRM) >= 3


def test_pause_resume_push_to_talk_and_end_early(interview_data):
    paths, schedule = interview_data
    sid = schedule("live_ai_interview")
    lines = iter(STRONG_ANSWERS)

    def respond(event: ev.Event, runner: InterviewRunner) -> None:
        if isinstance(event, ev.Listening) and event.question_id == "q1":
            runner.push_to_talk(True)  # no microphone in a typed run: ignored
            runner.pause()
        elif isinstance(event, ev.Paused):
            runner.resume()
        elif isinstance(event, ev.Resumed):
            runner.submit_text(next(lines))
        elif isinstance(event, ev.Listening) and event.question_id == "q2":
            runner.end_early()
        elif isinstance(event, ev.Listening):  # a follow-up of q1
            runner.submit_text(next(lines))

    result, seen = run_typed(paths, sid, respond)
    assert (result.status, result.reason) == ("completed", "ended_early") and result.answers >= 1
    kinds = [type(e) for e in seen]
    assert kinds.count(ev.Paused) == 1 and kinds.count(ev.Resumed) == 1
    assert _turns(paths, sid)[-1].kind == TurnKind.CLOSING


def test_end_of_input_stops_resumably(interview_data):
    paths, schedule = interview_data
    sid = schedule("async_interview")

    def respond(event: ev.Event, runner: InterviewRunner) -> None:
        if isinstance(event, ev.Listening):
            runner.close_input()

    result, seen = run_typed(paths, sid, respond)
    assert (result.status, result.reason, result.answers) == ("in_progress", "input_ended", 0)
    assert isinstance(seen[-1], ev.Finished) and seen[-1].reason == "input_ended"


def test_an_answer_typed_while_paused_is_kept(interview_data):
    """Paused while the introduction is said: what is typed meanwhile (and after) is the answer, in order."""
    paths, schedule = interview_data
    sid = schedule("async_interview")
    sent: list[bool] = []

    def respond(event: ev.Event, runner: InterviewRunner) -> None:
        if isinstance(event, ev.Speaking) and not sent:
            sent.append(True)
            runner.pause()
            runner.submit_text("My first answer, typed while paused.")
            runner.resume()
            for line in ("Second answer.", "More lines.", "More lines."):
                runner.submit_text(line)
            runner.close_input()

    result, _ = run_typed(paths, sid, respond)
    assert result.completed
    answers = [(t.question_id, t.text) for t in _turns(paths, sid) if t.kind == TurnKind.ANSWER]
    assert answers == [("q1", "My first answer, typed while paused."), ("q2", "Second answer.")]
