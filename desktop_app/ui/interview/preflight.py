"""Pre-flight check: microphone level, speaker test, which models are loaded, and the text-mode switch."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import wording
from desktop_app.engines.base import AudioUnavailable
from desktop_app.ui.engine_host import ENGINES
from desktop_app.ui.interview.adapter import MicMonitor, find_microphone, speaker_test
from desktop_app.ui.ops import message_of
from desktop_app.ui.status import STATE_MARK
from desktop_app.ui.widgets import button, heading, hint, pretty

METER_FLOOR_DB = -60


class PreflightPanel(QWidget):
    """Checks before starting; `begin` carries the choices made here."""

    begin = Signal(bool, bool, bool)  # text mode, speak aloud, full screen
    cancelled = Signal()  # leave without starting

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.monitor: MicMonitor | None = None
        # The checks sit in a column of readable width, centred in a large window.
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        body = QWidget()
        body.setMaximumWidth(self.fontMetrics().averageCharWidth() * 150)
        outer.addWidget(body, 6)
        outer.addStretch(1)
        layout = QVBoxLayout(body)
        layout.addWidget(heading("Before the interview", 1.3))
        self.summary = hint("Loading the session…")
        layout.addWidget(self.summary)

        columns = QHBoxLayout()
        layout.addLayout(columns)
        left = QVBoxLayout()
        columns.addLayout(left, 1)

        mic_box = QGroupBox("Microphone")
        mic_box.setAccessibleName("Microphone check")
        ml = QVBoxLayout(mic_box)
        self.mic_name = QLabel(f"Device: {ctx.settings.input_device or 'system default'}")
        self.meter = QProgressBar()
        self.meter.setRange(METER_FLOOR_DB, 0)
        self.meter.setValue(METER_FLOOR_DB)
        self.meter.setFormat("%v dB")
        self.meter.setAccessibleName("Microphone level")
        self.mic_note = hint("Ask the candidate to say a few words: the bar should move.")
        self.mic_button = button("Test microphone", self.toggle_mic, tip="Open the microphone and show its level")
        ml.addWidget(self.mic_name)
        ml.addWidget(self.meter)
        ml.addWidget(self.mic_note)
        ml.addWidget(self.mic_button)
        left.addWidget(mic_box)

        spk_box = QGroupBox("Speaker")
        spk_box.setAccessibleName("Speaker check")
        sl = QVBoxLayout(spk_box)
        self.speaker_note = hint("Plays a short sentence in the interviewer's voice.")
        self.speaker_button = button("Play test sentence", self.test_speaker, tip="Speak a test sentence")
        sl.addWidget(self.speaker_note)
        sl.addWidget(self.speaker_button)
        left.addWidget(spk_box)
        left.addStretch(1)

        right = QVBoxLayout()
        columns.addLayout(right, 1)
        models_box = QGroupBox("Models")
        models_box.setAccessibleName("Models")
        mf = QFormLayout(models_box)
        self.model_labels: dict[str, QLabel] = {}
        for key, title in ENGINES:
            label = QLabel("…")
            label.setWordWrap(True)
            label.setAccessibleName(f"{title} model")
            mf.addRow(f"{title}:", label)
            self.model_labels[key] = label
        self.load_button = button("Load models now", ctx.engines.preload, tip="Load every model in the background")
        mf.addRow(self.load_button)
        right.addWidget(models_box)

        mode_box = QGroupBox("How the candidate answers")
        mode_box.setAccessibleName("Answer mode")
        vl = QVBoxLayout(mode_box)
        self.text_mode = QCheckBox("Text mode: the candidate types the answers (no microphone needed)")
        self.text_mode.setAccessibleName("Text mode")
        self.text_mode.toggled.connect(self._mode_changed)
        self.speak = QCheckBox("Speak the interviewer's words aloud (captions are always shown)")
        self.speak.setAccessibleName("Speak aloud")
        self.speak.setChecked(True)
        self.full_screen = QCheckBox("Show the candidate view full screen (the PIN is needed to leave it)")
        self.full_screen.setAccessibleName("Full-screen candidate view")
        self.full_screen.setChecked(True)
        vl.addWidget(self.text_mode)
        vl.addWidget(self.speak)
        vl.addWidget(self.full_screen)
        right.addWidget(mode_box)
        right.addStretch(1)

        row = QHBoxLayout()
        self.cancel_button = button("Back", self._cancel, name="Back without starting",
                                    tip="Close this room without starting; the session stays scheduled")
        row.addWidget(self.cancel_button)
        row.addWidget(hint("Everything works in text mode; voice needs the microphone and speech models."), 1)
        self.start_button = button("Start the interview", self._begin, primary=True,
                                   tip="Begin; the interviewer speaks first")
        row.addWidget(self.start_button)
        layout.addLayout(row)
        layout.addStretch(1)

        self._meter_timer = QTimer(self)
        self._meter_timer.setInterval(100)
        self._meter_timer.timeout.connect(self._read_level)
        ctx.engines.status_changed.connect(self.show_models)
        self.show_models(ctx.engines.status)
        if any(ctx.engines.status[k]["name"] == "…" for k, _ in ENGINES):
            ctx.engines.describe()
        self.setTabOrder(self.mic_button, self.speaker_button)
        self.setTabOrder(self.speaker_button, self.load_button)
        self.setTabOrder(self.load_button, self.text_mode)
        self.setTabOrder(self.text_mode, self.speak)
        self.setTabOrder(self.speak, self.full_screen)
        self.setTabOrder(self.full_screen, self.start_button)
        self.setTabOrder(self.start_button, self.cancel_button)

    def set_session(self, header: dict[str, Any]) -> None:
        """Shows who and what is about to be interviewed; a manual review is always typed notes."""
        mode = header["session"]["mode"]
        self.summary.setText(f"{header['participant']} · {header['template']} · stage “{header['stage']}” · "
                             f"interviewer profile {header['profile']} · {header['duration_minutes']} minutes · "
                             f"{pretty(mode)}")
        if mode == "manual_review":
            # The assessor types a note per prompt; there is no candidate screen and nothing to hear.
            self.text_mode.setChecked(True)
            self.full_screen.setChecked(False)
            for w in (self.text_mode, self.full_screen, self.mic_button):
                w.setEnabled(False)
            self.text_mode.setText("Manual review: the assessor types a note for each prompt")
            return
        device = self.ctx.settings.input_device
        self.ctx.tasks.run(lambda: find_microphone(device), self._mic_found, self._mic_failed,
                           name="viva-mic-find")

    def _mic_found(self, name: str) -> None:
        self.mic_name.setText(f"Device: {name}")

    def show_models(self, status: dict[str, dict[str, str]]) -> None:
        """Each engine's model and state."""
        for key, label in self.model_labels.items():
            info = status.get(key, {})
            state = info.get("state", "idle")
            words = {"ready": "loaded", "loading": "loading…", "error": "problem", "idle": "not loaded yet"}[state]
            label.setText(f"{info.get('name', '…')} — {words} {STATE_MARK.get(state, '')}".strip())
            label.setToolTip(info.get("detail", ""))
            label.setProperty("state", "error" if state == "error" else ("ok" if state == "ready" else ""))
            label.style().unpolish(label)
            label.style().polish(label)
        self.load_button.setEnabled(any(status.get(k, {}).get("state") in ("idle", "error") for k, _ in ENGINES))

    # ------------------------------------------------------------ microphone

    def toggle_mic(self) -> None:
        """Opens (or closes) the microphone for the level meter, off the GUI thread."""
        if self.monitor is not None:
            self.stop_mic()
            return
        self.mic_button.setEnabled(False)
        self.mic_note.setText("Opening the microphone…")
        device = self.ctx.settings.input_device
        self.ctx.tasks.run(lambda: MicMonitor.open(device), self._mic_open, self._mic_failed,
                           name="viva-mic-open")

    def _mic_open(self, monitor: MicMonitor) -> None:
        if not self.isVisible():
            monitor.close()
            return
        self.monitor = monitor
        self.mic_name.setText(f"Device: {monitor.device_name}")
        self.mic_note.setText("Ask the candidate to say a few words: the bar should move.")
        self.mic_button.setText("Stop microphone test")
        self.mic_button.setEnabled(True)
        self._meter_timer.start()

    def _mic_failed(self, exc: Exception) -> None:
        """Without a microphone the candidate types: text mode is ticked for the operator, and said once."""
        self.mic_button.setEnabled(True)
        if isinstance(exc, AudioUnavailable):
            self.text_mode.setChecked(True)
            self._mode_changed(True)  # also when text mode was ticked already: nothing to test
            self.mic_note.setText(wording.NO_MICROPHONE)
        else:
            self.mic_note.setText(f"The microphone could not be opened. {message_of(exc)} "
                                  "Tick text mode to let the candidate type instead.")
        self.mic_note.setProperty("state", "error")
        self.mic_note.style().polish(self.mic_note)

    def _read_level(self) -> None:
        if self.monitor is None:
            return
        level = self.monitor.level_dbfs
        value = METER_FLOOR_DB if math.isinf(level) or math.isnan(level) else int(max(METER_FLOOR_DB, min(0, level)))
        self.meter.setValue(value)

    def stop_mic(self) -> None:
        """Closes the microphone (before the runner opens it)."""
        self._meter_timer.stop()
        self.meter.setValue(METER_FLOOR_DB)
        self.mic_button.setText("Test microphone")
        monitor, self.monitor = self.monitor, None
        if monitor is not None:
            self.ctx.tasks.run(monitor.close, name="viva-mic-close")

    # ------------------------------------------------------------ speaker

    def test_speaker(self) -> None:
        """Plays the test sentence in the background."""
        self.speaker_button.setEnabled(False)
        self.speaker_note.setText("Speaking…")
        device = self.ctx.settings.output_device
        self.ctx.tasks.run(lambda: speaker_test(self.ctx.engines.engines(), device), self._spoke, self._speaker_failed,
                           name="viva-speaker-test")

    def _spoke(self, device: str) -> None:
        self.speaker_button.setEnabled(True)
        self.speaker_note.setText(f"Played on {device}. Did the candidate hear it clearly?")

    def _speaker_failed(self, exc: Exception) -> None:
        self.speaker_button.setEnabled(True)
        self.speaker_note.setText(wording.NO_SPEAKER if isinstance(exc, AudioUnavailable)
                                  else f"No sound. {message_of(exc)} Captions are always shown on screen.")

    # ------------------------------------------------------------ start

    def _mode_changed(self, text_mode: bool) -> None:
        for w in (self.mic_button, self.meter):
            w.setEnabled(not text_mode)
        if text_mode:
            self.stop_mic()

    def _begin(self) -> None:
        self.stop_mic()
        self.begin.emit(self.text_mode.isChecked(), self.speak.isChecked(), self.full_screen.isChecked())

    def _cancel(self) -> None:
        self.stop_mic()
        self.cancelled.emit()

    def hideEvent(self, event) -> None:
        self.stop_mic()
        super().hideEvent(event)
