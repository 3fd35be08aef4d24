"""Evaluation templates, each with its stage pipeline beneath the list."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QSplitter, QToolButton, QVBoxLayout, QWidget

from desktop_app.ui.calls import op
from desktop_app.ui.list_page import ListPage
from desktop_app.ui.pages import common
from desktop_app.ui.pages.profiles import new_menu
from desktop_app.ui.pipeline import PipelineView
from desktop_app.ui.prerequisites import when_ready
from desktop_app.ui.table_model import Column
from desktop_app.ui.vocab import PRESETS
from desktop_app.ui.widgets import button, pretty, show_error


class TemplatesPage(ListPage):
    """Templates: what the interview must determine; select one to see and edit its pipeline."""

    title = "Templates"
    singular = "template"
    subtitle = "A template is a role or programme. Its pipeline is the stages every participant goes through."
    kind = "template"
    columns = [
        Column("name", "Name"),
        Column("use_case", "Use case", fmt=lambda r: pretty(r["use_case"])),
        Column("status", "Status", fmt=lambda r: pretty(r["status"])),
        Column("duration_minutes", "Minutes", numeric=True),
        Column("mode", "Session mode", fmt=lambda r: pretty(r["mode"])),
    ]
    empty_title = "No templates yet"
    empty_text = ("Load a complete example (profile, template, stages and a participant) to see how it fits "
                  "together, or create a blank template.")
    open_session = Signal(str)

    def __init__(self, ctx: Any, parent=None) -> None:
        super().__init__(ctx, parent)
        self.pipeline = PipelineView(ctx)
        self.pipeline.open_session.connect(self.open_session)
        self.pipeline.navigate.connect(self.navigate)
        self.body.removeWidget(self.stack)
        self.body.removeWidget(self.count_label)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.stack, 1)
        top_layout.addWidget(self.count_label)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.pipeline)
        split.setSizes([2, 3])
        split.setChildrenCollapsible(False)
        self.body.insertWidget(0, split, 1)
        self.selection_changed.connect(lambda: self.pipeline.set_template(self.current()))

    def build_actions(self) -> None:
        self.new_button = QToolButton()
        self.new_button.setText("New template")
        self.new_button.setAccessibleName("New template")
        self.new_button.setToolTip("Create a template, blank or from a preset (Ctrl+N)")
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = new_menu(self, self.new, self.new_from_preset, "template")
        menu.addSeparator()
        for key, label in PRESETS.items():
            menu.addAction(f"Load the complete {label.lower()} example", partial(self.load_example, key))
        self.new_button.setMenu(menu)
        self.new_button.clicked.connect(lambda: self.new())
        self.edit_button = button("Edit…", self.edit, tip="Edit the selected template (Enter)", name="Edit template")
        self.dup_button = button("Duplicate", self.duplicate, tip="Copy the template with its stages (Ctrl+D)",
                                 name="Duplicate template")
        self.archive_button = button("Archive", self.archive, tip="Mark the template archived", name="Archive template")
        self.delete_button = button("Delete", self.delete, tip="Delete the selected template (Del)",
                                    name="Delete template")
        for b in (self.new_button, self.edit_button, self.dup_button, self.archive_button, self.delete_button):
            self.actions_row.addWidget(b)
        self.actions_row.addStretch(1)

    def build_filters(self) -> None:
        self.add_filter("use_case", "Use case", vocabulary="UseCase")
        self.add_filter("status", "Status", vocabulary="TemplateStatus")

    def empty_actions(self) -> list[QPushButton]:
        return [button("Load the hiring example", lambda: self.load_example("hiring"), primary=True),
                button("Load the training example", lambda: self.load_example("training")),
                button("Blank template", self.new)]

    def has_archive(self) -> bool:
        return True

    def fetch(self):
        search = self.search.text().strip()
        return op("list_rows", "template", search=search)

    def accept_row(self, row: dict[str, Any]) -> bool:
        use_case, status = self.filter_value("use_case"), self.filter_value("status")
        if status == "archived":
            return row["status"] == "archived"
        return (super().accept_row(row) and (use_case is None or row["use_case"] == use_case)
                and (status is None or row["status"] == status))

    def update_actions(self) -> None:
        row = self.current()
        for b in (self.edit_button, self.dup_button, self.archive_button, self.delete_button):
            b.setEnabled(row is not None)
        self.archive_button.setText("Restore" if row and row.get("archived") else "Archive")

    def new(self) -> None:
        when_ready(self, self.ctx, "template",
                   lambda: common.open_editor(self, self.ctx, "template", data={"name": "", "use_case": "hiring"}),
                   self.navigate.emit)

    def new_from_preset(self, preset: str) -> None:
        """Opens the template editor pre-filled from a preset."""

        def read(store: Any) -> dict[str, Any]:
            from desktop_app.ui import operations

            data = operations.preset_object(preset, "template")
            data["name"] = operations.unique_name(store, "template", data["name"])
            return data

        self.ctx.ops.query(read, lambda data: common.open_editor(self, self.ctx, "template", data=data),
                           lambda exc: show_error(self, "Cannot read the preset", exc))

    def load_example(self, preset: str) -> None:
        """Imports a whole preset setup."""
        self.ctx.ops.change(op("load_preset", preset), None,
                            lambda exc: show_error(self, "Cannot load the example", exc), initiator=self)

    def edit(self) -> None:
        row = self.current()
        if row:
            common.open_editor(self, self.ctx, "template", record_id=row["id"])

    def duplicate(self) -> None:
        common.duplicate(self, self.ctx, "template", self.current())

    def archive(self) -> None:
        """Archives or restores the selected template."""
        common.archive(self, self.ctx, "template", self.current())

    def delete(self) -> None:
        common.delete(self, self.ctx, "template", self.current())
