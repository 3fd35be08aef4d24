"""Editor dialogs that validate with the domain models on every edit, warn before saving a pass mark that
disagrees with its recommendation, and save through an operation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import UserError
from desktop_app.core.models import MODELS
from desktop_app.core.presets import start_from
from desktop_app.core.validation import parse_model
from desktop_app.ui.editors.preset_choice import PresetChoice
from desktop_app.ui.operations import PRESET_KEY, save_record, save_warnings
from desktop_app.ui.ops import message_of
from desktop_app.ui.widgets import InlineMessage, heading, name_buttons, pretty

RECORD_KEYS = ("id", "created_at", "updated_at")
CHECKED_KINDS = ("profile", "template", "stage")  # where a pass mark can disagree with a recommendation


def text_list(text: str) -> list[str]:
    """Comma- or line-separated words as a list (blank items dropped)."""
    parts = [p.strip() for chunk in text.splitlines() for p in chunk.split(",")]
    return [p for p in parts if p]


def line(name: str, placeholder: str = "", tip: str = "") -> QLineEdit:
    """A line edit with an accessible name."""
    w = QLineEdit()
    w.setAccessibleName(name)
    w.setPlaceholderText(placeholder)
    if tip:
        w.setToolTip(tip)
    return w


def area(name: str, placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    """A multi-line text box sized to a few lines of the current font."""
    w = QPlainTextEdit()
    w.setAccessibleName(name)
    w.setPlaceholderText(placeholder)
    w.setTabChangesFocus(True)
    w.setFixedHeight(w.fontMetrics().lineSpacing() * (lines + 1) + 8)
    return w


class EditorDialog(QDialog):
    """Base: subclasses build the form, load(data) and collect() -> dict; the base validates and saves."""

    kind = ""
    noun = ""

    def __init__(self, ctx: Any, data: dict[str, Any] | None = None, record_id: str | None = None,
                 parent: QWidget | None = None, options: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.options = options or {}
        self.record_id = record_id
        self.saved: dict[str, Any] | None = None
        self.field_widgets: dict[str, QWidget] = {}
        self._loading = False
        action = "Edit" if record_id else "New"
        self.setWindowTitle(f"{action} {self.noun}")
        self.setAccessibleName(f"{action} {self.noun} editor")
        self.setModal(True)
        outer = QVBoxLayout(self)
        outer.addWidget(heading(f"{action} {self.noun}", 1.25))
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)
        self.message = InlineMessage()
        outer.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(f"Save {self.noun}")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(name_buttons(self.buttons))
        self._confirmed: dict[str, Any] | None = None  # data the person chose to save despite a warning
        self.build_form()
        values = dict(data or {})
        preset = values.pop(PRESET_KEY, None)
        self.preset_choice: PresetChoice | None = None
        if preset:
            self._preset = preset
            self.preset_choice = PresetChoice(preset["label"], preset["kind"], preset["about"])
            self.preset_choice.chosen.connect(self._restart_from_preset)
            self.body.insertWidget(0, self.preset_choice)
        self._loading = True
        # Ids and timestamps belong to the stored record, not to the object being edited.
        self.load({k: v for k, v in values.items() if k not in RECORD_KEYS})
        self._loading = False
        self.watch(self)
        self.revalidate()

    # ------------------------------------------------------------ subclass API

    def build_form(self) -> None:
        """Creates the widgets into self.body and registers them in field_widgets."""
        raise NotImplementedError

    def load(self, data: dict[str, Any]) -> None:
        """Fills the widgets from a dict."""
        raise NotImplementedError

    def collect(self) -> dict[str, Any]:
        """The widgets' values as a dict for the domain model."""
        raise NotImplementedError

    def extra_problem(self, data: dict[str, Any]) -> tuple[str, str] | None:
        """(field, message) for a problem explained better than the model's own words."""
        return None

    # ------------------------------------------------------------ presets

    def _restart_from_preset(self) -> None:
        """Fills the form again from the preset with what the person chose to keep; their name stays."""
        choice = self.preset_choice
        assert choice is not None
        values = start_from(self._preset["item"], self._preset["kind"], keep_style=choice.keep_style.isChecked(),
                            keep_role=choice.keep_role.isChecked())
        values["name"] = self.collect().get("name", "")
        self._loading = True
        self.load(values)
        self._loading = False
        self.revalidate()

    # ------------------------------------------------------------ validation

    def watch(self, root: QWidget) -> None:
        """Revalidates after any edit inside `root`."""
        for w in root.findChildren(QWidget):
            if w.property("watched"):
                continue
            w.setProperty("watched", True)
            if isinstance(w, QLineEdit):
                w.textChanged.connect(self.changed)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self.changed)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self.changed)
            elif isinstance(w, (QSpinBox, QDoubleSpinBox)):  # QAbstractSpinBox itself has no valueChanged
                w.valueChanged.connect(self.changed)
            elif isinstance(w, (QCheckBox, QAbstractButton)) and w.isCheckable():
                w.toggled.connect(self.changed)

    def changed(self, *_: Any) -> None:
        """Validates after an edit (pure Python, well under a millisecond)."""
        if not self._loading:
            self.revalidate()

    def problem(self) -> tuple[str | None, str] | None:
        """The first problem as (field, text), or None when the form is valid."""
        data = self.collect()
        extra = self.extra_problem(data)
        if extra is not None:
            return extra
        try:
            parse_model(MODELS[self.kind], data)
        except UserError as exc:
            return exc.field, exc.plain or self.describe(exc.field, exc.rule)
        return None

    def describe(self, field: str | None, rule: str) -> str:
        """A field path and rule as a sentence: 'rubric[1].name: ...' -> 'Rubric, row 2, name: ...'."""
        if not field:
            return rule[:1].upper() + rule[1:]
        label = field.replace("[", " row ").replace("]", "").replace(".", ", ")
        text = _one_based(label)
        return f"{pretty(text)}: {rule}"

    def revalidate(self) -> bool:
        """Runs the domain validation; shows the first problem and enables Save only when valid."""
        found = self.problem()
        for w in self.field_widgets.values():
            if w.property("invalid"):
                w.setProperty("invalid", False)
                w.style().unpolish(w)
                w.style().polish(w)
        if found is None:
            self.message.clear_message()
            self.save_button.setEnabled(True)
            self.save_button.setText("&Save")
            self.save_button.setToolTip(f"Save this {self.noun}")
            self.save_button.setAccessibleName(f"Save {self.noun}")
            return True
        field, text = found
        self.message.show_error(text)
        self.save_button.setEnabled(False)
        self.save_button.setToolTip(f"Cannot save yet: {text}")
        self.save_button.setAccessibleDescription(f"Disabled: {text}")
        widget = self._widget_for(field)
        if widget is not None:
            widget.setProperty("invalid", True)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        return False

    def _widget_for(self, field: str | None) -> QWidget | None:
        if not field:
            return None
        best = None
        for key, w in self.field_widgets.items():
            if field == key or field.startswith(key + ".") or field.startswith(key + "["):
                if best is None or len(key) > len(best[0]):
                    best = (key, w)
        return best[1] if best else None

    # ------------------------------------------------------------ saving

    def save(self) -> None:
        """Validates, warns once about a pass mark that disagrees with its recommendation, then saves on the
        store worker; store-level errors show inline."""
        if not self.revalidate():
            return
        data = self.collect()
        kind, record_id = self.kind, self.record_id
        self.save_button.setEnabled(False)
        if kind in CHECKED_KINDS and data != self._confirmed:
            self.message.show_ok("Checking…")
            self.ctx.ops.query(lambda s: save_warnings(s, kind, data, record_id),
                               lambda warnings: self._checked(data, warnings), self._save_failed)
            return
        self._write(data)

    def _checked(self, data: dict[str, Any], warnings: list[str]) -> None:
        """Saves, or shows the warnings and lets the person fix them or save anyway (a warning, not a block)."""
        if not warnings:
            self._write(data)
            return
        self._confirmed = data
        self.message.show_warning(" ".join(warnings) + " Change the pass mark or the recommendation, or save anyway.")
        self.save_button.setText("Save &anyway")
        self.save_button.setAccessibleName(f"Save {self.noun} anyway")
        self.save_button.setToolTip("Save with the pass mark and recommendation as they are")
        self.save_button.setEnabled(True)

    def _write(self, data: dict[str, Any]) -> None:
        self.message.show_ok("Saving…")
        kind, record_id = self.kind, self.record_id
        self.ctx.ops.change(lambda s: save_record(s, kind, data, record_id), self._saved, self._save_failed,
                            initiator=self.parent())

    def _saved(self, record: dict[str, Any]) -> None:
        self.saved = record
        self.accept()

    def _save_failed(self, exc: Exception) -> None:
        field = getattr(exc, "field", None)
        text = (exc.plain or self.describe(field, exc.rule)) if isinstance(exc, UserError) else message_of(exc)
        self.message.show_error(text)
        self.save_button.setEnabled(True)
        widget = self._widget_for(field)
        if widget is not None:
            widget.setProperty("invalid", True)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
            reveal(widget)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)


def reveal(widget: QWidget) -> None:
    """Switches every enclosing tab widget to the tab that holds `widget`."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        tabs = parent.parentWidget()
        if isinstance(parent, QStackedWidget) and isinstance(tabs, QTabWidget):
            tabs.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()


def _one_based(text: str) -> str:
    """'rubric row 0, name' -> 'rubric row 1, name' (people count from one)."""
    out = []
    tokens = text.split(" row ")
    out.append(tokens[0])
    for tok in tokens[1:]:
        head, _, rest = tok.partition(",")
        out.append((str(int(head) + 1) if head.isdigit() else head) + ("," + rest if rest else ""))
    return " row ".join(out)
