"""Authenticity signals: measured facts with numbers for a human to weigh, never verdicts or emotions.

Reads what the runner stores in turn meta: `latency_s` (question end to first speech or
keystroke), `words` (word timings [{start, end}] or [start, end] pairs), `pasted` (bool),
`typing_s` (seconds spent typing), `level` ({mean_dbfs, dropouts, clipped} or a dBFS number)
and `second_voice` (bool or 0..1). Anything absent is reported as "not measured".
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.scoring_rules import Answer, words

LONG_START_S = 10.0  # a start this slow is worth pointing out
REGULAR_CV = 0.08  # speech-rate variation below this across 4+ answers is unusually even
FLUENT_GAP_S = 0.35  # longest pause inside an answer that still counts as fluent delivery
FAST_TYPING_CPS = 12.0  # sustained typing faster than this is rare for composed text
LEVEL_JUMP_DB = 10.0


@dataclass(frozen=True)
class Signal:
    """One fact: what was measured, its value as text, the numbers, and whether it stands out."""

    key: str
    label: str
    value: str
    measured: bool = True
    notable: bool = False
    numbers: dict[str, Any] = field(default_factory=dict)
    answers: tuple[int, ...] = ()  # turn indexes the fact refers to

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "answers": list(self.answers)}


def _not_measured(key: str, label: str) -> Signal:
    return Signal(key, label, "not measured", measured=False)


def _word_times(meta: dict[str, Any]) -> list[tuple[float, float]]:
    raw = meta.get("words") or meta.get("word_timings") or []
    out: list[tuple[float, float]] = []
    for w in raw:
        if isinstance(w, dict) and "start" in w and "end" in w:
            out.append((float(w["start"]), float(w["end"])))
        elif isinstance(w, dict) and "start_s" in w:
            out.append((float(w["start_s"]), float(w["end_s"])))
        elif isinstance(w, (list, tuple)) and len(w) >= 2:
            out.append((float(w[-2]), float(w[-1])))
    return out


def _is_spoken(a: Answer) -> bool:
    return a.meta.get("input", a.meta.get("mode")) not in ("text", "typed") and not a.meta.get("typed")


def _speech_rate(a: Answer) -> float | None:
    """Words per second while speaking, from word timings or the turn's duration."""
    times = _word_times(a.meta)
    n = len(words(a.text))
    if len(times) >= 5:
        span = times[-1][1] - times[0][0]
        return len(times) / span if span > 0 else None
    duration = a.ended_at - a.started_at
    return n / duration if n >= 5 and duration > 0 else None


def _longest_gap(a: Answer) -> float | None:
    times = _word_times(a.meta)
    if len(times) < 5:
        return None
    return max((nxt[0] - cur[1] for cur, nxt in zip(times, times[1:])), default=0.0)


def start_times(answers: Sequence[Answer]) -> Signal:
    """How long the candidate took to start answering."""
    label = "Time to start answering"
    lat = [(a.index, float(a.meta["latency_s"])) for a in answers if isinstance(a.meta.get("latency_s"), (int, float))]
    if not lat:
        return _not_measured("start_time", label)
    values = [v for _, v in lat]
    slow = tuple(i for i, v in lat if v >= LONG_START_S)
    text = f"median {statistics.median(values):.1f} s, longest {max(values):.1f} s; {len(slow)} of {len(lat)} answers started after {LONG_START_S:g} s or more"
    return Signal("start_time", label, text, notable=bool(slow),
                  numbers={"median_s": statistics.median(values), "max_s": max(values), "slow": len(slow), "answers": len(lat)},
                  answers=slow)


def cadence(answers: Sequence[Answer]) -> Signal:
    """How even the speech rate was across spoken answers (reading aloud tends to be very even)."""
    label = "Speech rate across answers"
    rates = [(a.index, r) for a in answers if _is_spoken(a) for r in [_speech_rate(a)] if r]
    if len(rates) < 3:
        return _not_measured("cadence", label)
    values = [r for _, r in rates]
    mean = statistics.fmean(values)
    cv = statistics.pstdev(values) / mean if mean else 0.0
    notable = len(values) >= 4 and cv < REGULAR_CV
    text = f"{mean * 60:.0f} words/min on average, variation {cv * 100:.0f}% across {len(values)} answers"
    if notable:
        text += f" (under {REGULAR_CV * 100:.0f}%: unusually even)"
    return Signal("cadence", label, text, notable=notable,
                  numbers={"words_per_min": round(mean * 60, 1), "variation": round(cv, 3), "answers": len(values)})


