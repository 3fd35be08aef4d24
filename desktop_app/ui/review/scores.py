"""Per-dimension scores with evidence, the overall result, signals, and the override dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.outcome import format_score, headline
from desktop_app.ui.list_page import RecordTable
from desktop_app.ui.review.signoff import NAME_LIMIT
from desktop_app.ui.table_model import Column
from desktop_app.ui.widgets import InlineMessage, heading, hint, name_buttons, pretty, scaled_font


def _num(value: Any) -> str:
    return format_score(value)


def scoring_note(data: dict[str, Any]) -> str:
    """Which model scored, how, and how sure: the caveat a small model's score needs."""
    model = data.get("model") or {}
    result = data.get("result") or {}
    parts = []
    # Plain words for the assessor; the model's file and checksum are printed on the scorecard for the record.
    if model and model.get("chat"):
        parts.append("Scored by the AI model, which rated each answer against the rubric, kept within reach of "
                     "the rule-based scores.")
    elif model:
        parts.append("Scored by the small AI model, which cannot judge answers on its own, so each score stays "
                     "close to the rule-based score.")
    elif result:
        parts.append("Scored by rules only (no AI model).")
    low = [d["name"] for d in data.get("dimensions", []) if d.get("confidence") == "low"]
    if low:
        parts.append(f"Low confidence on {', '.join(low)}: read the evidence before approving.")
    review = [f for f in result.get("flags") or [] if isinstance(f, dict) and f.get("review")]
    if result.get("needs_review"):
        detail = "; ".join(str(f.get("detail") or f.get("kind")) for f in review)
        parts.append("Needs a human check" + (f": {detail}." if detail else "."))
    return " ".join(parts)


class ScoresPanel(QWidget):
    """The rubric table; selecting a dimension shows its rationale and evidence and emits its quotes."""

    dimension_selected = Signal(list)  # evidence quotes of the chosen dimension

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.overall = QLabel("Not scored yet")
        self.overall.setFont(scaled_font(self.overall.font(), 1.3, bold=True))
        self.overall.setAccessibleName("Overall result")
        self.overall.setWordWrap(True)
        layout.addWidget(self.overall)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Outcome warning")
        self.warning.setStyleSheet("color: #8a3b12; font-weight: bold;")
        self.warning.setVisible(False)
        layout.addWidget(self.warning)
        self.model_note = hint("")
        layout.addWidget(self.model_note)
        self.table = RecordTable([
            Column("name", "Dimension"),
            Column("weight", "Weight", numeric=True, fmt=lambda r: f"{r['weight']}%"),
            Column("ai", "AI", numeric=True, fmt=lambda r: _num(r["ai"]), tip="The model's score, bounded by rules"),
            Column("human", "Human", numeric=True, fmt=lambda r: _num(r.get("human")),
                   tip="The mean of people's scores, combined with the AI's as the profile says"),
            Column("override", "Override", numeric=True, fmt=lambda r: _num(r["override"]),
                   tip="A person's score, which replaces the AI's"),
            Column("final", "Final", numeric=True, fmt=lambda r: _num(r["final"])),
            Column("confidence", "Confidence", fmt=lambda r: pretty(r.get("confidence") or "")),
        ], "Scores by dimension")
        self.table.setSortingEnabled(False)
        self.table.proxy.sort(-1)  # rubric order
        # The numbers and Confidence take the room they need and the Dimension column gives way (its cells elide,
        # with the full name as tooltip), so Confidence is never pushed behind a horizontal scrollbar.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        layout.addWidget(self.table, 2)
        self.detail_title = QLabel("")
        self.detail_title.setFont(scaled_font(self.detail_title.font(), 1.0, bold=True))
        # Wrapped, a long description cannot widen the panel: unwrapped, its width moved the review's divider.
        self.detail_title.setWordWrap(True)
        layout.addWidget(self.detail_title)
        self.rationale = hint("Select a dimension to see why it scored as it did.")
        layout.addWidget(self.rationale)
        self.evidence = QListWidget()
        self.evidence.setAccessibleName("Evidence quotes")
        self.evidence.setWordWrap(True)
        layout.addWidget(self.evidence, 1)

    def set_data(self, data: dict[str, Any]) -> None:
        """Shows the result and the dimensions."""
        result = data.get("result")
        top = data["max_score"]
        if result is None or result.get("overall") is None:
            self.overall.setText("Not scored yet")
        else:
            self.overall.setText(headline(result["overall"], top, result.get("recommendation"), result.get("passed")))
        notes = (data.get("sign_off") or {}).get("against") or []
        signed = (result or {}).get("decision") == "approved"
        self.warning.setText("\n".join(f"⚠ {n}" for n in notes)
                             + ("" if signed or not notes else "\nDecide which applies before signing off."))
        self.warning.setVisible(bool(notes))
        self.model_note.setText(scoring_note(data))
        # Rows are keyed by dimension name (data.dimension_row), so the chosen one stays chosen after a reload.
        self.table.set_rows(data["dimensions"])

    def current(self) -> dict[str, Any] | None:
        """The selected dimension row."""
        return self.table.current_row()

    def _selected(self) -> None:
        row = self.current()
        self.evidence.clear()
        if row is None:
            return
        self.detail_title.setText(f"{row['name']}: {row.get('description', '')}")
        text = row.get("rationale") or "No rationale recorded."
        if row.get("override") is not None:
            text += f"\nOverridden to {_num(row['override'])}: {row.get('override_reason') or ''}"
        self.rationale.setText(text)
        for quote in row["evidence"]:
            self.evidence.addItem(f"“{quote}”")
        if not row["evidence"]:
            self.evidence.addItem("No verified quote backs this score.")
        self.dimension_selected.emit(row["evidence"])


