"""The words people read: plain sentences for validation problems and errors, and no developer terms on screen."""

from __future__ import annotations

import pytest

from desktop_app.core import wording
from desktop_app.core.errors import UserError
from desktop_app.core.models import AgentProfile, EvaluationStage, EvaluationTemplate, Participant
from desktop_app.core.question_bank import load_bank
from desktop_app.core.validation import parse_model
from desktop_app.engines.base import AudioUnavailable
from desktop_app.interview import events as ev

RUBRIC = [{"name": "Communication", "weight": 100}]


def plain(model, data) -> str:
    with pytest.raises(UserError) as caught:
        parse_model(model, data)
    return caught.value.plain


@pytest.mark.parametrize(("model", "data", "expected"), [
    (AgentProfile, {"name": "", "rubric": RUBRIC}, "Give the interviewer a name."),
    (EvaluationTemplate, {"name": ""}, "Give the template a name."),
    (EvaluationStage, {"name": "", "template": "t", "agent_profile": "p"}, "Give the stage a name."),
    (EvaluationStage, {"name": "Screen", "template": "t", "agent_profile": ""}, "Choose the interviewer for this stage."),
    (Participant, {"name": "", "template": "t", "email": "a@example.org"}, "Give the participant a name."),
    (Participant, {"name": "Ada", "template": "", "email": "a@example.org"},
     "Choose the template this participant belongs to."),
    (AgentProfile, {"name": "X", "rubric": [{"name": "", "weight": 100}]}, "Give rubric dimension 1 a name."),
    (AgentProfile, {"name": "X", "rubric": []}, "Add at least one rubric dimension."),
    (AgentProfile, {"name": "X", "rubric": [{"name": "A", "weight": 90}]},
     "The rubric weights add up to 90; they must add up to 100."),
    (EvaluationTemplate, {"name": "T", "duration_minutes": 0}, "The length in minutes must be at least 1."),
])
def test_validation_problems_are_sentences(model, data, expected):
    assert plain(model, data) == expected


def test_the_command_line_keeps_the_field_and_rule():
    with pytest.raises(UserError) as caught:
        parse_model(AgentProfile, {"name": "", "rubric": RUBRIC}, source="people.yaml")
    assert str(caught.value) == "people.yaml: name: string should have at least 1 character"
    assert wording.error_text(caught.value) == "people.yaml: Give the interviewer a name."


def test_errors_lose_class_names_flags_and_repetition():
    no_mic = AudioUnavailable("no audio input device found; text mode still works: use --text")
    text = wording.error_text(no_mic)
    assert text == "No audio input device found."
    assert wording.error_text(ValueError("bad value")) == "Something unexpected went wrong (bad value)."
    refused = UserError("already has session s1 open at this stage", field="participant")
    assert wording.error_text(refused) == "The participant already has session s1 open at this stage."
    for shown in (text, wording.NO_MICROPHONE, wording.error_text(ValueError("x"))):
        assert not wording.FORBIDDEN_ON_SCREEN.search(shown), shown
    assert wording.NO_MICROPHONE.count("type") == 1


def test_the_operator_log_numbers_questions_as_the_candidate_sees_them():
    sid = "s1"
    started = ev.QuestionStarted(session_id=sid, question_id="q3", text="Tell me about a team.",
                                 turn_kind="question", index=3, total=5)
    assert wording.log_line(started) == "Question 3 of 5: Tell me about a team."
    answer = ev.AnswerFinal(session_id=sid, question_id="q3", text="We shipped it early.", turn_index=6)
    assert wording.log_line(answer, question=3) == "Answer to question 3 saved (4 words)"
    follow = ev.QuestionStarted(session_id=sid, question_id="q3f", text="What did you measure?",
                                turn_kind="follow_up", index=3, total=5)
    assert wording.log_line(follow).startswith("Further question on question 3")
    assert wording.log_line(ev.Thinking(session_id=sid, question_id="q3", what="follow_up")) == \
        "The interviewer is preparing a further question"


def every_event() -> list[ev.Event]:
    sid = "s1"
    return [
        ev.QuestionStarted(session_id=sid, question_id="q1", text="Hello?", turn_kind="question", index=1, total=2),
        ev.QuestionStarted(session_id=sid, question_id="q1", text="Note", turn_kind="note", index=1, total=2),
        ev.QuestionStarted(session_id=sid, question_id="q1", text="Line", turn_kind="roleplay", index=1, total=2),
        ev.Listening(session_id=sid, question_id="q1", input="text"),
        ev.Listening(session_id=sid, question_id="q1", input="voice"),
        ev.AnswerFinal(session_id=sid, question_id="q1", text="An answer", turn_index=6, latency_s=1.5, pasted=True),
        *[ev.Thinking(session_id=sid, question_id="q1", what=w) for w in ("follow_up", "character_line",
                                                                          "feedback", "draft")],
        ev.Speaking(session_id=sid, text="Hi", turn_kind="follow_up"),
        ev.Paused(session_id=sid), ev.Resumed(session_id=sid), ev.TimeWarning(session_id=sid, remaining_s=60),
        *[ev.Finished(session_id=sid, status=s, reason=r, answers=2) for s, r in (
            ("completed", "completed"), ("in_progress", "stopped"), ("completed", "ended_early"),
            ("completed", "time_up"), ("failed", "failed"))],
        ev.Error(session_id=sid, code="audio-device", fatal=True,
                 message="AudioUnavailable: no audio input device found; text mode still works: use --text"),
    ]


def test_no_screen_text_carries_developer_terms():
    shown = [wording.log_line(event, question=1) for event in every_event()]
    shown += [wording.NO_MICROPHONE, wording.NO_SPEAKER, wording.NO_AUDIO_DEVICES, wording.REPEAT_BUTTON, wording.REPEAT_TIP,
              wording.TEXT_RETRY_INSTRUCTION, wording.counts_summary({"profiles": 3, "templates": 3, "stages": 5})]
    shown += [wording.needs_first(action, missing) for action, missing in (
        ("template", "profile"), ("stage", "profile"), ("stage", "template"), ("participant", "template"),
        ("schedule", "stage"))]
    shown += list(load_bank().instructions.values())  # said to the candidate at the start
    for text in shown:
        found = wording.FORBIDDEN_ON_SCREEN.search(text)
        assert found is None, f"{text!r} shows {found.group(0)!r}"


def test_the_forbidden_terms_are_caught():
    for bad in ("Name: string should have at least 1 character", "AudioUnavailable: no device", "use --text",
                "Type /repeat to see it", "turn 6", "Model drafting: follow up", "KeyError: 'x'", "no_hire"):
        assert wording.FORBIDDEN_ON_SCREEN.search(bad), bad


def test_what_the_example_set_added():
    assert wording.counts_summary({"profiles": 3, "templates": 3, "stages": 5, "participants": 4}) == \
        "Added 3 interviewers, 3 templates with 5 stages, 4 participants"
    assert wording.counts_summary({"profiles": 1, "templates": 1, "stages": 1}) == \
        "Added 1 interviewer, 1 template with 1 stage"
