"""Scheduling a session: pick the stage (the next one is suggested), then schedule or start now."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from desktop_app.ui.calls import session_op
from desktop_app.ui.ops import message_of
from desktop_app.ui.widgets import InlineMessage, combo, heading, keep_dialog, name_buttons, set_combo_value, show_error


class ScheduleDialog(QDialog):
    """Asks for the stage; `scheduled` holds the new session dict afterwards, `start_now` the choice."""

    def __init__(self, ctx: Any, participant_id: str, choices: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.participant_id = participant_id
        self.scheduled: dict[str, Any] | None = None
        self.start_now = False
        self.setWindowTitle("Schedule a session")
        self.setAccessibleName("Schedule a session")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Schedule {choices['participant']}", 1.2))
        form = QFormLayout()
        self.stage = combo([(label, sid) for sid, label in choices["stages"]], "Stage",
                           tip="The pipeline stage this session runs")
        if choices.get("suggested"):
            set_combo_value(self.stage, choices["suggested"])
        form.addRow("&Stage:", self.stage)
        layout.addLayout(form)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        if not choices["stages"]:
            self.message.show_error("This participant's template has no stages yet: add one in Templates.")
        buttons = QDialogButtonBox()
        self.schedule_button = buttons.addButton("Schedule", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button = buttons.addButton("Schedule and start now", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for b, name in ((self.schedule_button, "Schedule"), (self.start_button, "Schedule and start now"),
                        (cancel, "Cancel")):
            b.setAccessibleName(name)
            b.setEnabled(bool(choices["stages"]) or b is cancel)
        self.schedule_button.clicked.connect(lambda: self._schedule(False))
        self.start_button.clicked.connect(lambda: self._schedule(True))
        cancel.clicked.connect(self.reject)
        layout.addWidget(name_buttons(buttons))

    def _schedule(self, start_now: bool) -> None:
        stage_id = self.stage.currentData()
        if not stage_id:
            return
        self.start_now = start_now
        participant_id = self.participant_id
        self.schedule_button.setEnabled(False)
        self.start_button.setEnabled(False)
        self.ctx.ops.change(session_op("schedule", participant_id, stage_id), self._done, self._failed,
                            initiator=self.parent())

    def _done(self, session: dict[str, Any]) -> None:
        self.scheduled = session
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.message.show_error(message_of(exc))
        self.schedule_button.setEnabled(True)
        self.start_button.setEnabled(True)


def ask_schedule(parent: QWidget, ctx: Any, participant_id: str, on_scheduled) -> None:
    """Reads the stage choices, shows the dialog, and calls on_scheduled(session, start_now) after scheduling."""

    def show(choices: dict[str, Any]) -> None:
        dialog = ScheduleDialog(ctx, participant_id, choices, parent)
        keep_dialog(parent, dialog)

        def finished(code: int) -> None:
            if code == QDialog.DialogCode.Accepted and dialog.scheduled:
                on_scheduled(dialog.scheduled, dialog.start_now)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    ctx.ops.query(session_op("schedule_choices", participant_id), show,
                  lambda exc: show_error(parent, "Cannot schedule", exc))
