"""A whole interview in each session mode, typed, with the real embedded language model."""

from __future__ import annotations

import threading
import time

import pytest

from desktop_app.core.probes import check_character_line
from desktop_app.store import sessions
from tests.interview.conftest import STRONG_ANSWERS, open_store, run_cli_text

pytestmark = pytest.mark.models


def _session(paths, session_id):
    store = open_store(paths)
    try:
        return sessions.get_session(store, session_id), sessions.list_turns(store, session_id)
    finally:
        store.close()


def _answered(plan: dict, turns) -> set[str]:
    return {t.question_id.split(".")[0] for t in turns if t.kind in ("answer", "note") and t.question_id}


def test_live_interview_typed(interview_data, engines, monkeypatch, capsys):
    paths, schedule = interview_data
    sid = schedule("live_ai_interview")
    code, events = run_cli_text(paths, sid, STRONG_ANSWERS, engines=engines, monkeypatch=monkeypatch, capsys=capsys)
    record, turns = _session(paths, sid)
    assert code == 0 and record.status == "completed"
    assert events[-1]["kind"] == "finished" and events[-1]["status"] == "completed"
    plan = record.plan
    assert [q["targets"] for q in plan["questions"]] == [["Python"], ["Teamwork"]]
    assert _answered(plan, turns) == {"q1", "q2"}
    assert turns[0].kind == "intro" and "Sam, an engineer at Testco" in turns[0].text
    assert turns[-1].kind == "closing"
    assert record.models["llm"]["sha256"] and record.models["prompt_version"]
    answers = [t for t in turns if t.speaker == "candidate"]
    assert all(t.meta["input"] == "typed" and "latency_s" in t.meta and "pasted" in t.meta for t in answers)
    assert [t.index for t in turns] == list(range(len(turns)))
    assert all(t.started_at <= t.ended_at for t in turns)
    follow_ups = [t for t in turns if t.kind == "follow_up"]
    assert [t.question_id for t in follow_ups] == ["q1.f1", "q2.f1"]  # structured, probing medium: one each
    for t in follow_ups:  # the model's proposal was used only if it passed the checks; else the bank's
        question = t.meta["question"]
        assert t.meta["source"] in ("model", "bank") and t.text.endswith(question)
        assert question.endswith("?") and question.count("?") == 1 and len(question.split()) <= 30
        if "rejected" in t.meta:
            assert t.meta["rejected"] in ("empty", "not a single question", "too long", "too short", "off topic",
                                          "talks about the interview or scoring", "contains markup",
                                          "repeats an earlier question")
    kinds = [e["kind"] for e in events]
    assert {"question_started", "listening", "answer_final", "speaking", "finished"} <= set(kinds)


def test_roleplay_typed_stays_in_character(interview_data, engines, monkeypatch, capsys):
    paths, schedule = interview_data
    sid = schedule("roleplay_simulation")
    replies = ["I'm sorry your parcel is late, Alex. Let me check the tracking for you right now.",
               "It is stuck at the depot. I can refund you today or send a new one by express tomorrow.",
               "I will process the refund now and email you the confirmation within the hour.",
               "You have my word, and I will call you tomorrow to make sure it arrived."] * 3
    code, _ = run_cli_text(paths, sid, replies, engines=engines, monkeypatch=monkeypatch, capsys=capsys)
    record, turns = _session(paths, sid)
    assert code == 0 and record.status == "completed"
    lines = [t for t in turns if t.kind == "roleplay"]
    assert lines[0].text.startswith("I'm Alex, a customer. My parcel is a week late.")
    for line in lines:
        assert line.meta["source"] in ("plan", "model", "script")
        if line.meta["source"] == "model":
            assert check_character_line(line.text).ok
    assert lines[-1].meta.get("farewell") and turns[-1].kind == "closing"
    assert len(record.plan["questions"]) >= 3 and _answered(record.plan, turns) == {q["id"] for q in record.plan["questions"]}


def test_practice_gives_feedback_and_allows_retry(interview_data, engines, monkeypatch, capsys):
    paths, schedule = interview_data
    sid = schedule("practice_session")
    lines = ["We did some things.", "/retry", *STRONG_ANSWERS]
    code, events = run_cli_text(paths, sid, lines, engines=engines, monkeypatch=monkeypatch, capsys=capsys)
    record, turns = _session(paths, sid)
    assert code == 0 and record.status == "completed"
    feedback = [t for t in turns if t.kind == "feedback"]
    assert len(feedback) >= 2 and all(t.text for t in feedback)
    q1_answers = [t for t in turns if t.speaker == "candidate" and t.question_id == "q1"]
    assert len(q1_answers) >= 2  # the first try is kept; the retry comes after it
    assert max(e.get("attempt", 1) for e in events if e["kind"] == "question_started") >= 2


