"""Settings: patience, the operator PIN (stored only as a salted hash), the data folder for the next start."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.app import resolve_paths
from desktop_app.core.settings_model import OperatorPin, bounds
from desktop_app.ui.pin import verify_pin
from desktop_app.ui.pin_dialog import NewPinDialog
from tests.ui.conftest import dialog_of, gone


def test_settings_save_patience_and_a_hashed_pin(qtbot, gui, tmp_path, monkeypatch):
    ctx, window = gui
    window.open_settings()
    dialog = dialog_of(window)
    qtbot.waitExposed(dialog)
    assert dialog.tabs.count() == 4
    assert dialog.pin_button.text() == "Set PIN…"
    assert (dialog.patience.minimum(), dialog.patience.maximum()) == bounds("end_of_turn_silence_s")
    dialog.patience.setValue(1.8)

    def type_pin() -> None:
        pin = QApplication.activeModalWidget()
        assert isinstance(pin, NewPinDialog)
        pin.pin.setText("12")
        pin.again.setText("12")
        pin.check()
        assert "at least 4 digits" in pin.message.text()
        pin.pin.setText("482913")
        pin.again.setText("482913")
        pin.check()

    QTimer.singleShot(50, type_pin)
    dialog.change_pin()
    assert dialog.pin_button.text() == "Change PIN…"

    other = tmp_path / "elsewhere"
    other.mkdir()
    dialog._set_data_dir(other)
    dialog.save()
    qtbot.waitUntil(lambda: gone(dialog))

    stored = json.loads((ctx.paths.root / "settings.json").read_text(encoding="utf-8"))
    assert stored["end_of_turn_silence_s"] == 1.8
    assert "482913" not in json.dumps(stored)
    pin = OperatorPin.model_validate(stored["operator_pin"])
    assert verify_pin("482913", pin) and not verify_pin("482914", pin)
    assert ctx.settings.operator_pin == pin and ctx.settings.end_of_turn_silence_s == 1.8
    # The next launch (without --data-dir) opens the chosen folder.
    monkeypatch.delenv("VIVA_DATA_DIR", raising=False)
    assert resolve_paths(None, ctx.config_dir).root == other.resolve()
    assert resolve_paths(str(tmp_path / "explicit"), ctx.config_dir).root == (tmp_path / "explicit").resolve()


@pytest.mark.models
def test_self_test_runs_the_doctor_on_the_loaded_models(qtbot, gui, engines):
    ctx, window = gui
    ctx.engines.provide(engines)
    window.open_settings()
    dialog = dialog_of(window)
    qtbot.waitUntil(lambda: dialog.model_boxes["llm_model"].itemText(0).startswith("Embedded default: Qwen2.5"),
                    timeout=20_000)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=120_000)
    lines = [dialog.test_results.item(i).text() for i in range(dialog.test_results.count())]
    assert any(line.startswith("✓ llm") for line in lines), lines
    assert any(line.startswith("✓ tts") for line in lines), lines
    assert lines[-1] in ("All checks passed.",) or lines[-1].endswith("check(s) failed."), lines
    dialog.reject()
