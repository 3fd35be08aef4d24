"""What the runner reports through its one callback: typed, frozen events."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from desktop_app.core.transcript import TurnKind


class EventKind(StrEnum):
    """Every kind of event a run reports."""

    QUESTION_STARTED = "question_started"  # a question, follow-up, roleplay line or note prompt begins
    LISTENING = "listening"  # the runner waits for the candidate's answer (mic open or text expected)
    PARTIAL_TRANSCRIPT = "partial_transcript"
    ANSWER_FINAL = "answer_final"  # an answer (or note) ended and was committed
    THINKING = "thinking"  # the model is drafting a follow-up or line
    SPEAKING = "speaking"  # the interviewer says (or shows) a sentence
    PAUSED = "paused"
    RESUMED = "resumed"
    TIME_WARNING = "time_warning"
    FINISHED = "finished"
    ERROR = "error"


class ListenInput(StrEnum):
    """How the runner takes what it waits for (`Listening.input`)."""

    VOICE = "voice"  # a spoken answer: the microphone is open
    TEXT = "text"  # a typed answer
    NOTE = "note"  # manual review: the operator's typed note
    CONFIRM = "confirm"  # practice/async with confirm_answers: submit or retry the answer just given


@dataclass(frozen=True, kw_only=True)
class Event:
    """Common fields: the session, seconds since the session started, and a monotonic timestamp."""

    kind: ClassVar[EventKind]
    session_id: str
    t: float = 0.0
    at: float = field(default_factory=time.monotonic)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the kind first."""
        return {"kind": str(self.kind), **asdict(self)}


@dataclass(frozen=True, kw_only=True)
class QuestionStarted(Event):
    """A planned question, follow-up or roleplay line starts; `index` counts core questions from 1."""

    kind: ClassVar[EventKind] = EventKind.QUESTION_STARTED
    question_id: str
    text: str
    turn_kind: TurnKind  # question | follow_up | roleplay | note
    index: int
    total: int
    attempt: int = 1


@dataclass(frozen=True, kw_only=True)
class Listening(Event):
    """The runner now takes the answer to `question_id`."""

    kind: ClassVar[EventKind] = EventKind.LISTENING
    question_id: str
    input: ListenInput


@dataclass(frozen=True, kw_only=True)
class PartialTranscript(Event):
    """Recognised text of the answer so far (finished speech segments)."""

    kind: ClassVar[EventKind] = EventKind.PARTIAL_TRANSCRIPT
    question_id: str
    text: str


@dataclass(frozen=True, kw_only=True)
class AnswerFinal(Event):
    """The answer as committed, with the turn index and measurements."""

    kind: ClassVar[EventKind] = EventKind.ANSWER_FINAL
    question_id: str
    text: str
    turn_index: int
    speaker: str = "candidate"
    latency_s: float | None = None
    pasted: bool = False
    audio_path: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Thinking(Event):
    """The model is working on what to say next."""

    kind: ClassVar[EventKind] = EventKind.THINKING
    question_id: str
    what: str  # follow_up | character_line | feedback


@dataclass(frozen=True, kw_only=True)
class Speaking(Event):
    """A sentence the interviewer says (voice) or shows (text), as it starts."""

    kind: ClassVar[EventKind] = EventKind.SPEAKING
    text: str
    turn_kind: TurnKind  # any the interviewer says: intro, question, ..., acknowledgement, closing
    question_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Paused(Event):
    """The interview is paused (the clock stops)."""

    kind: ClassVar[EventKind] = EventKind.PAUSED


@dataclass(frozen=True, kw_only=True)
class Resumed(Event):
    """The interview goes on."""

    kind: ClassVar[EventKind] = EventKind.RESUMED


@dataclass(frozen=True, kw_only=True)
class TimeWarning(Event):
    """Little time is left; no new questions start once it is zero."""

    kind: ClassVar[EventKind] = EventKind.TIME_WARNING
    remaining_s: float


@dataclass(frozen=True, kw_only=True)
class Finished(Event):
    """The run is over: `status` is the session's status now (in_progress when stopped to resume later)."""

    kind: ClassVar[EventKind] = EventKind.FINISHED
    status: str
    reason: str  # completed | time_up | ended_early | stopped | input_ended | failed
    answers: int = 0


@dataclass(frozen=True, kw_only=True)
class Error(Event):
    """Something went wrong; `fatal` errors end the run (the session stays resumable)."""

    kind: ClassVar[EventKind] = EventKind.ERROR
    code: str  # e.g. asr-failed, tts-failed, llm-failed, audio-device, store-failed
    message: str
    fatal: bool = False


EventCallback = Callable[[Event], None]