def silence_then_fluent(answers: Sequence[Answer]) -> Signal:
    """Answers that began after a long silence and then ran without any pause."""
    label = "Long silence, then fluent delivery"
    checked, hits = 0, []
    for a in answers:
        latency, gap = a.meta.get("latency_s"), _longest_gap(a)
        if not isinstance(latency, (int, float)) or gap is None:
            continue
        checked += 1
        if latency >= LONG_START_S and gap <= FLUENT_GAP_S:
            hits.append(a.index)
    if not checked:
        return _not_measured("silence_then_fluent", label)
    text = f"{len(hits)} of {checked} answers started after {LONG_START_S:g} s or more and had no pause over {FLUENT_GAP_S:g} s"
    return Signal("silence_then_fluent", label, text, notable=bool(hits), numbers={"count": len(hits), "checked": checked},
                  answers=tuple(hits))


def pasted_text(answers: Sequence[Answer]) -> Signal:
    """Typed answers marked as pasted, or typed faster than people usually type."""
    label = "Pasted or very fast typed text"
    typed = [a for a in answers if not _is_spoken(a) or "pasted" in a.meta or "typing_s" in a.meta]
    if not typed:
        return _not_measured("pasted", label)
    pasted, fast = [], []
    for a in typed:
        if a.meta.get("pasted"):
            pasted.append(a.index)
        typing_s = a.meta.get("typing_s")
        if isinstance(typing_s, (int, float)) and typing_s > 0 and len(a.text) / typing_s > FAST_TYPING_CPS:
            fast.append(a.index)
    text = f"{len(pasted)} of {len(typed)} typed answers pasted; {len(fast)} typed faster than {FAST_TYPING_CPS:g} characters/s"
    flagged = tuple(sorted(set(pasted) | set(fast)))
    return Signal("pasted", label, text, notable=bool(flagged),
                  numbers={"pasted": len(pasted), "fast": len(fast), "typed": len(typed)}, answers=flagged)


def audio_level(answers: Sequence[Answer]) -> Signal:
    """Microphone dropouts and answers much louder or quieter than the session's usual level."""
    label = "Microphone dropouts and level changes"
    levels: list[tuple[int, float]] = []
    dropouts = clipped = 0
    seen = False
    for a in answers:
        lv = a.meta.get("level")
        if isinstance(lv, (int, float)):
            levels.append((a.index, float(lv)))
            seen = True
        elif isinstance(lv, dict):
            seen = True
            dropouts += int(lv.get("dropouts", 0) or 0)
            clipped += int(lv.get("clipped", 0) or 0)
            if isinstance(lv.get("mean_dbfs"), (int, float)):
                levels.append((a.index, float(lv["mean_dbfs"])))
    if not seen:
        return _not_measured("audio_level", label)
    median = statistics.median([v for _, v in levels]) if levels else None
    jumps = tuple(i for i, v in levels if median is not None and abs(v - median) >= LEVEL_JUMP_DB)
    text = f"{dropouts} dropouts, {clipped} clipped moments; {len(jumps)} answers {LEVEL_JUMP_DB:g} dB or more off the usual level"
    if median is not None:
        text += f" ({median:.0f} dBFS)"
    return Signal("audio_level", label, text, notable=bool(dropouts or jumps),
                  numbers={"dropouts": dropouts, "clipped": clipped, "level_changes": len(jumps), "median_dbfs": median},
                  answers=jumps)


def second_voice(answers: Sequence[Answer]) -> Signal:
    """Answers in which a second voice was detected, when the audio engine measures it."""
    label = "Second voice"
    measured = [a for a in answers if a.meta.get("second_voice") is not None]
    if not measured:
        return _not_measured("second_voice", label)
    hits = tuple(a.index for a in measured if (v := a.meta["second_voice"]) is True or (
        not isinstance(v, bool) and isinstance(v, (int, float)) and v >= 0.5))
    text = f"detected in {len(hits)} of {len(measured)} answers"
    return Signal("second_voice", label, text, notable=bool(hits), numbers={"count": len(hits), "checked": len(measured)},
                  answers=hits)


def authenticity_signals(answers: Sequence[Answer]) -> list[Signal]:
    """Every signal, in a fixed order; unmeasured ones say so."""
    return [start_times(answers), cadence(answers), silence_then_fluent(answers), pasted_text(answers),
            audio_level(answers), second_voice(answers)]
