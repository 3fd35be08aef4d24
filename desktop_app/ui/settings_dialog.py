"""Settings: models per engine with the self-test, audio devices by name, voice, patience, data folder, PIN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import wording
from desktop_app.core.errors import UserError
from desktop_app.core.settings_model import Settings, bounds
from desktop_app.ui import engine_checks
from desktop_app.ui.context import remember_data_dir
from desktop_app.ui.ops import message_of
from desktop_app.ui.pin import has_pin
from desktop_app.ui.pin_dialog import NewPinDialog, PinDialog
from desktop_app.ui.widgets import InlineMessage, button, heading, hint, name_buttons, set_combo_value

ENGINE_SETTINGS = (("llm", "llm_model", "Language model"), ("asr", "asr_model", "Speech recognition"),
                   ("tts", "tts_voice", "Voice"))


def _combo(name: str, default_label: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.addItem(default_label, None)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(40)
    return box


class SettingsDialog(QDialog):
    """Edits a copy of the settings; Save writes them (engines reload on their next use)."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.values: Settings = ctx.settings  # frozen: edits make validated copies
        self.new_data_dir: Path | None = None
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.resize(self.fontMetrics().averageCharWidth() * 120, self.fontMetrics().lineSpacing() * 32)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Settings", 1.3))
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self._models_tab()
        self._audio_tab()
        self._interview_tab()
        self._data_tab()
        self.message = InlineMessage()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName("Save settings")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(name_buttons(buttons))
        ctx.tasks.run(lambda: engine_checks.found_models(ctx.paths), self._fill_models,
                      lambda exc: self.models_note.setText(f"Model search failed: {message_of(exc)}"),
                      name="viva-discover")
        ctx.tasks.run(engine_checks.audio_devices, self._fill_devices,
                      lambda exc: self.audio_note.setText(wording.NO_AUDIO_DEVICES),
                      name="viva-devices")

    # ------------------------------------------------------------ tabs

    def _models_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.model_boxes: dict[str, QComboBox] = {}
        for kind, key, title in ENGINE_SETTINGS:
            box = _combo(title, "Embedded default")
            form.addRow(f"{title}:", box)
            self.model_boxes[key] = box
        layout.addLayout(form)
        self.models_note = hint("Searching the embedded models and local_models/ folders…")
        layout.addWidget(self.models_note)
        row = QHBoxLayout()
        self.test_button = button("Run the self-test", self.run_self_test,
                                  tip="Loads each chosen model and checks it works (the same as `viva models doctor`)")
        row.addWidget(self.test_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.test_results = QListWidget()
        self.test_results.setAccessibleName("Self-test results")
        layout.addWidget(self.test_results, 1)
        self.tabs.addTab(page, "&Models")

    def _audio_tab(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.input_box = _combo("Microphone", "System default")
        self.output_box = _combo("Speaker", "System default")
        form.addRow("&Microphone:", self.input_box)
        form.addRow("&Speaker:", self.output_box)
        self.audio_note = hint("Devices are remembered by name, so re-plugging them keeps the choice.")
        form.addRow(self.audio_note)
        self.tabs.addTab(page, "&Audio")

    def _interview_tab(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.patience = QDoubleSpinBox()
        low, high = bounds("end_of_turn_silence_s")
        assert low is not None and high is not None  # Settings gives the field both a minimum and a maximum
        self.patience.setRange(low, high)
        self.patience.setSingleStep(0.1)
        self.patience.setDecimals(1)
        self.patience.setSuffix(" s")
        self.patience.setAccessibleName("End-of-turn patience in seconds")
        self.patience.setValue(self.values.end_of_turn_silence_s)
        self.patience.setMaximumWidth(self.fontMetrics().averageCharWidth() * 14)
        form.addRow("End-of-turn &patience:", self.patience)
        form.addRow(hint("How long the candidate may pause before their answer counts as finished. People pause "
                         "to think: 1.2 s or more avoids cutting them off."))
        self.pin_state = QLabel()
        self.pin_button = button("Set PIN…", self.change_pin, tip="The PIN to leave the candidate's full-screen view",
                                 name="Set operator PIN")
        row = QHBoxLayout()
        row.addWidget(self.pin_state, 1)
        row.addWidget(self.pin_button)
        form.addRow("Operator PIN:", row)
        self._show_pin()
        self.tabs.addTab(page, "&Interview")

    def _data_tab(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.data_label = QLabel(str(self.ctx.paths.root))
        self.data_label.setWordWrap(True)
        self.data_label.setAccessibleName("Data folder")
        form.addRow("Data folder:", self.data_label)
        row = QHBoxLayout()
        row.addWidget(button("Choose another folder…", self.choose_data_dir, name="Choose data folder"))
        row.addWidget(button("Use the default", lambda: self._set_data_dir(None), name="Use the default data folder"))
        row.addStretch(1)
        form.addRow(row)
        form.addRow(hint("The database, recordings, resumes and exports live here. A new folder is used from the "
                         "next start; nothing is moved."))
        self.tabs.addTab(page, "&Data")

    # ------------------------------------------------------------ filling

    def _fill_models(self, found: dict[str, list[tuple[str, str]]]) -> None:
        for kind, key, _title in ENGINE_SETTINGS:
            box = self.model_boxes[key]
            for label, path in found.get(kind, []):
                if label.endswith(", embedded)"):
                    box.setItemText(0, f"Embedded default: {label.split(' (')[0]}")
                else:
                    box.addItem(label, path)
            current = getattr(self.values, key)
            if current and box.findData(current) < 0:
                box.addItem(f"{current} (not found)", current)
            set_combo_value(box, current)
        extra = sum(len(v) for v in found.values())
        self.models_note.setText(f"{extra} model(s) found. Drop bigger or other-language models into the "
                                 f"local_models folder of {self.ctx.paths.root} and reopen Settings.")

    def _fill_devices(self, devices: tuple[list[str], list[str]]) -> None:
        inputs, outputs = devices
        for box, names, key in ((self.input_box, inputs, "input_device"), (self.output_box, outputs, "output_device")):
            for name in names:
                box.addItem(name, name)
            current = getattr(self.values, key)
            if current and box.findData(current) < 0:
                box.addItem(f"{current} (not connected)", current)
            set_combo_value(box, current)

    # ------------------------------------------------------------ actions

    def run_self_test(self) -> None:
        """Runs the engines' self-test with the choices on screen, line by line."""
        try:
            settings = self.collect()
        except UserError as exc:
            self.message.show_error(str(exc))
            return
        self.test_button.setEnabled(False)
        self.test_results.clear()
        self.test_results.addItem("Running… (loading models can take a few seconds)")
        host = self.ctx.engines
        same = not settings.engines_differ(self.ctx.settings)
        self.ctx.tasks.run(lambda report: engine_checks.self_test(self.ctx.paths, settings, report,
                                                                  host.engines() if same else None),
                           self._tested, self._test_failed, name="viva-self-test", progress=self._test_line)

    def _test_line(self, line: tuple[str, bool, str]) -> None:
        name, ok, detail = line
        if self.test_results.count() == 1 and self.test_results.item(0).text().startswith("Running"):
            self.test_results.clear()
        self.test_results.addItem(f"{'✓' if ok else '✗'} {name}: {detail}")

    def _tested(self, results: list[tuple[str, bool, str]]) -> None:
        self.test_button.setEnabled(True)
        failed = [r for r in results if not r[1]]
        self.test_results.addItem("All checks passed." if not failed else f"{len(failed)} check(s) failed.")

    def _test_failed(self, exc: Exception) -> None:
        self.test_button.setEnabled(True)
        self.test_results.addItem(f"The self-test could not run: {message_of(exc)}")

    def _show_pin(self) -> None:
        self.pin_state.setText("Set" if has_pin(self.values) else "Not set: you will be asked before the first "
                                                                    "full-screen interview")
        self.pin_button.setText("Change PIN…" if has_pin(self.values) else "Set PIN…")

    def change_pin(self) -> None:
        """Sets a new PIN (the current one is asked first)."""
        if has_pin(self.values):
            check = PinDialog(self.values.operator_pin, "Enter the current PIN first.", self)
            if check.exec() != QDialog.DialogCode.Accepted:
                return
        dialog = NewPinDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.value:
            self.values = self.values.replace(operator_pin=dialog.value)
            self._show_pin()

    def choose_data_dir(self) -> None:
        """Picks a data folder for the next start."""
        folder = QFileDialog.getExistingDirectory(self, "Data folder", str(self.ctx.paths.root))
        if folder:
            self._set_data_dir(Path(folder))

    def _set_data_dir(self, folder: Path | None) -> None:
        self.new_data_dir = folder
        self.data_label.setText(f"{self.ctx.paths.root}\nFrom the next start: {folder or 'the default folder'}")

    def collect(self) -> Settings:
        """The settings as edited (raises UserError naming the field if a value breaks a rule)."""
        models = {key: box.currentData() for key, box in self.model_boxes.items()}
        return self.values.replace(**models, input_device=self.input_box.currentData(),
                                   output_device=self.output_box.currentData(),
                                   end_of_turn_silence_s=round(self.patience.value(), 2))

    def save(self) -> None:
        """Writes the settings; a new data folder is remembered for the next start."""
        try:
            self.ctx.save_settings(self.collect())
            if self.new_data_dir is not None or self.data_label.text().endswith("the default folder"):
                remember_data_dir(self.ctx.config_dir, self.new_data_dir)
        except Exception as exc:
            self.message.show_error(f"Could not save the settings: {message_of(exc)}")
            return
        self.accept()