def test_async_fixed_questions_with_re_record(interview_data, engines, monkeypatch, capsys):
    paths, schedule = interview_data
    sid = schedule("async_interview")
    lines = ["First try at q1.", "/retry", "Better first answer, I built a Python tool used by 30 people.",
             "Teamwork answer: I ran the weekly planning for four people.", "More lines"]
    code, _ = run_cli_text(paths, sid, lines, engines=engines, monkeypatch=monkeypatch, capsys=capsys)
    record, turns = _session(paths, sid)
    assert code == 0 and record.status == "completed"
    assert not any(t.kind == "follow_up" for t in turns)
    assert "llm" not in record.models  # no model in an async interview
    q1 = [t.text for t in turns if t.speaker == "candidate" and t.question_id == "q1"]
    assert q1 == ["First try at q1.", "Better first answer, I built a Python tool used by 30 people."]
    q2 = [t.text for t in turns if t.speaker == "candidate" and t.question_id == "q2"]
    assert q2 == ["Teamwork answer: I ran the weekly planning for four people."]


def test_typed_requests_in_plain_words_repeat_and_retry(interview_data, engines, monkeypatch, capsys):
    """The candidate's screen shows no commands: asking in words does what /repeat and /retry do."""
    paths, schedule = interview_data
    sid = schedule("async_interview")
    lines = ["Could you repeat the question?", "First try at q1.", "Let me try that again.",
             "Better first answer, I built a Python tool used by 30 people.",
             "Teamwork answer: I ran the weekly planning for four people.", "More lines"]
    code, events = run_cli_text(paths, sid, lines, engines=engines, monkeypatch=monkeypatch, capsys=capsys)
    record, turns = _session(paths, sid)
    assert code == 0 and record.status == "completed"
    q1 = [t.text for t in turns if t.speaker == "candidate" and t.question_id == "q1"]
    assert q1 == ["First try at q1.", "Better first answer, I built a Python tool used by 30 people."]
    asked_q1 = [e for e in events if e["kind"] == "question_started" and e["question_id"] == "q1"]
    assert len(asked_q1) >= 3, "asked, repeated on request, then asked again for the retry"
    intro = next(t.text for t in turns if t.kind == "intro")
    assert "/" not in intro, "the instructions name no commands"


def test_manual_review_notes(interview_data, engines, monkeypatch, capsys):
    paths, schedule = interview_data
    sid = schedule("manual_review")
    code, events = run_cli_text(paths, sid, ["Solid Python answer with numbers.", "", "extra"], engines=engines,
                                monkeypatch=monkeypatch, capsys=capsys)
    record, turns = _session(paths, sid)
    assert code == 0 and record.status == "completed"
    assert [(t.speaker, t.kind, t.question_id) for t in turns] == [("operator", "note", "q1"), ("operator", "note", "q2")]
    assert turns[0].text == "Solid Python answer with numbers." and turns[1].meta["skipped"] is True
    assert "llm" not in record.models
    assert [e["turn_kind"] for e in events if e["kind"] == "question_started"] == ["note", "note"]


def test_input_end_leaves_session_resumable_and_resume_completes(interview_data, engines, monkeypatch, capsys):
    paths, schedule = interview_data
    sid = schedule("live_ai_interview")
    code, events = run_cli_text(paths, sid, STRONG_ANSWERS[:1], engines=engines, monkeypatch=monkeypatch, capsys=capsys)
    record, turns = _session(paths, sid)
    assert code == 1 and record.status == "in_progress" and events[-1]["reason"] == "input_ended"
    before = [(t.index, t.text) for t in turns]
    import io
    import sys

    from desktop_app.cli import main
    from desktop_app.commands import interview as command

    monkeypatch.setattr(command, "_engines", lambda ctx, settings: engines)
    monkeypatch.setattr(sys, "stdin", io.StringIO("/repeat\n" + "".join(a + "\n" for a in STRONG_ANSWERS)))
    assert main(["--data-dir", str(paths.root), "session", "resume", sid, "--text"]) == 0
    record, turns = _session(paths, sid)
    assert record.status == "completed"
    assert [(t.index, t.text) for t in turns][: len(before)] == before
    assert any(t.kind == "resume" for t in turns)
    assert main(["--data-dir", str(paths.root), "session", "resume", sid, "--text"]) == 2  # completed: refused


def test_pasted_marker_typing_time_end_early_and_time_budget(interview_data, engines):
    from desktop_app.interview.options import RunnerOptions
    from desktop_app.interview.runner import InterviewRunner

    paths, schedule = interview_data
    sid = schedule("live_ai_interview")
    events = []
    runner = InterviewRunner(paths, sid, on_event=events.append, options=RunnerOptions(text_input=True),
                             engines=engines)

    def feed():
        while not any(e.kind == "listening" for e in events):
            time.sleep(0.02)
        runner.submit_text("\x1b[200~I pasted this answer about Python from somewhere else entirely.\x1b[201~")
        while sum(e.kind == "listening" for e in events) < 2:
            time.sleep(0.02)
        runner.pause()
        runner.resume()
        runner.end_early()

    threading.Thread(target=feed, daemon=True).start()
    result = runner.run()
    record, turns = _session(paths, sid)
    assert result.completed and record.status == "completed"
    answer = next(t for t in turns if t.speaker == "candidate")
    assert answer.meta["pasted"] is True and "\x1b" not in answer.text
    assert turns[-1].kind == "closing" and turns[-1].meta["reason"] == "ended_early"
    assert [e.kind for e in events].count("paused") == 1 and any(e.kind == "resumed" for e in events)


