"""Batch export of scorecards and result files, with a progress bar and a cancel button."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.ops import message_of
from desktop_app.ui.review import adapter
from desktop_app.ui.widgets import InlineMessage, button, heading, hint, name_buttons

FORMATS = (("pdf", "Scorecard PDFs"), ("csv", "CSV table of results"), ("json", "JSON with scores and evidence"))


class ExportDialog(QDialog):
    """Chooses a folder and formats; exports in the background reporting progress."""

    def __init__(self, ctx: Any, session_ids: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session_ids = session_ids
        self._cancel = threading.Event()
        self.running = False
        self.result_summary: Any = None
        self.setWindowTitle("Export results")
        self.setAccessibleName("Export results")
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Export results", 1.2))
        layout.addWidget(hint(f"{len(session_ids)} session(s) listed; those with scores are exported. "
                              "External ids are included in every file."))
        form = QFormLayout()
        row = QHBoxLayout()
        self.folder = QLineEdit(str(ctx.paths.exports))
        self.folder.setAccessibleName("Export folder")
        row.addWidget(self.folder, 1)
        row.addWidget(button("Choose…", self.choose, tip="Choose the export folder", name="Choose export folder"))
        caption = QLabel("&Folder:")
        caption.setBuddy(self.folder)
        form.addRow(caption, row)
        self.checks: dict[str, QCheckBox] = {}
        for key, label in FORMATS:
            box = QCheckBox(label)
            box.setChecked(True)
            box.setAccessibleName(label)
            form.addRow("", box)
            self.checks[key] = box
        layout.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, max(1, len(session_ids)))
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setAccessibleName("Start export")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.start)
        if not session_ids:
            self.export_button.setEnabled(False)
            self.message.show_error("No sessions are listed: change the filters on the Sessions list first.")
        self.close_button.clicked.connect(self.stop_or_close)
        layout.addWidget(name_buttons(self.buttons))

    def choose(self) -> None:
        """Picks the export folder."""
        folder = QFileDialog.getExistingDirectory(self, "Export folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def start(self) -> None:
        """Runs the export on a background thread."""
        formats = {k for k, box in self.checks.items() if box.isChecked()}
        if not formats:
            self.message.show_error("Choose at least one format.")
            return
        folder = Path(self.folder.text()).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.message.show_error(f"Cannot use that folder: {exc.strerror or exc}")
            return
        self.running = True
        self._cancel.clear()
        self.export_button.setEnabled(False)
        self.close_button.setText("Cancel")
        self.message.show_ok("Exporting…")
        ids = list(self.session_ids)
        self.ctx.tasks.run(lambda report: adapter.export_batch(self.ctx, ids, folder, formats, report,
                                                               self._cancel.is_set),
                           self._done, self._failed, name="viva-export", progress=self._progress)

    def _progress(self, update: tuple[int, int, str]) -> None:
        done, total, text = update
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if text:
            self.message.show_ok(text)

    def _done(self, summary: Any) -> None:
        self.running = False
        self.result_summary = summary
        self.progress.setValue(self.progress.maximum())
        summary = summary if isinstance(summary, dict) else {}
        count = len(summary.get("scorecards") or []) + sum(1 for k in ("csv", "json") if summary.get(k))
        verb = "Stopped after" if summary.get("cancelled") else "Exported"
        self.message.show_ok(f"{verb} {count} file(s) in {self.folder.text()}")
        self.export_button.setEnabled(True)
        self.close_button.setText("Close")

    def _failed(self, exc: Exception) -> None:
        self.running = False
        self.message.show_error(f"Export stopped: {message_of(exc)}")
        self.export_button.setEnabled(True)
        self.close_button.setText("Close")

    def stop_or_close(self) -> None:
        """Cancels a running export, or closes."""
        if self.running:
            self._cancel.set()
            self.message.show_ok("Cancelling after the current file…")
            return
        self.reject()
