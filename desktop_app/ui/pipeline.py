"""A template's pipeline: stage cards in order (drag to reorder) and where each participant stands."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.calls import op, session_op
from desktop_app.ui.changes import OpChanges
from desktop_app.ui.list_page import RecordTable
from desktop_app.ui.pages import common
from desktop_app.ui.prerequisites import when_ready
from desktop_app.ui.table_model import Column
from desktop_app.ui.widgets import button, heading, hint, pretty, scaled_font, show_error

STAGE_ROLE = Qt.ItemDataRole.UserRole


def stage_lines(stage: dict[str, Any]) -> list[str]:
    """The detail lines of a stage card."""
    retry = "retry allowed" if stage["allow_retry"] else "no retry"
    then = "advances automatically" if stage["on_completion"] == "auto_advance" else "waits for approval"
    return [pretty(stage["type"]), f"Interviewer: {stage['profile']}", f"Pass at {stage['pass_threshold']:g} · {retry}",
            f"Then {then}"]


class StageCardDelegate(QStyledItemDelegate):
    """Draws a stage as a numbered card; amber marker when participants there await approval."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = option.fontMetrics
        return QSize(fm.averageCharWidth() * 40, fm.lineSpacing() * 7 + 16)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        stage = index.data(STAGE_ROLE) or {}
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect).adjusted(6, 6, -6, -6)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight) if selected
                            else palette.color(QPalette.ColorRole.Mid), 2 if selected else 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 8, 8)
        fm = option.fontMetrics
        x, y = rect.left() + 10, rect.top() + 8
        bold = scaled_font(option.font, 1.1, bold=True)
        painter.setFont(bold)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        title = QFontMetrics(bold).elidedText(f"{index.row() + 1}. {stage.get('name', '')}",
                                              Qt.TextElideMode.ElideRight, int(rect.width() - 20))
        painter.drawText(QRectF(x, y, rect.width() - 20, fm.lineSpacing() * 1.4), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(option.font)
        y += fm.lineSpacing() * 1.5
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for text in stage_lines(stage) if stage else []:
            painter.drawText(QRectF(x, y, rect.width() - 20, fm.lineSpacing()), Qt.AlignmentFlag.AlignLeft,
                             fm.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width() - 20)))
            y += fm.lineSpacing()
        here, waiting = stage.get("here", 0), stage.get("waiting", 0)
        if here or waiting:
            note = f"{here} here" + (f" · {waiting} awaiting approval" if waiting else "")
            painter.setPen(QPen(Qt.GlobalColor.darkYellow if waiting else palette.color(QPalette.ColorRole.Text)))
            painter.drawText(QRectF(x, y + 2, rect.width() - 20, fm.lineSpacing()), Qt.AlignmentFlag.AlignLeft, note)
        painter.restore()


class StageStrip(QListWidget):
    """Stage cards left to right; dragging a card reorders the pipeline."""

    reordered = Signal(list)  # stage ids in the new order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setItemDelegate(StageCardDelegate(self))
        self.setSpacing(2)
        self.setAccessibleName("Stages in order")
        self.setAccessibleDescription("Drag a stage, or use Move earlier / Move later, to change the order")
        self.model().rowsMoved.connect(lambda *_: self.reordered.emit(self.stage_ids()))

    def set_stages(self, stages: list[dict[str, Any]]) -> None:
        """Shows the stages."""
        current = (self.currentItem().data(STAGE_ROLE) or {}).get("id") if self.currentItem() else None
        self.blockSignals(True)
        self.clear()
        for stage in stages:
            item = QListWidgetItem(stage["name"])
            item.setData(STAGE_ROLE, stage)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{stage['name']}: " + ", ".join(stage_lines(stage)))
            item.setToolTip("\n".join([stage["name"], *stage_lines(stage)]))
            self.addItem(item)
            if stage["id"] == current:
                self.setCurrentItem(item)
        self.blockSignals(False)

    def stage_ids(self) -> list[str]:
        """Ids in display order."""
        return [self.item(i).data(STAGE_ROLE)["id"] for i in range(self.count())]

    def current_stage(self) -> dict[str, Any] | None:
        """The selected stage."""
        item = self.currentItem()
        return item.data(STAGE_ROLE) if item else None


