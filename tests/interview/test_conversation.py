"""Every inbox message through a real Conversation on a real session: what it does to the answer being taken.

Messages are put in the inbox before the answer is taken, as producers would have put them (the inbox is a
queue, so this is deterministic). Voice messages go to a real, unstarted Listener: its threads would post them.
"""

from __future__ import annotations

import queue
import time

import pytest

from desktop_app.core.plan import build_plan
from desktop_app.core.question_bank import load_bank
from desktop_app.core.transcript import TurnKind
from desktop_app.core.turn_taking import EndReason, TurnConfig
from desktop_app.interview import events as ev
from desktop_app.interview.answers import Answer, Control, EndInterview, Stop
from desktop_app.interview.conversation import Conversation, SessionClock
from desktop_app.interview.events import ListenInput
from desktop_app.interview.listener import Listener
from desktop_app.interview.messages import (
    Command,
    CommandName,
    HeardAnswer,
    InputClosed,
    PushToTalk,
    Typed,
    VoiceEnded,
    VoiceError,
    VoiceErrorCode,
    VoiceFinal,
    VoicePartial,
    VoicePaused,
    VoiceResumed,
    VoiceStarted,
)
from desktop_app.interview.options import RunnerOptions
from desktop_app.interview.speech import SpeechOutput
from desktop_app.store import sessions
from desktop_app.store.db import Store

ARM = 1  # the first answer an unstarted listener arms


class PushToTalkListener(Listener):
    """The real listener, unstarted (no microphone); it records push-to-talk presses it is handed."""

    def __init__(self, post) -> None:
        super().__init__(None, None, post, turn=TurnConfig(), vad_factory=lambda: None)  # type: ignore[arg-type]
        self.presses: list[bool] = []

    def push_to_talk(self, pressed: bool) -> None:
        self.presses.append(pressed)
        super().push_to_talk(pressed)


@pytest.fixture
def setup(interview_data):
    """(make(voice=False) -> Conversation, events, inbox, store) on a scheduled async session."""
    paths, schedule = interview_data
    sid = schedule("async_interview")
    store = Store.open(paths)
    record, ctx = sessions.get_session(store, sid), sessions.load_context(store, sid)
    plan = build_plan(ctx.template, ctx.stage, ctx.profile, ctx.participant, stage_id=ctx.stage_id, mode=record.mode)
    speech = SpeechOutput(None, None, lambda utt, sentence: None)  # text only: no synthesizer, no speaker
    speech.start()
    events: list[ev.Event] = []
    inbox: queue.Queue = queue.Queue()

    def make(*, voice: bool = False) -> Conversation:
        listener = PushToTalkListener(inbox.put) if voice else None
        return Conversation(store=store, session_id=sid, plan=plan, bank=load_bank(),
                            options=RunnerOptions(text_input=not voice, use_llm=False), emit=events.append,
                            inbox=inbox, speech=speech, listener=listener, llm=None,
                            audio_dir=paths.session_audio(sid), data_root=paths.root, clock=SessionClock(0.0),
                            turn_count=0)

    yield make, events, inbox, store
    speech.shutdown()
    store.close()


def _typed(text: str) -> Typed:
    return Typed(text, time.monotonic())


def _heard(text: str, reason: str = "silence") -> HeardAnswer:
    return HeardAnswer(ARM, "q1", text, reason, 0.4, 3.0, 1.0, time.monotonic())


def _kinds(events) -> list[type]:
    return [type(e) for e in events]


# ------------------------------------------------------------ typed input


def test_typed_text_is_the_answer(setup):
    make, events, inbox, store = setup
    conv = make()
    inbox.put(Typed("I built a Python tool.", time.monotonic() + 2.0, pasted=False))
    answer = conv.take_answer("q1", "Tell me about Python.", draft_for=None)
    assert isinstance(answer, Answer) and answer.text == "I built a Python tool."
    assert answer.turn.kind == TurnKind.ANSWER and answer.meta["input"] == "typed" and not answer.meta["pasted"]
    listening = [e for e in events if isinstance(e, ev.Listening)]
    assert [e.input for e in listening] == [ListenInput.TEXT]
    assert isinstance(events[-1], ev.AnswerFinal) and events[-1].text == "I built a Python tool."
    assert [t.kind for t in sessions.list_turns(store, conv.session_id)] == ["answer"]