def test_time_budget_wraps_up_without_cutting_an_answer(interview_data, engines):
    from desktop_app.core.transcript import Turn
    from desktop_app.interview.options import RunnerOptions
    from desktop_app.interview.runner import InterviewRunner

    paths, schedule = interview_data
    sid = schedule("live_ai_interview")
    store = open_store(paths)
    sessions.set_status(store, sid, "in_progress")
    # An earlier run used all but 1 s of the 5-minute budget (time is interview time, from committed turns).
    sessions.add_turn(store, Turn(sid, -1, "interviewer", "Hello.", 0.0, 299.0, kind="intro"))
    store.close()
    events = []
    runner = InterviewRunner(paths, sid, on_event=events.append, options=RunnerOptions(text_input=True),
                             engines=engines)

    def slow_answer():
        while not any(e.kind == "listening" for e in events):
            time.sleep(0.02)
        time.sleep(1.5)  # the budget runs out while the candidate is answering
        runner.submit_text("I answered slowly but completely, with 3 examples and a result.")
        runner.close_input()

    threading.Thread(target=slow_answer, daemon=True).start()
    result = runner.run()
    record, turns = _session(paths, sid)
    assert result.completed
    assert any(e.kind == "time_warning" for e in events)
    answer = [t for t in turns if t.speaker == "candidate"]
    assert len(answer) == 1 and answer[0].text.startswith("I answered slowly")
    assert turns[-1].kind == "closing" and turns[-1].meta["reason"] == "time_up"
    assert not any(t.kind == "follow_up" for t in turns)


def test_adaptive_difficulty_follows_the_answers(interview_data, engines, monkeypatch, capsys):
    from desktop_app.store import setup

    paths, schedule = interview_data
    store = open_store(paths)
    profile = setup.get(store, "profile", "Test Interviewer")
    data = profile.obj.dump()
    data["behavior"] = {**data["behavior"], "difficulty": "adaptive"}
    setup.save(store, "profile", data, record_id=profile.id)
    store.close()
    sid = schedule("live_ai_interview")
    strong = STRONG_ANSWERS[0] + " " + STRONG_ANSWERS[1]  # long, first person, numbers, a result
    code, _ = run_cli_text(paths, sid, [strong] * 8, engines=engines, monkeypatch=monkeypatch, capsys=capsys)
    record, turns = _session(paths, sid)
    assert code == 0
    q2 = next(t for t in turns if t.kind == "question" and t.question_id == "q2")
    assert q2.meta["level_shift"] == 1
    assert q2.meta["question"] == record.plan["questions"][1]["variants"]["+1"]


def test_repair_interrupted_sessions_at_start_up(interview_data):
    from desktop_app.interview.runner import repair_interrupted_sessions

    paths, schedule = interview_data
    sid = schedule("live_ai_interview")
    store = open_store(paths)
    sessions.set_status(store, sid, "in_progress")
    store.close()
    folder = paths.session_audio(sid)
    folder.mkdir(parents=True)
    (folder / "0001-candidate-q1-abc.wav").write_bytes(b"RIFF")  # a crash right after creating the file
    assert repair_interrupted_sessions(paths) == {sid: [f"audio/{sid}/0001-candidate-q1-abc.wav"]}
    assert repair_interrupted_sessions(paths) == {}


def test_refused_runs_change_nothing(interview_data, engines, monkeypatch, capsys, tmp_path):
    from desktop_app.cli import main
    from desktop_app.commands import interview as command
    from tests.conftest import db_snapshot

    paths, schedule = interview_data
    sid = schedule("manual_review")
    monkeypatch.setattr(command, "_engines", lambda ctx, settings: engines)
    before = db_snapshot(paths.database)
    base = ["--data-dir", str(paths.root)]
    assert main([*base, "interview", "run", sid, "--answers", str(tmp_path / "missing")]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main([*base, "interview", "run", sid, "--answers", str(empty)]) == 2
    assert main([*base, "interview", "run", sid, "--text", "--answers", str(empty)]) == 2
    assert main([*base, "session", "resume", sid, "--text"]) == 2  # scheduled, not in progress
    assert main([*base, "interview", "run", "no-such-session", "--text"]) == 2
    err = capsys.readouterr().err
    assert all(line.startswith("viva: ") for line in err.strip().splitlines())
    assert db_snapshot(paths.database) == before
