"""Asking for the operator PIN, and setting a new one."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from desktop_app.core.settings_model import OperatorPin
from desktop_app.ui.pin import check_new_pin, hash_pin, verify_pin
from desktop_app.ui.widgets import InlineMessage, heading, hint, name_buttons


def _pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMaxLength(12)
    return field


class PinDialog(QDialog):
    """Accepts only when the typed PIN matches the stored hash."""

    def __init__(self, stored: OperatorPin | None, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stored = stored
        self.setWindowTitle("Operator PIN")
        self.setAccessibleName("Operator PIN")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Operator PIN", 1.2))
        layout.addWidget(hint(reason))
        self.pin = _pin_field("Operator PIN")
        form = QFormLayout()
        form.addRow("&PIN:", self.pin)
        layout.addLayout(form)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("Unlock")
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(name_buttons(buttons))

    def check(self) -> None:
        """Accepts on the right PIN; otherwise says so and clears the field."""
        if verify_pin(self.pin.text(), self.stored):
            self.accept()
            return
        self.message.show_error("That PIN is not right.")
        self.pin.clear()
        self.pin.setFocus()


class NewPinDialog(QDialog):
    """Sets the operator PIN; `value` holds the settings entry (salted hash) afterwards."""

    def __init__(self, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.value: OperatorPin | None = None
        self.setWindowTitle("Set the operator PIN")
        self.setAccessibleName("Set the operator PIN")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Set the operator PIN", 1.2))
        layout.addWidget(hint(reason or "The PIN is needed to leave the candidate's full-screen view. "
                                        "At least 4 digits; only a salted hash is stored."))
        self.pin = _pin_field("New PIN")
        self.again = _pin_field("Repeat the new PIN")
        form = QFormLayout()
        form.addRow("&New PIN:", self.pin)
        form.addRow("&Repeat:", self.again)
        layout.addLayout(form)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(name_buttons(buttons))

    def check(self) -> None:
        """Accepts a valid PIN typed twice."""
        problem = check_new_pin(self.pin.text(), self.again.text())
        if problem:
            self.message.show_error(problem)
            return
        self.value = hash_pin(self.pin.text())
        self.accept()