@pytest.mark.parametrize(("message", "control"), [
    (_typed("/repeat"), Control.REPEAT), (_typed(" /Retry"), Control.RETRY), (_typed("/submit"), Control.SUBMIT),
    (_typed("Could you repeat the question?"), Control.REPEAT), (_typed("Let me try that again."), Control.RETRY),
    (Command(CommandName.REPEAT), Control.REPEAT), (Command(CommandName.RETRY), Control.RETRY),
    (Command(CommandName.SUBMIT), Control.SUBMIT),
])
def test_requests_come_back_as_controls(setup, message, control):
    make, _, inbox, store = setup
    conv = make()
    inbox.put(message)
    assert conv.take_answer("q1", "Tell me about Python.", draft_for=None) == control
    assert sessions.list_turns(store, conv.session_id) == []  # a request is not an answer


@pytest.mark.parametrize("pause, resume", [
    (Command(CommandName.PAUSE), Command(CommandName.RESUME)), (_typed("/pause"), _typed(" /RESUME ")),
])
def test_pause_and_resume_then_the_answer(setup, pause, resume):
    make, events, inbox, _ = setup
    conv = make()
    for msg in (pause, pause, resume, _typed("After the break.")):  # a second pause changes nothing
        inbox.put(msg)
    answer = conv.take_answer("q1", "Tell me about Python.", draft_for=None)
    assert isinstance(answer, Answer) and answer.text == "After the break."
    assert _kinds(events).count(ev.Paused) == 1 and _kinds(events).count(ev.Resumed) == 1
    assert not conv.paused


@pytest.mark.parametrize("message, raised, reason", [
    (Command(CommandName.STOP), Stop, "stopped"), (_typed("/stop"), Stop, "stopped"),
    (Command(CommandName.END), EndInterview, "ended_early"), (_typed("/end"), EndInterview, "ended_early"),
    (InputClosed(), Stop, "input_ended"),
])
def test_stop_end_and_end_of_input_leave_the_answer(setup, message, raised, reason):
    make, _, inbox, store = setup
    conv = make()
    inbox.put(message)
    with pytest.raises(raised) as exc:
        conv.take_answer("q1", "Tell me about Python.", draft_for=None)
    assert exc.value.reason == reason
    assert conv.input_closed is isinstance(message, InputClosed)
    assert sessions.list_turns(store, conv.session_id) == []


def test_push_to_talk_without_a_microphone_is_ignored(setup):
    make, _, inbox, _ = setup
    conv = make()
    inbox.put(PushToTalk(True))
    inbox.put(_typed("Typed anyway."))
    assert conv.take_answer("q1", "Tell me about Python.", draft_for=None).text == "Typed anyway."


def test_notes_skip_and_ignore_requests(setup):
    make, events, inbox, _ = setup
    conv = make()
    for text in ("/repeat", "  Good on Python.  ", "/skip"):
        inbox.put(_typed(text))
    assert conv.take_note("q1") == "Good on Python."
    assert conv.take_note("q2") is None
    assert {e.input for e in events if isinstance(e, ev.Listening)} == {ListenInput.NOTE}
    inbox.put(InputClosed())
    with pytest.raises(Stop):
        conv.take_note("q3")


# ------------------------------------------------------------ voice input


def test_a_spoken_answer_from_start_to_final(setup):
    make, events, inbox, store = setup
    conv = make(voice=True)
    ended: list[bool] = []
    for msg in (VoiceStarted(ARM, 0.4), VoicePartial(ARM, "I built"), VoicePaused(ARM, 1.2),
                VoiceResumed(ARM, 1.5), VoicePartial(ARM, "I built a tool"), VoiceEnded(ARM, EndReason.SILENCE),
                VoiceFinal(ARM, _heard("I built a tool."))):
        inbox.put(msg)
    answer = conv.take_answer("q1", "Tell me about Python.", draft_for=None, on_end=lambda: ended.append(True))
    assert isinstance(answer, Answer) and answer.text == "I built a tool." and answer.meta["input"] == "voice"
    assert ended == [True]  # the acknowledgement starts when the turn ends
    assert [e.text for e in events if isinstance(e, ev.PartialTranscript)] == ["I built", "I built a tool"]
    assert [e.input for e in events if isinstance(e, ev.Listening)] == [ListenInput.VOICE]
    assert [t.kind for t in sessions.list_turns(store, conv.session_id)] == ["answer"]


