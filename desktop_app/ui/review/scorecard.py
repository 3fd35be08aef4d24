"""The scorecard preview: the PDF rendered to page images off the GUI thread, and saving it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.ui.ops import message_of
from desktop_app.ui.review import adapter
from desktop_app.ui.widgets import button, hint


class PageImage(QLabel):
    """A page picture that shrinks to the width it is given (never enlarged past its rendering)."""

    def __init__(self, pixmap: QPixmap) -> None:
        super().__init__()
        self.page = pixmap
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._fit(self.page.width())

    def _fit(self, width: int) -> None:
        width = max(1, min(width, self.page.width()))
        scaled = self.page.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.setPixmap(scaled)
        self.setFixedHeight(scaled.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.pixmap() is None or abs(self.pixmap().width() - min(self.width(), self.page.width())) > 2:
            self._fit(self.width())


class ScorecardPreview(QWidget):
    """Pages of the scorecard as images; 'Save PDF…' copies the rendered file where the user wants it."""

    def __init__(self, ctx: Any, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session_id = session_id
        self.pdf: Path | None = None
        self.default_name = "scorecard.pdf"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.note = hint("The printed scorecard, as it will look.")
        self.render_button = button("Refresh preview", self.refresh, tip="Render the scorecard again")
        self.save_button = button("Save PDF…", self.save, tip="Save the scorecard as a PDF file", primary=True)
        self.save_button.setEnabled(False)
        row.addWidget(self.note, 1)
        row.addWidget(self.render_button)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAccessibleName("Scorecard pages")
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.scroll_area.setWidget(self.pages)
        layout.addWidget(self.scroll_area, 1)

    def refresh(self) -> None:
        """Renders the PDF and its page images in the background."""
        self.render_button.setEnabled(False)
        self.note.setText("Rendering the scorecard…")
        session_id = self.session_id
        self.ctx.tasks.run(lambda: adapter.preview_pages(self.ctx, session_id), self._show, self._failed,
                           name="viva-scorecard")

    def _show(self, result: tuple[Path, list[Path]]) -> None:
        pdf, images = result
        self.pdf = pdf
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for i, path in enumerate(images, start=1):
            page = PageImage(QPixmap(str(path)))
            page.setAccessibleName(f"Scorecard page {i}")
            self.pages_layout.addWidget(page)
        self.note.setText(f"{len(images)} page(s). Save the PDF to print or send it.")
        self.render_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _failed(self, exc: Exception) -> None:
        self.note.setText(f"The scorecard could not be drawn: {message_of(exc)}")
        self.render_button.setEnabled(True)

    def save(self, path: str | None = None) -> None:
        """Writes the scorecard PDF (audited as an export) to a chosen file, off the GUI thread."""
        path = path or QFileDialog.getSaveFileName(self, "Save scorecard", str(Path.home() / self.default_name),
                                                   "PDF files (*.pdf)")[0]
        if not path:
            return
        self.save_button.setEnabled(False)
        self.note.setText("Saving…")
        self.saved_path: Path | None = None
        session_id = self.session_id
        self.ctx.tasks.run(lambda: adapter.save_scorecard(self.ctx, session_id, path), self._saved, self._save_failed,
                           name="viva-scorecard-save")

    def _saved(self, path: Path) -> None:
        self.saved_path = path
        self.save_button.setEnabled(True)
        self.note.setText(f"Saved to {path}")

    def _save_failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        self.note.setText(f"Could not save: {message_of(exc)}")
