"""The agent profiles list: new (blank or from a preset), edit, duplicate, archive, delete."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import QMenu, QPushButton, QToolButton

from desktop_app.ui.calls import op
from desktop_app.ui.list_page import ListPage
from desktop_app.ui.pages import common
from desktop_app.ui.table_model import Column
from desktop_app.ui.vocab import PRESETS
from desktop_app.ui.widgets import button, pretty, show_error

BLANK_PROFILE: dict[str, Any] = {
    "name": "", "persona": "", "use_case": "hiring",
    "rubric": [{"name": "Communication", "weight": 50, "description": "Explains clearly and concisely."},
               {"name": "Problem solving", "weight": 50, "description": "Breaks a problem down and reasons to a solution."}],
}


def new_menu(parent: Any, on_blank: Callable[[], None], on_preset: Callable[[str], None], what: str) -> QMenu:
    """'Blank' plus one entry per preset."""
    menu = QMenu(parent)
    menu.setAccessibleName(f"New {what}")
    menu.addAction(f"Blank {what}", on_blank)
    menu.addSeparator()
    for key, label in PRESETS.items():
        menu.addAction(f"From the {label.lower()} preset", partial(on_preset, key))
    return menu


class ProfilesPage(ListPage):
    """Agent profiles: the interviewer's persona, rubric and scoring."""

    title = "Agent profiles"
    singular = "agent profile"
    subtitle = "The interviewer: how it introduces itself, how hard it pushes and the rubric it scores against."
    kind = "profile"
    columns = [
        Column("name", "Name"),
        Column("use_case", "Use case", fmt=lambda r: pretty(r["use_case"])),
        Column("dimensions", "Dimensions", numeric=True),
        Column("scale", "Scale"),
        Column("method", "Scoring", fmt=lambda r: pretty(r["method"])),
        Column("updated_at", "Updated", fmt=lambda r: r["updated_at"][:16].replace("T", " ")),
    ]
    empty_title = "No agent profiles yet"
    empty_text = "A profile is the interviewer. Start from a preset and adjust the rubric to your needs."
    refresh_on = ("stage",)

    def build_actions(self) -> None:
        self.new_button = QToolButton()
        self.new_button.setText("New profile")
        self.new_button.setAccessibleName("New profile")
        self.new_button.setToolTip("Create a profile, blank or from a preset (Ctrl+N)")
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.new_button.setMenu(new_menu(self, self.new, self.new_from_preset, "profile"))
        self.new_button.clicked.connect(lambda: self.new())
        self.edit_button = button("Edit…", self.edit, tip="Edit the selected profile (Enter)", name="Edit profile")
        self.dup_button = button("Duplicate", self.duplicate, tip="Copy the selected profile (Ctrl+D)",
                                 name="Duplicate profile")
        self.archive_button = button("Archive", self.archive, tip="Hide from pickers, keep for history",
                                     name="Archive profile")
        self.delete_button = button("Delete", self.delete, tip="Delete the selected profile (Del)", name="Delete profile")
        for b in (self.new_button, self.edit_button, self.dup_button, self.archive_button, self.delete_button):
            self.actions_row.addWidget(b)
        self.actions_row.addStretch(1)

    def build_filters(self) -> None:
        self.add_filter("use_case", "Use case", vocabulary="UseCase")

    def empty_actions(self) -> list[QPushButton]:
        return [button("Start from the hiring preset", lambda: self.new_from_preset("hiring"), primary=True),
                button("Blank profile", self.new)]

    def has_archive(self) -> bool:
        return True

    def fetch(self):
        search = self.search.text().strip()
        return op("list_rows", "profile", search=search)

    def accept_row(self, row: dict[str, Any]) -> bool:
        use_case = self.filter_value("use_case")
        return super().accept_row(row) and (use_case is None or row["use_case"] == use_case)

    def update_actions(self) -> None:
        row = self.current()
        for b in (self.edit_button, self.dup_button, self.archive_button, self.delete_button):
            b.setEnabled(row is not None)
        self.archive_button.setText("Restore" if row and row.get("archived") else "Archive")

    def new(self) -> None:
        common.open_editor(self, self.ctx, "profile", data=dict(BLANK_PROFILE))

    def new_from_preset(self, preset: str) -> None:
        """Opens the editor pre-filled with a preset's profile under a free name."""

        def read(store: Any) -> dict[str, Any]:
            from desktop_app.ui import operations

            data = operations.preset_object(preset, "profile")
            data["name"] = operations.unique_name(store, "profile", data["name"])
            return data

        self.ctx.ops.query(read, lambda data: common.open_editor(self, self.ctx, "profile", data=data),
                           lambda exc: show_error(self, "Cannot read the preset", exc))

    def edit(self) -> None:
        row = self.current()
        if row:
            common.open_editor(self, self.ctx, "profile", record_id=row["id"])

    def duplicate(self) -> None:
        common.duplicate(self, self.ctx, "profile", self.current())

    def archive(self) -> None:
        """Archives or restores the selected profile."""
        common.archive(self, self.ctx, "profile", self.current())

    def delete(self) -> None:
        common.delete(self, self.ctx, "profile", self.current())
