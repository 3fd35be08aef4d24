"""The rubric table: dimensions with weights, a live weight total, and anchors for the selected row."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.widgets import button

NAME, WEIGHT, DESCRIPTION = range(3)


def weight_status(total: int) -> tuple[bool, str]:
    """(ok, sentence) for a weight total."""
    if total == 100:
        return True, "Weights total 100 of 100 ✓"
    if total < 100:
        return False, f"Weights total {total} of 100: add {100 - total} more"
    return False, f"Weights total {total} of 100: remove {total - 100}"


class RubricEditor(QWidget):
    """Edits a list of {name, description, weight, anchors}; emits `edited` after every change."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Rubric")
        self._anchors: list[dict[str, str]] = []
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Dimension", "Weight", "What it measures"])
        self.table.setAccessibleName("Rubric dimensions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WEIGHT, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(NAME, self.fontMetrics().horizontalAdvance("M" * 14))
        self.table.itemChanged.connect(self._item_changed)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_anchors(row))
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.total_label = QLabel()
        self.total_label.setAccessibleName("Weight total")
        row.addWidget(self.total_label, 1)
        self.add_button = button("Add dimension", self.add_dimension, tip="Add a scoring axis to the rubric")
        self.remove_button = button("Remove", self.remove_dimension, tip="Remove the selected dimension",
                                    name="Remove dimension")
        self.balance_button = button("Spread weights evenly", self.balance, tip="Give every dimension an equal share of 100")
        for b in (self.add_button, self.remove_button, self.balance_button):
            row.addWidget(b)
        layout.addLayout(row)

        box = QGroupBox("Anchors for the selected dimension")
        box.setAccessibleName("Anchors for the selected dimension")
        form = QFormLayout(box)
        self.anchor_edits: dict[str, QLineEdit] = {}
        for key, label in (("low", "Low performance"), ("middle", "Middle performance"), ("high", "High performance")):
            edit = QLineEdit()
            edit.setAccessibleName(f"{label} anchor")
            edit.setPlaceholderText(f"What {label.lower()} sounds like")
            edit.textEdited.connect(lambda text, k=key: self._anchor_edited(k, text))
            form.addRow(label + ":", edit)
            self.anchor_edits[key] = edit
        layout.addWidget(box)
        self._update_total()

    # ------------------------------------------------------------ values

    def set_dimensions(self, dims: list[dict[str, Any]]) -> None:
        """Fills the table."""
        self._updating = True
        self.table.setRowCount(0)
        self._anchors = []
        for d in dims:
            self._append(d)
        self._updating = False
        if dims:
            self.table.setCurrentCell(0, NAME)
        self._update_total()

    def dimensions(self) -> list[dict[str, Any]]:
        """The rubric as dicts."""
        out = []
        for r in range(self.table.rowCount()):
            out.append({
                "name": self._text(r, NAME),
                "weight": self._spin(r).value(),
                "description": self._text(r, DESCRIPTION),
                "anchors": dict(self._anchors[r]),
            })
        return out

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def total(self) -> int:
        """Sum of the weights."""
        return sum(self._spin(r).value() for r in range(self.table.rowCount()))

    # ------------------------------------------------------------ editing

    def _spin(self, row: int) -> QSpinBox:
        return cast(QSpinBox, self.table.cellWidget(row, WEIGHT))  # _append puts a QSpinBox in every row

    def _append(self, d: dict[str, Any]) -> None:
        updating, self._updating = self._updating, True  # no edit signals while the row is half-built
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, NAME, QTableWidgetItem(str(d.get("name", ""))))
        self.table.setItem(r, DESCRIPTION, QTableWidgetItem(str(d.get("description", ""))))
        spin = QSpinBox()
        spin.setRange(0, 100)
        spin.setValue(int(d.get("weight", 0) or 0))
        spin.setSuffix(" %")
        spin.setAccessibleName(f"Weight of {d.get('name') or 'new dimension'}")
        spin.setToolTip("Share of the overall score; all weights must total 100")
        spin.valueChanged.connect(lambda _v: self._weights_changed())
        self.table.setCellWidget(r, WEIGHT, spin)
        anchors = d.get("anchors") or {}
        self._anchors.append({k: str(anchors.get(k, "")) for k in ("low", "middle", "high")})
        self._updating = updating

    def add_dimension(self) -> None:
        """Appends a dimension taking whatever weight is left."""
        left = max(0, 100 - self.total())
        self._append({"name": "", "weight": left})
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, NAME)
        item = self.table.item(row, NAME)
        if item is not None:  # _append just set it
            self.table.editItem(item)
        self._weights_changed()

    def remove_dimension(self) -> None:
        """Removes the selected dimension."""
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        del self._anchors[row]
        self._weights_changed()

    def balance(self) -> None:
        """Spreads 100 across the dimensions as evenly as whole numbers allow."""
        n = self.table.rowCount()
        if not n:
            return
        share, extra = divmod(100, n)
        self._updating = True
        for r in range(n):
            self._spin(r).setValue(share + (1 if r < extra else 0))
        self._updating = False
        self._weights_changed()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._updating:
            return
        if item.column() == NAME:
            self._spin(item.row()).setAccessibleName(f"Weight of {item.text() or 'new dimension'}")
        self.edited.emit()

    def _anchor_edited(self, key: str, text: str) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._anchors):
            self._anchors[row][key] = text
            self.edited.emit()

    def _show_anchors(self, row: int) -> None:
        values = self._anchors[row] if 0 <= row < len(self._anchors) else {}
        for key, edit in self.anchor_edits.items():
            edit.setText(values.get(key, ""))
            edit.setEnabled(0 <= row < len(self._anchors))
        self.remove_button.setEnabled(row >= 0)

    def _weights_changed(self) -> None:
        self._update_total()
        if not self._updating:
            self.edited.emit()

    def _update_total(self) -> None:
        ok, text = weight_status(self.total())
        self.total_label.setText(text)
        self.total_label.setAccessibleDescription(text)
        self.total_label.setProperty("state", "ok" if ok else "error")
        self.total_label.style().unpolish(self.total_label)
        self.total_label.style().polish(self.total_label)
        self.balance_button.setEnabled(self.table.rowCount() > 0)
        self._show_anchors(self.table.currentRow())