def test_messages_of_another_answer_are_ignored(setup):
    make, events, inbox, _ = setup
    conv = make(voice=True)
    for msg in (VoicePartial(ARM + 5, "old words"), VoiceFinal(ARM + 5, _heard("An old answer.")),
                VoiceEnded(ARM, EndReason.NO_SPEECH), VoiceFinal(ARM, _heard("The answer."))):
        inbox.put(msg)
    ended: list[bool] = []
    answer = conv.take_answer("q1", "Tell me about Python.", draft_for=None, on_end=lambda: ended.append(True))
    assert answer.text == "The answer."
    assert not any(isinstance(e, ev.PartialTranscript) for e in events)
    assert ended == []  # nobody spoke: no acknowledgement


def test_a_recognition_error_is_reported_and_the_answer_still_taken(setup):
    make, events, inbox, _ = setup
    conv = make(voice=True)
    inbox.put(VoiceError(ARM, VoiceErrorCode.RECOGNITION, "speech recognition failed: the microphone model broke"))
    inbox.put(VoiceFinal(ARM, _heard("")))
    answer = conv.take_answer("q1", "Tell me about Python.", draft_for=None)
    assert answer.meta["unrecognised"]  # the audio is kept with empty text
    errors = [e for e in events if isinstance(e, ev.Error)]
    assert [(e.code, e.fatal) for e in errors] == [("asr-failed", False)]


def test_a_microphone_error_stops_the_run(setup):
    make, events, inbox, _ = setup
    conv = make(voice=True)
    inbox.put(VoiceError(None, VoiceErrorCode.MICROPHONE, "microphone failed: no audio"))
    with pytest.raises(Stop) as exc:
        conv.take_answer("q1", "Tell me about Python.", draft_for=None)
    assert exc.value.reason == "failed"
    errors = [e for e in events if isinstance(e, ev.Error)]
    assert [(e.code, e.fatal, e.message) for e in errors] == [("audio-device", True, "microphone failed: no audio")]


def test_typing_during_a_spoken_answer_takes_the_typed_answer(setup):
    make, events, inbox, _ = setup
    conv = make(voice=True)
    inbox.put(VoiceStarted(ARM, 0.2))
    inbox.put(_typed("My microphone is broken, so I type."))
    answer = conv.take_answer("q1", "Tell me about Python.", draft_for=None)
    assert answer.text == "My microphone is broken, so I type." and answer.meta["input"] == "typed"
    assert [e.input for e in events if isinstance(e, ev.Listening)] == [ListenInput.VOICE, ListenInput.TEXT]


def test_spoken_requests_and_push_to_talk(setup):
    make, _, inbox, store = setup
    conv = make(voice=True)
    inbox.put(PushToTalk(True))
    inbox.put(Command(CommandName.SUBMIT))  # nothing to submit while listening: ignored
    inbox.put(Command(CommandName.REPEAT))
    assert conv.take_answer("q1", "Tell me about Python.", draft_for=None) == Control.REPEAT
    assert conv.listener.presses == [True]
    inbox.put(VoiceFinal(ARM + 1, _heard("Could you say that again?")))
    assert conv.take_answer("q1", "Tell me about Python.", draft_for=None) == Control.REPEAT
    turns = sessions.list_turns(store, conv.session_id)
    assert [(t.speaker, t.kind) for t in turns] == [("system", "request")]


def test_silence_prompts_once_then_commits_no_answer(setup):
    make, _, inbox, store = setup
    conv = make(voice=True)
    inbox.put(VoiceFinal(ARM, _heard("", reason="no_speech")))
    inbox.put(VoiceFinal(ARM + 1, _heard("", reason="no_speech")))
    answer = conv.take_answer("q1", "Tell me about Python.", draft_for=None)
    assert answer.meta["no_answer"]
    assert [t.kind for t in sessions.list_turns(store, conv.session_id)] == ["prompt", "answer"]
