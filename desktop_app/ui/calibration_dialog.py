"""Calibration window: rate a file of human-rated answers with the model, then show agreement and confusion."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.ops import message_of
from desktop_app.ui.widgets import InlineMessage, button, combo, fit_to_screen, heading, hint, name_buttons

FILE_FILTER = "Calibration files (*.json *.csv);;All files (*)"
COLUMNS = ("Dimension", "n", "QWK", "Spearman", "MAD (1-5)", "MAD (0-10)")


def _na(value: float | None, pattern: str = ".2f") -> str:
    return "n/a" if value is None else format(value, pattern)


def _cell(text: str, *, numeric: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(rows: int, columns: int, name: str) -> QTableWidget:
    table = QTableWidget(rows, columns)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    return table


class CalibrationDialog(QDialog):
    """Chooses a calibration file, runs it in the background with progress and cancel, shows the results."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._cancel = threading.Event()
        self.running = False
        self.report: Any = None
        self.error: str = ""
        self.setWindowTitle("Calibration against human ratings")
        self.setAccessibleName("Calibration against human ratings")
        fm = self.fontMetrics()
        fit_to_screen(self, fm.averageCharWidth() * 110, fm.lineSpacing() * 44)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Calibration against human ratings", 1.2))
        layout.addWidget(hint(
            "Give a JSON or CSV file of answers that people rated from 1 to 5 on rubric dimensions. The active "
            "language model rates the same answers; the table shows how closely it agrees: quadratic weighted "
            "kappa (QWK, 1 = perfect), Spearman rank correlation and the mean absolute difference (MAD). "
            "n/a means too few ratings, or every answer got the same rating."))
        form = QFormLayout()
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName("Calibration file")
        self.path.setPlaceholderText("calibration.json or calibration.csv")
        row.addWidget(self.path, 1)
        row.addWidget(button("Choose…", self.choose, tip="Choose the calibration file", name="Choose calibration file"))
        caption = QLabel("&File:")
        caption.setBuddy(self.path)
        form.addRow(caption, row)
        self.limit = QSpinBox()
        self.limit.setRange(0, 100000)
        self.limit.setSpecialValueText("all")
        self.limit.setAccessibleName("Items to rate (0 for all)")
        self.limit.setToolTip("Rate only the first N items of the file; all when set to 0")
        caption = QLabel("&Items:")
        caption.setBuddy(self.limit)
        form.addRow(caption, self.limit)
        layout.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Calibration progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Calibration summary")
        layout.addWidget(self.summary)
        self.table = _table(0, len(COLUMNS), "Agreement by dimension")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._row_selected)
        layout.addWidget(self.table, 2)
        pick = QHBoxLayout()
        self.matrix_for = combo([], "Confusion matrix of dimension", tip="Which dimension's confusion matrix to show")
        self.matrix_for.currentIndexChanged.connect(self._show_matrix)
        caption = QLabel("&Confusion matrix (rows: people, columns: model, rounded) for:")
        caption.setBuddy(self.matrix_for)
        pick.addWidget(caption)
        pick.addWidget(self.matrix_for, 1)
        layout.addLayout(pick)
        self.matrix = _table(0, 0, "Confusion matrix")
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.matrix, 2)
        self.buttons = QDialogButtonBox()
        self.run_button = self.buttons.addButton("Run calibration", QDialogButtonBox.ButtonRole.AcceptRole)
        self.run_button.setAccessibleName("Run calibration")
        self.run_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.run_button.clicked.connect(lambda _checked=False: self.start())
        self.close_button.clicked.connect(self.stop_or_close)
        layout.addWidget(name_buttons(self.buttons))

    # ------------------------------------------------------------ running

    def choose(self) -> None:
        """Picks the calibration file."""
        start = self.path.text() or str(Path.home())
        path = QFileDialog.getOpenFileName(self, "Calibration file", start, FILE_FILTER)[0]
        if path:
            self.path.setText(path)

    def start(self, path: str | None = None) -> None:
        """Validates and rates the file on a background thread (the model may take a while to load)."""
        if self.running:
            return
        if path is not None:
            self.path.setText(path)
        text = self.path.text().strip()
        if not text:
            self.message.show_error("Choose a calibration file first.")
            return
        self.running = True
        self.error = ""
        self._cancel.clear()
        self.run_button.setEnabled(False)
        self.close_button.setText("Cancel")
        self.close_button.setAccessibleName("Cancel calibration")
        self.message.show_ok("Checking the file…")
        self.progress.setRange(0, 0)
        limit = self.limit.value() or None
        cancel = self._cancel

        def work(report: Any) -> Any:
            from desktop_app.ui import quality_ops

            return quality_ops.calibrate(self.ctx, text, report, cancel, limit)

        self.ctx.tasks.run(work, self._done, self._failed, name="viva-calibration", progress=self._progress)

    def _progress(self, update: tuple[int, int, str]) -> None:
        done, total, text = update
        if not self.running:
            return
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if text:
            self.message.show_ok(f"Rating {text} ({done} of {total} done)" if text.startswith("item") else text)

    def _finish(self) -> None:
        self.running = False
        self.run_button.setEnabled(True)
        self.close_button.setText("Close")
        self.close_button.setAccessibleName("Close")
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)

    def _done(self, report: Any) -> None:
        self._finish()
        self.report = report
        self.progress.setValue(self.progress.maximum() if not report.cancelled else report.items_rated)
        verb = "Stopped after" if report.cancelled else "Rated"
        self.message.show_ok(f"{verb} {report.items_rated} of {report.items_in_file} item(s) with {report.model}.")
        self.show_report(report)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.error = message_of(exc)
        self.message.show_error(self.error)

    def stop_or_close(self) -> None:
        """Cancels a running calibration (after the current item), or closes."""
        if self.running:
            self._cancel.set()
            self.message.show_ok("Cancelling after the current item…")
            return
        self.reject()

    def reject(self) -> None:  # Qt API
        """Closing also stops a running calibration."""
        self._cancel.set()
        super().reject()

    # ------------------------------------------------------------ results

    def show_report(self, report: Any) -> None:
        """Fills the agreement table and the confusion-matrix picker."""
        rows = list(report.dimensions) + [report.pooled]
        notes = [f"{report.pooled.n} rating(s) of {report.items_rated} item(s) from {report.source}; "
                 f"model {report.model}."]
        if report.pooled.n < 30:
            notes.append("Fewer than 30 ratings: treat these figures as rough.")
        if report.missing:
            notes.append("No model rating for: " + ", ".join(report.missing) + ".")
        self.summary.setText(" ".join(notes))
        self.summary.setAccessibleDescription(self.summary.text())
        self.table.setRowCount(len(rows))
        for r, d in enumerate(rows):
            values = (d.dimension, str(d.n), _na(d.qwk), _na(d.spearman), _na(d.mad), _na(d.mad_0_10, ".1f"))
            for c, value in enumerate(values):
                item = _cell(value, numeric=c > 0)
                if d is report.pooled:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self._rows = rows
        self.matrix_for.blockSignals(True)
        self.matrix_for.clear()
        for d in rows:
            self.matrix_for.addItem(d.dimension, d.dimension)
        self.matrix_for.blockSignals(False)
        self.matrix_for.setCurrentIndex(0)
        self._show_matrix(0)

    def _row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.matrix_for.setCurrentIndex(rows[0].row())

    def _show_matrix(self, index: int) -> None:
        rows = getattr(self, "_rows", [])
        if not 0 <= index < len(rows):
            self.matrix.setRowCount(0)
            self.matrix.setColumnCount(0)
            return
        confusion = rows[index].confusion
        k = len(confusion)
        self.matrix.setRowCount(k)
        self.matrix.setColumnCount(k)
        self.matrix.setHorizontalHeaderLabels([f"model {j + 1}" for j in range(k)])
        self.matrix.setVerticalHeaderLabels([f"people {i + 1}" for i in range(k)])
        for i, row in enumerate(confusion):
            for j, count in enumerate(row):
                item = _cell(str(count))
                if i == j and count:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.matrix.setItem(i, j, item)
        self.matrix.setAccessibleDescription(f"Confusion matrix of {rows[index].dimension}")
