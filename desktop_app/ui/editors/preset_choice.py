"""What to keep when a new profile or template starts from a preset: its style, and (only if asked) its role."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from desktop_app.ui.widgets import hint

STYLE_TEXT = {
    "profile": "Keep the rubric, the interview style and the scoring",
    "template": "Keep the traits, success criteria, question depth and length",
}


class PresetChoice(QGroupBox):
    """Two choices; `chosen` fires when either changes. The role is not kept unless ticked."""

    chosen = Signal()

    def __init__(self, label: str, kind: str, about: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Started from the {label.lower()} preset", parent)
        self.setAccessibleName(f"Started from the {label.lower()} preset: what to keep")
        layout = QVBoxLayout(self)
        self.keep_style = QCheckBox(STYLE_TEXT[kind])
        self.keep_style.setAccessibleName(STYLE_TEXT[kind])
        self.keep_style.setChecked(True)
        layout.addWidget(self.keep_style)
        role_text = f"Keep the company and role details ({about})" if about else "Keep the company and role details"
        self.keep_role = QCheckBox(role_text)
        self.keep_role.setAccessibleName(role_text)
        self.keep_role.setToolTip("Off: nothing about the preset's example company, role or skills is copied. "
                                  "Turn on only when you interview for that same role.")
        self.keep_role.setChecked(False)
        self.keep_role.setVisible(bool(about))
        layout.addWidget(self.keep_role)
        layout.addWidget(hint("Changing these fills the form again from the preset (your name for it stays)."))
        self.keep_style.toggled.connect(lambda _on: self.chosen.emit())
        self.keep_role.toggled.connect(lambda _on: self.chosen.emit())
