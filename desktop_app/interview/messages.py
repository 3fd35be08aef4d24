"""What reaches the runner's inbox: small frozen messages, one class per kind, read with `match`.

Producers: `InterviewRunner` (typed text, commands, push-to-talk, end of input, from any thread) and the
`Listener` (what the candidate's voice did, tagged with the id of the answer it belongs to). The one consumer
is the `Conversation` on the runner's thread, which handles commands itself and hands the rest to the flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop_app.core.turn_taking import EndReason
from desktop_app.interview.recorder import Recording


class CommandName(StrEnum):
    """What the GUI's buttons (or a typed /command) ask of the run."""

    PAUSE = "pause"
    RESUME = "resume"
    REPEAT = "repeat"
    RETRY = "retry"
    SUBMIT = "submit"
    END = "end"
    STOP = "stop"


class VoiceErrorCode(StrEnum):
    """What failed while listening, set by the stage that saw it; the values are the runner's error codes."""

    MICROPHONE = "audio-device"  # the device failed or sent no audio: the turn can never end
    RECOGNITION = "asr-failed"  # the recognizer failed: the audio is on disk, the answer is kept with what was heard

    @property
    def fatal(self) -> bool:
        """True when the run cannot go on (it stops, resumable)."""
        return self is VoiceErrorCode.MICROPHONE


@dataclass
class HeardAnswer:
    """A spoken answer: text, why it ended, timings (seconds since listening began; monotonic `*_at`).

    Built by the listener in two steps (the turn ends, then recognition finishes); posted in a VoiceFinal.
    """

    arm_id: int
    question_id: str
    text: str
    reason: str
    speech_start_s: float | None
    turn_end_s: float
    silence_s: float
    turn_end_at: float
    final_at: float = 0.0
    final_asr_s: float = 0.0
    words: list[dict[str, float]] = field(default_factory=list)
    level: dict[str, Any] = field(default_factory=dict)
    recording: Recording | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def speech_end_at(self) -> float:
        """Monotonic estimate of when the candidate stopped speaking."""
        return self.turn_end_at - self.silence_s


# ------------------------------------------------------------ from the runner's control API


@dataclass(frozen=True, slots=True)
class Typed:
    """Text typed by the candidate (an answer, a request in words, or a /command).

    `pasted` comes from the GUI's paste event (None: guess from the typing speed); `received_at` and
    `typing_started_at` are time.monotonic() values (the latter from the first keystroke, when known).
    """

    text: str
    received_at: float
    pasted: bool | None = None
    typing_started_at: float | None = None

    @property
    def word(self) -> str:
        """The text as a command word: stripped and lower-case (e.g. "/repeat")."""
        return self.text.strip().lower()


@dataclass(frozen=True, slots=True)
class Command:
    """A button or typed command: pause, resume, repeat, retry, submit, end, stop."""

    name: CommandName


@dataclass(frozen=True, slots=True)
class PushToTalk:
    """The push-to-talk button went down (pressed) or up."""

    pressed: bool


@dataclass(frozen=True, slots=True)
class InputClosed:
    """No more typed input will come (end of file on the command line)."""


# ------------------------------------------------------------ from the listener


@dataclass(frozen=True, slots=True)
class VoiceMessage:
    """Something the candidate's voice did; `arm_id` names the answer it belongs to (None: any)."""

    arm_id: int | None


@dataclass(frozen=True, slots=True)
class VoiceStarted(VoiceMessage):
    """Speech began, `at_s` seconds after listening began."""

    at_s: float


@dataclass(frozen=True, slots=True)
class VoicePaused(VoiceMessage):
    """A pause long enough that the candidate may be done (a follow-up can be drafted)."""

    at_s: float


@dataclass(frozen=True, slots=True)
class VoiceResumed(VoiceMessage):
    """Speech went on after a pause."""

    at_s: float


@dataclass(frozen=True, slots=True)
class VoiceEnded(VoiceMessage):
    """The turn ended (posted before the last words are recognised, so an acknowledgement can start)."""

    reason: EndReason

    @property
    def spoke(self) -> bool:
        """False when nobody spoke before the no-speech timeout."""
        return self.reason != EndReason.NO_SPEECH


@dataclass(frozen=True, slots=True)
class VoicePartial(VoiceMessage):
    """Recognised text of the answer so far."""

    text: str


@dataclass(frozen=True, slots=True)
class VoiceFinal(VoiceMessage):
    """The answer, recognised: its text, timings, level and recording."""

    answer: HeardAnswer


@dataclass(frozen=True, slots=True)
class VoiceError(VoiceMessage):
    """Listening failed; `code` says what failed, `message` is the one-line detail."""

    code: VoiceErrorCode
    message: str

    @property
    def fatal(self) -> bool:
        """True when the run cannot go on."""
        return self.code.fatal


InboxMessage = (Typed | Command | PushToTalk | InputClosed | VoiceStarted | VoicePaused | VoiceResumed | VoiceEnded
                | VoicePartial | VoiceFinal | VoiceError)
"""Every message a producer may put in the runner's inbox."""
