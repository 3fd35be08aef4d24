"""A section that stays folded until asked for: settings most people never need to change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QVBoxLayout, QWidget


class Expander(QWidget):
    """A header button with an arrow that shows or hides its content; collapsed by default."""

    def __init__(self, title: str, content: QWidget, parent: QWidget | None = None, *, tip: str = "") -> None:
        super().__init__(parent)
        self.content = content
        self.toggle = QToolButton()
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setAccessibleName(title)
        if tip:
            self.toggle.setToolTip(tip)
        self.toggle.toggled.connect(self.set_expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(content)
        self.set_expanded(False)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        """Opens or folds the section."""
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)  # calls back here through toggled
            return
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.toggle.setAccessibleDescription("expanded" if expanded else "collapsed")
        self.content.setVisible(expanded)
