"""Pre-flight on real (virtual PulseAudio) devices: the mic level meter moves, the speaker test plays, models load."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl

from desktop_app.engines.pcm import write_wav
from desktop_app.store.sessions import schedule_session
from desktop_app.ui.interview.preflight import METER_FLOOR_DB
from tests.ui.conftest import run, wait_idle

pytestmark = [pytest.mark.models, pytest.mark.audio]


def test_preflight_meter_speaker_and_models(qtbot, demo_gui, engines, pulse_audio, piper_voice, tmp_path):
    ctx, window = demo_gui
    ctx.settings = ctx.settings.replace(input_device=pulse_audio.device, output_device=pulse_audio.device)
    ctx.engines.provide(engines)
    session = run(ctx, lambda s: schedule_session(s, "Dana Whitfield", "Screen"))
    room = window.open_interview(session.id)
    qtbot.waitUntil(lambda: room.header is not None)
    preflight = room.preflight
    assert not preflight.text_mode.isChecked() and preflight.mic_button.isEnabled()

    # Models: "Load models now" loads them in the background; the labels say so.
    preflight.load_button.click()
    qtbot.waitUntil(lambda: all("loaded" in label.text() for label in preflight.model_labels.values()),
                    timeout=30_000)

    # The meter follows the microphone: silence first, then the candidate speaking.
    qtbot.mouseClick(preflight.mic_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preflight.monitor is not None, timeout=10_000)
    assert preflight.mic_button.text() == "Stop microphone test"
    wav = tmp_path / "hello.wav"
    write_wav(wav, list(piper_voice.synthesize("Hello, I can hear you clearly. This is a microphone test.")))
    player = pulse_audio.play_as_candidate(wav)
    peak = [METER_FLOOR_DB]

    def loud() -> bool:
        peak[0] = max(peak[0], preflight.meter.value())
        return peak[0] > -40

    qtbot.waitUntil(loud, timeout=10_000)
    player.wait(10)
    qtbot.mouseClick(preflight.mic_button, Qt.MouseButton.LeftButton)
    assert preflight.monitor is None and preflight.meter.value() == METER_FLOOR_DB

    # The speaker test speaks a sentence in the interviewer's voice on the chosen device.
    qtbot.mouseClick(preflight.speaker_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preflight.speaker_note.text().startswith("Played on"), timeout=30_000)

    # Text mode is one switch away and turns the microphone test off.
    preflight.text_mode.setChecked(True)
    assert not preflight.mic_button.isEnabled()
    room.close()
    wait_idle(qtbot, ctx)


def test_clicking_a_turn_plays_its_recording(qtbot, demo_gui, pulse_audio, piper_voice):
    from desktop_app.core.transcript import Turn
    from desktop_app.store.sessions import add_turn

    ctx, window = demo_gui
    ctx.settings = ctx.settings.replace(output_device=pulse_audio.device)
    session = run(ctx, lambda s: schedule_session(s, "Dana Whitfield", "Screen"))
    relative = f"audio/{session.id}/q1-candidate.wav"
    (ctx.paths.root / relative).parent.mkdir(parents=True)
    write_wav(ctx.paths.root / relative, list(piper_voice.synthesize("I led the ledger migration.")))
    run(ctx, lambda s: add_turn(s, Turn(session.id, -1, "candidate", "I led the ledger migration.", 1.0, 3.0,
                                        audio_path=relative)))
    review = window.open_review(session.id)
    qtbot.waitUntil(lambda: review.data is not None)
    assert 'href="play:0"' in review.transcript.toHtml()
    review.transcript.anchorClicked.emit(QUrl("play:0"))
    qtbot.waitUntil(lambda: review.message.text() == "✓ Played turn 0.", timeout=20_000)