class PipelineView(QWidget):
    """Stages of one template and its participants' standing; pending approvals highlighted."""

    open_session = Signal(str)  # session id to review
    navigate = Signal(str)  # another page's kind, when something must be created first

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.template: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = heading("Pipeline", 1.15)
        top.addWidget(self.title, 1)
        self.add_button = button("Add stage…", self.add_stage, tip="Add a stage at the end of the pipeline")
        self.edit_button = button("Edit stage…", self.edit_stage, tip="Edit the selected stage")
        self.earlier_button = button("Move earlier", lambda: self.move_stage(-1), tip="Move the selected stage one step earlier")
        self.later_button = button("Move later", lambda: self.move_stage(1), tip="Move the selected stage one step later")
        self.remove_button = button("Remove stage", self.remove_stage, tip="Delete the selected stage")
        for b in (self.add_button, self.edit_button, self.earlier_button, self.later_button, self.remove_button):
            top.addWidget(b)
        layout.addLayout(top)
        self.note = hint("Select a template above to see its stages.")
        layout.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Vertical)
        self.strip = StageStrip()
        self.strip.reordered.connect(self._reordered)
        self.strip.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.strip.doubleClicked.connect(lambda _i: self.edit_stage())
        split.addWidget(self.strip)
        people = QWidget()
        pl = QVBoxLayout(people)
        pl.setContentsMargins(0, 0, 0, 0)
        self.people_label = QLabel("Participants")
        self.people_label.setFont(scaled_font(self.people_label.font(), 1.0, bold=True))
        pl.addWidget(self.people_label)
        self.people = RecordTable([
            Column("name", "Participant"),
            Column("stage", "Stage", sort=lambda r: r["stage_index"]),
            Column("state_label", "Standing", sort=lambda r: (not r["attention"], r["state_label"])),
            Column("tags", "Tags"),
        ], "Participants in this pipeline")
        self.people.doubleClicked.connect(lambda _i: self._open_person())
        pl.addWidget(self.people, 1)
        split.addWidget(people)
        split.setSizes([1, 2])
        layout.addWidget(split, 1)
        ctx.ops.changed.connect(self._on_changed)
        self._update_buttons()

    def set_template(self, template: dict[str, Any] | None) -> None:
        """Shows the pipeline of a template (None clears it)."""
        self.template = template
        self.title.setText(f"Pipeline of {template['name']}" if template else "Pipeline")
        self.refresh()

    def refresh(self) -> None:
        """Reloads stages and standings."""
        if self.template is None:
            self.strip.set_stages([])
            self.people.set_rows([])
            self.note.setText("Select a template above to see its stages.")
            self._update_buttons()
            return
        template_id = self.template["id"]
        self.ctx.ops.query(session_op("pipeline_overview", template_id), self._show)

    def _show(self, overview: dict[str, Any]) -> None:
        if self.template is None or overview["template_id"] != self.template["id"]:
            return
        stages = overview["stages"]
        people = overview["participants"]
        for i, stage in enumerate(stages):
            stage["here"] = sum(1 for p in people if p["stage_index"] == i)
            stage["waiting"] = sum(1 for p in people if p["stage_index"] == i and p["attention"])
        self.strip.set_stages(stages)
        self.people.set_rows(people)
        waiting = sum(1 for p in people if p["attention"])
        self.people_label.setText(f"Participants ({len(people)})" + (f" · {waiting} awaiting approval" if waiting else ""))
        self.note.setText("No stages yet: add the first one." if not stages else
                          "Drag a stage card to change the order. Highlighted participants await approval.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_template = self.template is not None
        stage = self.strip.current_stage()
        row = self.strip.currentRow()
        self.add_button.setEnabled(has_template)
        for b in (self.edit_button, self.remove_button):
            b.setEnabled(stage is not None)
        self.earlier_button.setEnabled(stage is not None and row > 0)
        self.later_button.setEnabled(stage is not None and row < self.strip.count() - 1)

    def _on_changed(self, changes: OpChanges, _initiator: object) -> None:
        if self.template is not None and changes.touches("stage", "participant", "session", "result", "profile"):
            self.refresh()

    # ------------------------------------------------------------ actions

    def add_stage(self) -> None:
        """Opens the stage editor for a new last stage."""
        if self.template is None:
            return
        # No pass_threshold: the stage editor suggests one on the chosen profile's scale.
        data = {"template": self.template["id"], "name": "", "type": "ai_interview", "order": self.strip.count(),
                "on_completion": "wait_for_approval"}
        when_ready(self, self.ctx, "stage", lambda: common.open_editor(self, self.ctx, "stage", data=data),
                   self.navigate.emit)

    def edit_stage(self) -> None:
        """Opens the stage editor for the selected stage."""
        stage = self.strip.current_stage()
        if stage:
            common.open_editor(self, self.ctx, "stage", record_id=stage["id"])

    def remove_stage(self) -> None:
        """Deletes the selected stage after confirmation."""
        common.delete(self, self.ctx, "stage", self.strip.current_stage())

    def move_stage(self, step: int) -> None:
        """Moves the selected stage earlier (-1) or later (+1)."""
        row = self.strip.currentRow()
        ids = self.strip.stage_ids()
        target = row + step
        if row < 0 or not 0 <= target < len(ids):
            return
        ids.insert(target, ids.pop(row))
        self._reordered(ids)

    def _reordered(self, ids: list[str]) -> None:
        if self.template is None:
            return
        template_id = self.template["id"]

        def failed(exc: Exception) -> None:
            show_error(self, "Cannot reorder the stages", exc)
            self.refresh()

        self.ctx.ops.change(op("reorder_stages", template_id, ids), None, failed, initiator=self)

    def _open_person(self) -> None:
        row = self.people.current_row()
        if row and row.get("session_id"):
            self.open_session.emit(row["session_id"])
