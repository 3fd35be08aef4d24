"""End-of-turn detection: a pure state machine fed (duration_s, is_speech) frames."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class TurnEvent(StrEnum):
    """What one frame meant for the candidate's turn."""

    WAITING = "waiting"  # no speech yet
    SPEECH_STARTED = "speech_started"
    SPEECH_CONTINUES = "speech_continues"
    PAUSE = "pause"  # silence inside the answer: probably thinking
    SPEECH_RESUMED = "speech_resumed"  # speech after a pause: drop any drafted follow-up
    TURN_ENDED = "turn_ended"


class EndReason(StrEnum):
    """Why a turn ended."""

    SILENCE = "silence"  # end-of-turn silence after at least the minimum answer length
    MAX_LENGTH = "max_length"
    RELEASED = "released"  # push-to-talk button released
    NO_SPEECH = "no_speech"  # nobody spoke within no_speech_timeout_s


@dataclass(frozen=True)
class TurnConfig:
    """Timing rules for one answer; defaults are patient because candidates pause to think."""

    end_of_turn_silence_s: float = 1.2
    min_answer_s: float = 1.0  # silence before this much answer time never ends the turn
    max_answer_s: float = 180.0
    speech_start_s: float = 0.09  # continuous speech needed to start or resume (ignores clicks)
    pre_roll_s: float = 0.3  # audio kept from before speech was confirmed, so the first syllable survives
    no_speech_timeout_s: float | None = None
    push_to_talk: bool = False

    def __post_init__(self) -> None:
        for name in ("end_of_turn_silence_s", "min_answer_s", "max_answer_s", "speech_start_s", "pre_roll_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}: must be >= 0")
        if self.max_answer_s <= self.min_answer_s:
            raise ValueError("max_answer_s: must be greater than min_answer_s")
        if self.no_speech_timeout_s is not None and self.no_speech_timeout_s <= 0:
            raise ValueError("no_speech_timeout_s: must be > 0 or None")

    @property
    def pre_roll_total_s(self) -> float:
        """Seconds of audio to keep before the frame that confirms speech (pre-roll plus debounce)."""
        return self.pre_roll_s + self.speech_start_s

    def pre_roll_frames(self, frame_s: float) -> int:
        """How many frames of `frame_s` seconds a pre-roll buffer must hold."""
        if frame_s <= 0:
            raise ValueError("frame_s: must be > 0")
        return max(1, math.ceil(round(self.pre_roll_total_s / frame_s, 6)))


@dataclass(frozen=True)
class TurnUpdate:
    """The result of one frame: the event, timings, and which frames belong to the answer."""

    event: TurnEvent
    time_s: float  # stream time at the end of the frame
    answer_s: float = 0.0  # time since speech started (0 before)
    silence_s: float = 0.0  # trailing time without confirmed speech
    reason: EndReason | None = None
    frames: tuple[Any, ...] = ()  # payloads to append to the answer (pre-roll included on start)

    @property
    def ended(self) -> bool:
        """True when the turn is over."""
        return self.event is TurnEvent.TURN_ENDED


