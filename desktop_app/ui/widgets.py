"""Small shared widgets: headings that scale with the system font, empty states, inline messages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.ops import message_of


def gui_application(argv: list[str]) -> QApplication:
    """The running QApplication, made from `argv` when there is none yet."""
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication(argv)


def scaled_font(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    """A copy of `base` scaled by `factor` (relative to the system size, never a fixed pixel size)."""
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    font.setBold(bold)
    return font


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resizes a window to width x height, shrunk to 92% of the screen it is on."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width, height = min(width, int(area.width() * 0.92)), min(height, int(area.height() * 0.92))
    window.resize(width, height)


def heading(text: str, factor: float = 1.35, parent: QWidget | None = None) -> QLabel:
    """A bold title label, larger than body text in proportion to the system font."""
    label = QLabel(text, parent)
    label.setFont(scaled_font(label.font(), factor, bold=True))
    label.setAccessibleName(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def hint(text: str, parent: QWidget | None = None) -> QLabel:
    """Secondary, wrapped explanatory text."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setProperty("role", "hint")
    label.setAccessibleName(text)
    return label


def button(text: str, slot: Callable[[], None] | None = None, *, tip: str = "", name: str | None = None,
           primary: bool = False) -> QPushButton:
    """A push button with an accessible name and tooltip."""
    b = QPushButton(text)
    b.setAccessibleName(name or text.replace("&", "").rstrip("…. "))
    if tip:
        b.setToolTip(tip)
        b.setAccessibleDescription(tip)
    if primary:
        b.setProperty("primary", True)
        b.setDefault(True)
    if slot is not None:
        b.clicked.connect(lambda _checked=False: slot())
    return b


def name_buttons(box: QDialogButtonBox) -> QDialogButtonBox:
    """Gives every button of a dialog button box an accessible name (its text) unless it has one."""
    for b in box.buttons():
        if not b.accessibleName():
            b.setAccessibleName(b.text().replace("&", ""))
    return box


def combo(items: Iterable[tuple[str, object]], name: str, *, tip: str = "") -> QComboBox:
    """A combo box of (label, value) items with an accessible name."""
    c = QComboBox()
    for label, value in items:
        c.addItem(label, value)
    c.setAccessibleName(name)
    if tip:
        c.setToolTip(tip)
    return c


def set_combo_value(box: QComboBox, value: object) -> None:
    """Selects the item whose data is `value` (no change when absent)."""
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


def pretty(value: object) -> str:
    """An enum value as words: 'wait_for_approval' -> 'Wait for approval'."""
    text = str(value or "").replace("_", " ")
    text = " ".join("AI" if w == "ai" else w for w in text.split(" "))
    return text[:1].upper() + text[1:]


def keep_dialog(owner: QWidget, dialog: QDialog) -> None:
    """Keeps the dialog just opened as `owner.last_dialog`, where tests and screenshots find it (any widget)."""
    setattr(owner, "last_dialog", dialog)  # an attribute the widget's class does not declare


def enum_items(enum_cls: type[StrEnum]) -> list[tuple[str, str]]:
    """(label, value) pairs for a StrEnum."""
    return [(pretty(m.value), m.value) for m in enum_cls]


class EmptyState(QWidget):
    """Shown instead of an empty list: what belongs here and how to add the first one."""

    def __init__(self, title: str, text: str, actions: Iterable[QPushButton] = (), parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        t = heading(title, 1.2)
        t.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(t)
        body = hint(text)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(body)
        row = QHBoxLayout()
        row.addStretch(1)
        for b in actions:
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.setAccessibleName(title)


class InlineMessage(QLabel):
    """A one-line status under a form: red for problems, amber for warnings, green for all-good, hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName("Validation message")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_error(self, text: str) -> None:
        """Shows a problem."""
        self.setProperty("state", "error")
        self._show("⚠ " + text)

    def show_warning(self, text: str) -> None:
        """Shows something to check that does not stop the work."""
        self.setProperty("state", "warning")
        self._show("⚠ " + text)

    def show_ok(self, text: str) -> None:
        """Shows a confirmation."""
        self.setProperty("state", "ok")
        self._show("✓ " + text)

    def _show(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleDescription(text)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()

    def clear_message(self) -> None:
        """Hides the message."""
        self.setText("")
        self.hide()


class SearchField(QLineEdit):
    """A search box that reports its text after a short pause in typing."""

    search_changed = Signal(str)

    def __init__(self, placeholder: str = "Search…", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setAccessibleName("Search")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(lambda: self.search_changed.emit(self.text().strip()))
        self.textChanged.connect(lambda _t: self._timer.start())


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> None:
    """A message box with the error in one readable line."""
    text = exc if isinstance(exc, str) else message_of(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title)
    box.open()


def confirm(parent: QWidget | None, title: str, text: str, *, action: str = "Delete", informative: str = "") -> bool:
    """Asks before something destructive; the safe choice is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    if informative:
        box.setInformativeText(informative)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setAccessibleName(title)
    box.exec()
    return box.clickedButton() is yes