class SignalsPanel(QWidget):
    """Authenticity signals: measured facts with their numbers, never verdicts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint("Facts measured during the session, for a person to weigh. None of them is a verdict."))
        self.table = RecordTable([
            Column("notable", "", fmt=lambda r: "●" if r.get("notable") else "", tip="Stands out"),
            Column("label", "Signal"),
            Column("value", "Value"),
        ], "Authenticity signals")
        self.table.setWordWrap(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.setSortingEnabled(False)
        self.table.proxy.sort(-1)  # keep the order given: notable facts first
        layout.addWidget(self.table, 1)
        self.numbers = QLabel("")
        self.numbers.setWordWrap(True)
        self.numbers.setAccessibleName("Signal numbers")
        layout.addWidget(self.numbers)

    def set_signals(self, signals: list[dict[str, Any]]) -> None:
        """Shows the signals, notable (highlighted) first."""
        rows = sorted(({**s, "id": s.get("key"), "attention": s.get("notable")} for s in signals),
                      key=lambda r: (not r.get("notable"), not r.get("measured", True)))
        self.table.set_rows(rows)
        self.table.resizeRowsToContents()

    def _selected(self) -> None:
        row = self.table.current_row()
        if not row:
            self.numbers.setText("")
            return
        numbers = row.get("numbers") or {}
        text = ", ".join(f"{k.replace('_', ' ')}: {v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool)
                         else f"{k.replace('_', ' ')}: {v}" for k, v in numbers.items())
        answers = row.get("answers") or []
        self.numbers.setText(f"<b>{row['label']}</b>: {row['value']}" + (f"<br>Numbers — {text}" if text else "")
                             + (f"<br>Turns: {', '.join(str(a) for a in answers)}" if answers else ""))


class OverrideDialog(QDialog):
    """A new score for one dimension, with the reason and the name of who changes it (both required)."""

    def __init__(self, row: dict[str, Any], max_score: int, parent: QWidget | None = None, *,
                 default_name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Override score")
        self.setAccessibleName("Override score")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Override “{row['name']}”", 1.2))
        layout.addWidget(hint(f"Current final score: {format_score(row['final'], max_score)}. "
                              "Your score replaces the AI's; your name and the reason are kept in the audit log "
                              "and printed on the scorecard."))
        form = QFormLayout()
        self.score = QDoubleSpinBox()
        self.score.setRange(0, max_score)
        self.score.setDecimals(1)
        self.score.setSingleStep(0.5)
        self.score.setValue(float(row["final"] or 0))
        self.score.setAccessibleName("New score")
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for the override")
        self.reason.setPlaceholderText("Why does the score change? e.g. “The answer about the ledger migration "
                                       "shows clear ownership that the model missed.”")
        self.reason.setTabChangesFocus(True)
        # The person's own name: the computer's login (often "root" or a shared account) says nothing on paper.
        self.name = QLineEdit(default_name)
        self.name.setMaxLength(NAME_LIMIT)
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("Your full name")
        form.addRow("&Score:", self.score)
        form.addRow("&Reason:", self.reason)
        form.addRow("Your &name:", self.name)
        layout.addLayout(form)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Override")
        self.ok.setAccessibleName("Save override")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(name_buttons(self.buttons))
        self.reason.textChanged.connect(self._check)
        self.name.textChanged.connect(self._check)
        self._check()

    def name_value(self) -> str:
        """The name with spaces tidied."""
        return " ".join(self.name.text().split())

    def _check(self) -> None:
        reason_ok = len(self.reason.toPlainText().strip()) >= 5
        ok = reason_ok and bool(self.name_value())
        self.ok.setEnabled(ok)
        if ok:
            self.message.clear_message()
        else:
            self.message.show_error("Write the reason for the new score before saving." if not reason_ok
                                    else "Type your name: the override is recorded in it.")
        self.ok.setToolTip("" if ok else "A reason and your name are required")

    def values(self) -> tuple[float, str, str]:
        """(score, reason, name)."""
        return self.score.value(), self.reason.toPlainText().strip(), self.name_value()
