"""How a run behaves: input and output, turn timing, model limits; one frozen value passed to the runner."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.core.turn_taking import TurnConfig


@dataclass(frozen=True)
class RunnerOptions:
    """Run settings. Text input needs no audio engines; `speak` adds the voice to a text run."""

    text_input: bool = False  # answers are typed (submit_text) instead of spoken
    speak: bool = True  # synthesize and play the interviewer (ignored without a synthesizer/output)
    barge_in: bool = False  # candidate speech interrupts the interviewer (no echo cancellation: off)
    turn: TurnConfig = field(default_factory=lambda: TurnConfig(no_speech_timeout_s=30.0))
    segment_pause_s: float = 0.35  # a pause this long ends a speech segment, which is recognised at once
    vad: str | None = None  # "silero" | "webrtc" | None (the measured default)
    max_tokens: int = 40  # per follow-up or character line
    llm_timeout_s: float = 4.0  # after this, the bank answers instead of the model (the candidate is waiting)
    use_llm: bool = True  # False: follow-ups and lines come from the bank only
    seed: int | None = None  # None: the plan's seed (derived from the stage id)
    time_warning_s: float = 120.0
    confirm_answers: bool = False  # practice/async: wait for submit() or retry() after each answer (GUI)
    paste_chars_per_s: float = 15.0  # typed faster than this (40+ chars) is flagged as pasted
    prepare_speech: str = "idle"  # "idle": synthesize fixed phrases while nothing is said; "before": all first
    operator: str = "runner"
