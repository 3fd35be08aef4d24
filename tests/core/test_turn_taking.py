"""End-of-turn state machine on scripted (duration, is_speech) frames: no audio, no models."""

from __future__ import annotations

import pytest

from desktop_app.core.turn_taking import (
    EndReason,
    PreRollBuffer,
    TurnConfig,
    TurnDetector,
    TurnEvent,
)

FRAME = 0.03


def feed(det: TurnDetector, pattern: list[tuple[float, bool]], start_index: int = 0):
    """Feeds (seconds, is_speech) runs as 30 ms frames numbered from start_index; returns updates."""
    updates = []
    i = start_index
    for seconds, speech in pattern:
        for _ in range(round(seconds / FRAME)):
            updates.append(det.process(FRAME, speech, payload=i))
            i += 1
            if det.ended:
                return updates
    return updates


def kept_frames(updates) -> list[int]:
    return [f for u in updates for f in u.frames]


def test_waits_in_silence_then_starts_on_speech():
    det = TurnDetector()
    ups = feed(det, [(1.0, False), (0.3, True)])
    assert all(u.event is TurnEvent.WAITING for u in ups[:33])
    started = [u for u in ups if u.event is TurnEvent.SPEECH_STARTED]
    assert len(started) == 1
    assert ups[-1].event is TurnEvent.SPEECH_CONTINUES


def test_pre_roll_keeps_first_syllable_and_frames_are_contiguous():
    cfg = TurnConfig(pre_roll_s=0.3, speech_start_s=0.09)
    det = TurnDetector(cfg)
    ups = feed(det, [(1.5, False), (1.0, True), (1.5, False)])
    kept = kept_frames(ups)
    first_speech = 50  # frame index where speech begins (1.5 s / 30 ms)
    # The pre-roll reaches back at least pre_roll_s before the first speech frame.
    assert kept[0] <= first_speech - round(0.3 / FRAME)
    assert kept == list(range(kept[0], kept[-1] + 1))
    assert len(det.ended.frames) == 0 or kept[-1] == det.ended.frames[-1]
    assert cfg.pre_roll_frames(FRAME) == 13


def test_thinking_pause_shorter_than_silence_does_not_end_turn():
    det = TurnDetector(TurnConfig(end_of_turn_silence_s=1.2))
    ups = feed(det, [(2.0, True), (0.9, False), (1.0, True), (0.6, False), (0.5, True)])
    assert not det.ended
    events = [u.event for u in ups]
    assert TurnEvent.PAUSE in events
    assert events.count(TurnEvent.SPEECH_RESUMED) == 2


def test_end_of_turn_after_patient_silence():
    det = TurnDetector(TurnConfig(end_of_turn_silence_s=1.2))
    ups = feed(det, [(2.0, True), (3.0, False)])
    end = ups[-1]
    assert end.event is TurnEvent.TURN_ENDED
    assert end.reason is EndReason.SILENCE
    assert end.silence_s == pytest.approx(1.2, abs=FRAME)
    assert end.time_s == pytest.approx(3.2, abs=FRAME)


def test_silence_before_minimum_answer_length_does_not_end_it():
    det = TurnDetector(TurnConfig(end_of_turn_silence_s=0.5, min_answer_s=3.0))
    ups = feed(det, [(0.3, True), (5.0, False)])
    end = ups[-1]
    assert end.reason is EndReason.SILENCE
    # Not at 0.3 + 0.5 s but once the answer is 3 s old.
    assert end.answer_s == pytest.approx(3.0, abs=FRAME)


def test_maximum_answer_length_ends_it_even_while_speaking():
    det = TurnDetector(TurnConfig(max_answer_s=5.0))
    ups = feed(det, [(0.5, False), (20.0, True)])
    end = ups[-1]
    assert end.reason is EndReason.MAX_LENGTH
    assert end.answer_s == pytest.approx(5.0, abs=FRAME)


def test_click_shorter_than_debounce_does_not_start_speech():
    det = TurnDetector(TurnConfig(speech_start_s=0.09))
    ups = feed(det, [(0.5, False), (0.06, True), (0.5, False)])
    assert all(u.event is TurnEvent.WAITING for u in ups)


def test_short_blip_during_pause_does_not_reset_silence():
    det = TurnDetector(TurnConfig(end_of_turn_silence_s=1.2, speech_start_s=0.09))
    ups = feed(det, [(2.0, True), (0.6, False), (0.03, True), (0.6, False)])
    assert ups[-1].reason is EndReason.SILENCE


def test_no_speech_timeout():
    det = TurnDetector(TurnConfig(no_speech_timeout_s=2.0))
    ups = feed(det, [(5.0, False)])
    assert ups[-1].reason is EndReason.NO_SPEECH
    assert ups[-1].time_s == pytest.approx(2.0, abs=FRAME)


def test_push_to_talk_ignores_silence_and_ends_on_release():
    det = TurnDetector(TurnConfig(push_to_talk=True, end_of_turn_silence_s=0.5))
    before = feed(det, [(0.6, True)])
    assert all(u.event is TurnEvent.WAITING for u in before)
    start = det.press()
    assert start.event is TurnEvent.SPEECH_STARTED
    assert len(start.frames) > 0  # pre-roll from before the press
    during = feed(det, [(1.0, True), (3.0, False), (1.0, True)], start_index=20)
    assert not det.ended
    assert TurnEvent.PAUSE in {u.event for u in during}
    end = det.release()
    assert end.reason is EndReason.RELEASED
    assert end.answer_s == pytest.approx(5.0, abs=FRAME)


def test_push_to_talk_still_honours_max_length():
    det = TurnDetector(TurnConfig(push_to_talk=True, max_answer_s=2.0))
    det.press()
    ups = feed(det, [(3.0, True)])
    assert ups[-1].reason is EndReason.MAX_LENGTH


def test_after_end_updates_repeat_without_frames_and_reset_starts_over():
    det = TurnDetector(TurnConfig(end_of_turn_silence_s=0.3, min_answer_s=0.0))
    feed(det, [(0.5, True), (0.5, False)])
    assert det.ended
    again = det.process(FRAME, True, payload="x")
    assert again.event is TurnEvent.TURN_ENDED and again.frames == ()
    det.reset()
    assert det.ended is None and not det.speaking


def test_pre_roll_buffer_keeps_enough_seconds():
    buf: PreRollBuffer[int] = PreRollBuffer(0.1)
    for i in range(10):
        buf.push(0.03, i)
    assert buf.drain() == (6, 7, 8, 9)
    assert len(buf) == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"end_of_turn_silence_s": -1},
        {"min_answer_s": 5, "max_answer_s": 4},
        {"no_speech_timeout_s": 0},
    ],
)
def test_config_validation_names_the_field(kwargs):
    with pytest.raises(ValueError) as err:
        TurnConfig(**kwargs)
    assert next(iter(kwargs)) in str(err.value) or "max_answer_s" in str(err.value)


def test_module_imports_only_stdlib():
    import desktop_app.core.turn_taking as tt

    source = open(tt.__file__, encoding="utf-8").read()
    imports = {line.split()[1].split(".")[0] for line in source.splitlines() if line.startswith(("import ", "from "))}
    assert imports <= {"__future__", "math", "collections", "dataclasses", "enum", "typing"}
