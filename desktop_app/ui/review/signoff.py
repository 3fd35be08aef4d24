"""Sign-off by a named assessor, and reopening a sign-off with a reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.outcome import headline
from desktop_app.ui.widgets import InlineMessage, confirm, heading, hint, name_buttons

NAME_LIMIT = 120


def _warning_label(notes: list[str]) -> QLabel:
    label = QLabel("\n".join(f"⚠ {n}" for n in notes))
    label.setWordWrap(True)
    label.setAccessibleName("Sign-off warning")
    label.setStyleSheet("color: #8a3b12; font-weight: bold;")
    label.setVisible(bool(notes))
    return label


class SignOffDialog(QDialog):
    """Who signs the result off (required) and an optional note; asks again when signing against the recommendation."""

    def __init__(self, data: dict[str, Any], default_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign off the result")
        self.setAccessibleName("Sign off the result")
        result = data.get("result") or {}
        header = data.get("header") or {}
        self.against: list[str] = list((data.get("sign_off") or {}).get("against") or [])
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Sign off the result", 1.2))
        who = " · ".join(x for x in (header.get("participant"), header.get("stage")) if x)
        outcome = headline(result.get("overall"), data.get("max_score", 10), result.get("recommendation"),
                           result.get("passed"))
        self.summary = hint(f"{who}: {outcome}" if who else outcome)
        self.summary.setAccessibleName("Result to sign off")
        layout.addWidget(self.summary)
        self.warning = _warning_label(self.against)
        layout.addWidget(self.warning)
        layout.addWidget(hint("Your name is recorded with the approval and printed on the scorecard. "
                              "Once signed off, the scores are locked until someone reopens the sign-off."))
        form = QFormLayout()
        self.name = QLineEdit(default_name)
        self.name.setMaxLength(NAME_LIMIT)
        self.name.setAccessibleName("Assessor's name")
        self.name.setPlaceholderText("Your full name")
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Sign-off note")
        self.note.setPlaceholderText("Optional: anything the next person should know")
        self.note.setTabChangesFocus(True)
        form.addRow("Your &name:", self.name)
        form.addRow("N&ote (optional):", self.note)
        layout.addLayout(form)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Approve")
        self.ok.setAccessibleName("Approve and sign")
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(name_buttons(self.buttons))
        self.name.textChanged.connect(self._check)
        self._check()

    def name_value(self) -> str:
        """The assessor's name with spaces tidied."""
        return " ".join(self.name.text().split())

    def _check(self) -> None:
        ok = bool(self.name_value())
        self.ok.setEnabled(ok)
        self.ok.setToolTip("" if ok else "Type your name to sign")
        if ok:
            self.message.clear_message()
        else:
            self.message.show_error("Type your name: the sign-off is recorded in it.")

    def try_accept(self) -> None:
        """Accepts with a name; against the recommendation, only after the assessor confirms the difference."""
        if not self.name_value():
            self._check()
            return
        if self.against and not confirm(
                self, "Approve against the recommendation",
                "This sign-off goes against what the scoring recommends.", action="Approve anyway",
                informative="\n\n".join(self.against) + "\n\nApprove this result anyway?"):
            return
        self.accept()

    def values(self) -> tuple[str, str]:
        """(name, note)."""
        return self.name_value(), self.note.toPlainText().strip()


class ReopenDialog(QDialog):
    """Why a sign-off is reopened (required) and who reopens it; the scores can then change and need a new approval."""

    def __init__(self, approved_by: str, default_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reopen the sign-off")
        self.setAccessibleName("Reopen the sign-off")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reopen the sign-off", 1.2))
        layout.addWidget(hint(f"Signed off by {approved_by}. Reopening unlocks the scores; the session then needs "
                              "a new approval. The reason is kept in the audit log."))
        form = QFormLayout()
        self.name = QLineEdit(default_name)
        self.name.setMaxLength(NAME_LIMIT)
        self.name.setAccessibleName("Your name")
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for reopening")
        self.reason.setPlaceholderText("Why is the sign-off reopened? e.g. “The candidate's second answer was "
                                       "misheard; the recording shows a full example.”")
        self.reason.setTabChangesFocus(True)
        form.addRow("Your &name:", self.name)
        form.addRow("&Reason:", self.reason)
        layout.addLayout(form)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Reopen")
        self.ok.setAccessibleName("Reopen the sign-off")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(name_buttons(self.buttons))
        self.name.textChanged.connect(self._check)
        self.reason.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        name, reason = self.name.text().strip(), self.reason.toPlainText().strip()
        ok = bool(name) and len(reason) >= 5
        self.ok.setEnabled(ok)
        if ok:
            self.message.clear_message()
        else:
            self.message.show_error("Type your name and the reason for reopening." if not name
                                    else "Write the reason for reopening before saving.")

    def values(self) -> tuple[str, str]:
        """(name, reason)."""
        return " ".join(self.name.text().split()), self.reason.toPlainText().strip()
