"""Actions that need something created first say what, and offer to go there, instead of opening a useless form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.core import wording
from desktop_app.ui.calls import op
from desktop_app.ui.widgets import keep_dialog, show_error

PAGE_OF = {"profile": "profile", "template": "template", "stage": "template", "participant": "participant"}


def when_ready(widget: QWidget, ctx: Any, action: str, proceed: Callable[[], None],
               navigate: Callable[[str], None], *, participant_id: str | None = None) -> None:
    """Runs proceed() when everything `action` needs exists; otherwise explains and offers navigate(page kind)."""

    def check(missing: str | None) -> None:
        if missing is None:
            proceed()
        else:
            ask_to_create_first(widget, action, missing, navigate)

    ctx.ops.query(op("missing_for", action, participant_id=participant_id), check,
                  lambda exc: show_error(widget, "Cannot check the setup", exc))


def ask_to_create_first(widget: QWidget, action: str, missing: str, navigate: Callable[[str], None]) -> QMessageBox:
    """A message naming what to create first, with a button that goes there."""
    thing = wording.A_THING.get(missing, missing)
    box = QMessageBox(QMessageBox.Icon.Information, f"Create {thing} first", wording.needs_first(action, missing),
                      parent=widget)
    go = box.addButton("Take me there", QMessageBox.ButtonRole.AcceptRole)
    go.setAccessibleName("Take me there")
    later = box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
    later.setAccessibleName("Not now")
    box.setDefaultButton(go)
    box.setAccessibleName(f"Create {thing} first")
    go.clicked.connect(lambda: navigate(PAGE_OF.get(missing, missing)))
    keep_dialog(widget, box)
    box.open()
    return box
