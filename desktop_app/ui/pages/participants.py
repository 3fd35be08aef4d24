"""Participants: who is evaluated, against which template, and where they stand in its pipeline."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton

from desktop_app.ui.calls import op, session_op
from desktop_app.ui.list_page import ListPage
from desktop_app.ui.pages import common
from desktop_app.ui.prerequisites import when_ready
from desktop_app.ui.schedule_dialog import ask_schedule
from desktop_app.ui.table_model import Column
from desktop_app.ui.vocab import STATES
from desktop_app.ui.widgets import button

STANDINGS = [(label, key) for key, (label, _attention) in STATES.items()]


class ParticipantsPage(ListPage):
    """Participants with search, template / tag / standing filters, scheduling and resume import."""

    title = "Participants"
    singular = "participant"
    subtitle = "Candidates, trainees or students. Highlighted rows wait for your approval."
    kind = "participant"
    columns = [
        Column("name", "Name"),
        Column("email", "Email"),
        Column("template", "Template"),
        Column("stage", "Stage", sort=lambda r: (r.get("template", ""), r.get("stage_index", -1))),
        Column("state_label", "Standing", sort=lambda r: (not r.get("attention"), r.get("state_label", ""))),
        Column("external_id", "External id"),
        Column("tags", "Tags"),
    ]
    empty_title = "No participants yet"
    empty_text = "Add the people you will interview. Each belongs to a template, whose pipeline they go through."
    refresh_on = ("session", "result", "template", "stage")
    start_interview = Signal(str)  # session id
    open_session = Signal(str)

    def build_actions(self) -> None:
        self.new_button = button("New participant…", self.new, tip="Add a participant (Ctrl+N)", name="New participant")
        self.edit_button = button("Edit…", self.edit, tip="Edit the selected participant (Enter)",
                                  name="Edit participant")
        self.schedule_button = button("Schedule session…", self.schedule,
                                      tip="Schedule an interview at a stage of their pipeline")
        self.review_button = button("Review latest", self.review, tip="Open the latest session's review")
        self.archive_button = button("Archive", self.archive, tip="Hide from lists, keep their sessions",
                                     name="Archive participant")
        self.delete_button = button("Delete", self.delete, tip="Delete the participant and all their data (Del)",
                                    name="Delete participant")
        for b in (self.new_button, self.edit_button, self.schedule_button, self.review_button, self.archive_button,
                  self.delete_button):
            self.actions_row.addWidget(b)
        self.actions_row.addStretch(1)

    def build_filters(self) -> None:
        self.add_filter("template", "Template", [])
        self.add_filter("tag", "Tag", [])
        self.add_filter("state", "Standing", STANDINGS)

    def empty_actions(self) -> list[QPushButton]:
        return [button("Add a participant", self.new, primary=True)]

    def has_archive(self) -> bool:
        return True

    def refresh(self, select_id: str | None = None) -> None:
        self.ctx.ops.query(op("choices", "template"), lambda items: self.set_filter_items(
            "template", [(name, tid) for tid, name in items]))
        self.ctx.ops.query(op("tag_choices"), lambda tags: self.set_filter_items("tag", [(t, t) for t in tags]))
        super().refresh(select_id)

    def fetch_page(self, after: Any):
        """One page of participants by name; the search and filters run in the store over every participant."""
        return session_op("participant_list_page", template=self.filter_value("template"),
                          tag=self.filter_value("tag"), search=self.search.text().strip(),
                          include_archived=self.show_archived.isChecked(), state=self.filter_value("state"),
                          after=after)

    def update_actions(self) -> None:
        row = self.current()
        for b in (self.edit_button, self.schedule_button, self.archive_button, self.delete_button):
            b.setEnabled(row is not None)
        self.schedule_button.setEnabled(row is not None and not row.get("archived"))
        self.review_button.setEnabled(bool(row and row.get("session_id")))
        self.archive_button.setText("Restore" if row and row.get("archived") else "Archive")

    def new(self) -> None:
        data = {"template": self.filter_value("template") or ""}
        when_ready(self, self.ctx, "participant", lambda: common.open_editor(self, self.ctx, "participant", data=data),
                   self.navigate.emit)

    def edit(self) -> None:
        row = self.current()
        if row:
            common.open_editor(self, self.ctx, "participant", record_id=row["id"])

    def duplicate(self) -> None:
        """Participants are not duplicated (emails are unique per template)."""

    def archive(self) -> None:
        """Archives or restores the selected participant."""
        common.archive(self, self.ctx, "participant", self.current())

    def delete(self) -> None:
        common.delete(self, self.ctx, "participant", self.current())

    def schedule(self) -> None:
        """Schedules the selected participant at a stage; optionally starts the interview at once."""
        row = self.current()
        if row:
            participant_id = row["id"]
            when_ready(self, self.ctx, "schedule", lambda: ask_schedule(self, self.ctx, participant_id, self._scheduled),
                       self.navigate.emit, participant_id=participant_id)

    def _scheduled(self, session: dict[str, Any], start_now: bool) -> None:
        if start_now:
            self.start_interview.emit(session["id"])

    def review(self) -> None:
        """Opens the review of the participant's latest session."""
        row = self.current()
        if row and row.get("session_id"):
            self.open_session.emit(row["session_id"])
