"""Sessions: every interview, filtered by template, stage and status; start, review, cancel, export."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton

from desktop_app.core.outcome import format_score, recommendation_words
from desktop_app.ui.calls import op, session_op
from desktop_app.ui.list_page import ListPage
from desktop_app.ui.table_model import Column
from desktop_app.ui.widgets import button, confirm, pretty, show_error


def _score(row: dict[str, Any]) -> str:
    return "" if row.get("overall") is None else format_score(row["overall"])


def _recommendation(row: dict[str, Any]) -> str:
    return recommendation_words(row["recommendation"]) if row.get("recommendation") else ""


def _sign_off(row: dict[str, Any]) -> str:
    decision = row.get("decision")
    return "Signed off" if decision == "approved" else pretty(decision) if decision else ""


def _when(row: dict[str, Any]) -> str:
    return (row.get("started_at") or row.get("created_at") or "")[:16].replace("T", " ")


class SessionsPage(ListPage):
    """All sessions, newest first; highlighted ones are scored and wait for sign-off."""

    title = "Sessions"
    singular = "session"
    subtitle = "Each session is one interview of one participant at one stage."
    kind = "session"
    columns = [
        Column("participant", "Participant"),
        Column("template", "Template"),
        Column("stage", "Stage"),
        Column("status", "Status", fmt=lambda r: pretty(r["status"])),
        Column("overall", "Score", fmt=_score, numeric=True),
        Column("recommendation", "Recommendation", fmt=_recommendation),
        Column("decision", "Sign-off", fmt=_sign_off),
        Column("attempt", "Attempt", numeric=True),
        Column("created_at", "When", fmt=_when, sort=_when),
    ]
    empty_title = "No sessions yet"
    empty_text = "Schedule a session from the Participants list, then start the interview here."
    default_sort = (8, "descending")
    refresh_on = ("result", "participant", "stage", "template")
    start_interview = Signal(str)
    open_session = Signal(str)
    export_requested = Signal(list)  # session ids

    def build_actions(self) -> None:
        self.start_button = button("Start interview…", self.start, tip="Open the interview room for this session",
                                   primary=True)
        self.review_button = button("Review…", self.edit, tip="Transcript, scores and approval (Enter)",
                                    name="Review session")
        self.cancel_button = button("Cancel session", self.delete, tip="Cancel a scheduled session (Del)")
        self.export_button = button("Export…", self.export, tip="Scorecards and result files for the listed sessions",
                                    name="Export sessions")
        for b in (self.start_button, self.review_button, self.cancel_button, self.export_button):
            self.actions_row.addWidget(b)
        self.actions_row.addStretch(1)

    def build_filters(self) -> None:
        self.add_filter("template", "Template", [])
        self.add_filter("stage", "Stage", [])
        self.add_filter("status", "Status", vocabulary="SessionStatus")
        self.filters["template"].currentIndexChanged.connect(lambda _i: self._fill_stages())

    def refresh(self, select_id: str | None = None) -> None:
        self.ctx.ops.query(op("choices", "template"),
                           lambda items: self.set_filter_items("template", [(n, i) for i, n in items]))
        super().refresh(select_id)

    def _fill_stages(self) -> None:
        template = self.filter_value("template")
        if template is None:
            self.set_filter_items("stage", [])
            return
        self.ctx.ops.query(op("choices", "stage", template=template),
                           lambda items: self.set_filter_items("stage", [(n, i) for i, n in items]))

    def _filters(self) -> dict[str, Any]:
        return {"template": self.filter_value("template"), "stage": self.filter_value("stage"),
                "status": self.filter_value("status"), "search": self.search.text().strip()}

    def fetch_page(self, after: Any):
        """One page of sessions, newest first; the search and filters run in the store over every session."""
        return session_op("session_list_page", after=after, **self._filters())

    def update_actions(self) -> None:
        row = self.current()
        status = row["status"] if row else None
        self.start_button.setEnabled(status in ("scheduled", "in_progress"))
        self.review_button.setEnabled(status is not None and status != "scheduled")
        self.cancel_button.setEnabled(status in ("scheduled", "in_progress"))
        self.export_button.setEnabled(self.table.proxy.rowCount() > 0)

    def new(self) -> None:
        """Sessions are scheduled from a participant: go there."""
        self.navigate.emit("participant")

    def start(self) -> None:
        """Opens the interview room for the selected session."""
        row = self.current()
        if row and row["status"] in ("scheduled", "in_progress"):
            self.start_interview.emit(row["id"])

    def edit(self) -> None:
        row = self.current()
        if row and row["status"] != "scheduled":
            self.open_session.emit(row["id"])

    def delete(self) -> None:
        """Cancels the selected session after confirmation (sessions are kept, not deleted)."""
        row = self.current()
        if not row or row["status"] not in ("scheduled", "in_progress"):
            return
        if not confirm(self, "Cancel session", f"Cancel {row['participant']}'s {row['stage']} session?",
                       action="Cancel session", informative="The session stays in the history as cancelled."):
            return
        session_id = row["id"]
        self.ctx.ops.change(session_op("cancel", session_id, "cancelled by the operator"), None,
                            lambda exc: show_error(self, "Cannot cancel the session", exc), initiator=self)

    def export(self) -> None:
        """Asks the main window to export the sessions the list shows: every match, also on pages not loaded yet."""
        self.ctx.ops.query(session_op("session_list_ids", **self._filters()), self.export_requested.emit)

    def empty_actions(self) -> list[QPushButton]:
        return []