class PreRollBuffer(Generic[T]):
    """Keeps the most recent frames covering at least `seconds` of audio."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._items: deque[tuple[float, T]] = deque()
        self._total_s = 0.0

    def push(self, duration_s: float, item: T) -> None:
        """Adds a frame, dropping the oldest ones no longer needed."""
        self._items.append((duration_s, item))
        self._total_s += duration_s
        while self._items and self._total_s - self._items[0][0] >= self.seconds - 1e-9:
            if len(self._items) == 1:
                break
            old, _ = self._items.popleft()
            self._total_s -= old

    def drain(self) -> tuple[T, ...]:
        """Returns the buffered frames, oldest first, and empties the buffer."""
        items = tuple(item for _, item in self._items)
        self._items.clear()
        self._total_s = 0.0
        return items

    @property
    def duration_s(self) -> float:
        """Seconds currently buffered."""
        return self._total_s

    def __len__(self) -> int:
        return len(self._items)


class TurnDetector:
    """Decides when the candidate has finished answering; one instance per turn (or reset())."""

    def __init__(self, config: TurnConfig | None = None) -> None:
        self.config = config or TurnConfig()
        self.reset()

    def reset(self) -> None:
        """Starts a new turn."""
        self._time_s = 0.0
        self._started_at: float | None = None
        self._speech_run_s = 0.0
        self._silence_s = 0.0
        self._paused = False
        self._pressed = False
        self._ended: TurnUpdate | None = None
        self._pre_roll: PreRollBuffer[Any] = PreRollBuffer(self.config.pre_roll_total_s)

    @property
    def ended(self) -> TurnUpdate | None:
        """The TURN_ENDED update once the turn is over, else None."""
        return self._ended

    @property
    def speaking(self) -> bool:
        """True once speech has started (or the push-to-talk button is down)."""
        return self._started_at is not None

    def press(self) -> TurnUpdate:
        """Push-to-talk: button down; everything from now on is the answer."""
        if self._ended:
            return self._after_end()
        self._pressed = True
        if self._started_at is None:
            self._started_at = self._time_s
            return TurnUpdate(TurnEvent.SPEECH_STARTED, self._time_s, frames=self._pre_roll.drain())
        return self._update(TurnEvent.SPEECH_CONTINUES)

    def release(self) -> TurnUpdate:
        """Push-to-talk: button up ends the turn."""
        if self._ended:
            return self._after_end()
        self._pressed = False
        return self._end(EndReason.RELEASED)

    def process(self, duration_s: float, is_speech: bool, payload: Any = None) -> TurnUpdate:
        """Feeds one frame; `payload` (e.g. the audio) comes back in `frames` if it belongs to the answer."""
        if duration_s < 0:
            raise ValueError("duration_s: must be >= 0")
        if self._ended:
            return self._after_end()
        self._time_s += duration_s
        cfg = self.config
        if self._started_at is None:
            return self._before_speech(duration_s, is_speech, payload)

        frames = (payload,) if payload is not None else ()
        if is_speech:
            self._speech_run_s += duration_s
        else:
            self._speech_run_s = 0.0

        event = TurnEvent.SPEECH_CONTINUES
        if self._paused:
            if self._speech_run_s >= cfg.speech_start_s:
                self._paused = False
                self._silence_s = 0.0
                event = TurnEvent.SPEECH_RESUMED
            else:
                self._silence_s += duration_s
                event = TurnEvent.PAUSE
        elif not is_speech:
            self._paused = True
            self._silence_s = duration_s
            event = TurnEvent.PAUSE

        answer_s = self._time_s - self._started_at
        if answer_s >= cfg.max_answer_s:
            return self._end(EndReason.MAX_LENGTH, frames)
        if (
            not cfg.push_to_talk
            and self._paused
            and self._silence_s >= cfg.end_of_turn_silence_s
            and answer_s >= cfg.min_answer_s
        ):
            return self._end(EndReason.SILENCE, frames)
        return self._update(event, frames)

    def _before_speech(self, duration_s: float, is_speech: bool, payload: Any) -> TurnUpdate:
        cfg = self.config
        if payload is not None:
            self._pre_roll.push(duration_s, payload)
        if cfg.push_to_talk:
            # Speech does not start the turn in push-to-talk mode; only press() does.
            return self._waiting_or_timeout()
        self._speech_run_s = self._speech_run_s + duration_s if is_speech else 0.0
        if self._speech_run_s >= cfg.speech_start_s and is_speech:
            # Speech began when the confirming run began, not at this frame.
            self._started_at = self._time_s - self._speech_run_s
            return TurnUpdate(
                TurnEvent.SPEECH_STARTED,
                self._time_s,
                answer_s=self._speech_run_s,
                frames=self._pre_roll.drain(),
            )
        return self._waiting_or_timeout()

    def _after_end(self) -> TurnUpdate:
        # Repeated calls after the end must not hand the same frames out twice.
        assert self._ended is not None
        return replace(self._ended, frames=())

    def _waiting_or_timeout(self) -> TurnUpdate:
        timeout = self.config.no_speech_timeout_s
        if timeout is not None and self._time_s >= timeout and not self._pressed:
            return self._end(EndReason.NO_SPEECH)
        return TurnUpdate(TurnEvent.WAITING, self._time_s, silence_s=self._time_s)

    def _update(self, event: TurnEvent, frames: tuple[Any, ...] = ()) -> TurnUpdate:
        answer_s = 0.0 if self._started_at is None else self._time_s - self._started_at
        silence_s = self._silence_s if self._paused else 0.0
        return TurnUpdate(event, self._time_s, answer_s=answer_s, silence_s=silence_s, frames=frames)

    def _end(self, reason: EndReason, frames: tuple[Any, ...] = ()) -> TurnUpdate:
        answer_s = 0.0 if self._started_at is None else self._time_s - self._started_at
        silence_s = self._silence_s if self._paused else 0.0
        self._ended = TurnUpdate(
            TurnEvent.TURN_ENDED, self._time_s, answer_s=answer_s, silence_s=silence_s, reason=reason, frames=frames
        )
        return self._ended
