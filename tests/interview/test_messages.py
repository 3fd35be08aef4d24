"""The runner's inbox messages: frozen values, error codes set by the producer, one union of every kind."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from desktop_app.core.turn_taking import EndReason
from desktop_app.interview import messages as m


def test_messages_are_frozen_values():
    typed = m.Typed("An answer", received_at=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        typed.text = "another"  # type: ignore[misc]
    assert typed == m.Typed("An answer", 1.0, None, None)
    assert m.Command(m.CommandName.PAUSE) == m.Command(m.CommandName("pause"))
    assert m.InputClosed() == m.InputClosed()
    assert m.VoiceStarted(1, 0.5) != m.VoiceResumed(1, 0.5)  # same fields, different kinds


def test_typed_word_is_the_command_form():
    assert m.Typed("  /Repeat \n", 0.0).word == "/repeat"
    assert m.Typed("Could you repeat that?", 0.0).word == "could you repeat that?"


def test_voice_ended_knows_whether_anyone_spoke():
    assert m.VoiceEnded(1, EndReason.SILENCE).spoke
    assert m.VoiceEnded(1, EndReason.RELEASED).spoke
    assert not m.VoiceEnded(1, EndReason.NO_SPEECH).spoke


def test_voice_error_codes_are_the_runner_error_codes_and_say_what_is_fatal():
    assert {str(c) for c in m.VoiceErrorCode} == {"audio-device", "asr-failed"}
    assert m.VoiceError(None, m.VoiceErrorCode.MICROPHONE, "microphone failed: unplugged").fatal
    # The producer sets the code: a recognizer message that mentions a microphone is still not fatal.
    assert not m.VoiceError(3, m.VoiceErrorCode.RECOGNITION, "speech recognition failed: microphone model").fatal


def test_every_message_class_is_in_the_inbox_union_and_matches_by_class():
    classes = {c for c in vars(m).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
               and c.__module__ == m.__name__ and c not in (m.HeardAnswer, m.VoiceMessage)}
    assert set(typing.get_args(m.InboxMessage)) == classes
    voice = [c for c in classes if issubclass(c, m.VoiceMessage)]
    assert {c.__name__ for c in voice} == {"VoiceStarted", "VoicePaused", "VoiceResumed", "VoiceEnded",
                                           "VoicePartial", "VoiceFinal", "VoiceError"}

    def kind(msg: m.InboxMessage) -> str:
        match msg:
            case m.VoiceMessage(arm_id=None):
                return "voice for any answer"
            case m.VoicePartial(text=text):
                return f"partial {text}"
            case m.Typed(word="/pause"):
                return "typed pause"
            case m.Typed():
                return "typed"
            case m.Command(name=m.CommandName.END):
                return "end"
            case _:
                return "other"

    assert kind(m.VoiceError(None, m.VoiceErrorCode.MICROPHONE, "gone")) == "voice for any answer"
    assert kind(m.VoicePartial(2, "so far")) == "partial so far"
    assert kind(m.Typed(" /PAUSE", 0.0)) == "typed pause"
    assert kind(m.Typed("hello", 0.0)) == "typed"
    assert kind(m.Command(m.CommandName.END)) == "end"
    assert kind(m.PushToTalk(True)) == "other"
