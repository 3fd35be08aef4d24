"""Flows shared by the list pages: open an editor with its choices, duplicate, archive, delete with confirmation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from desktop_app.ui.calls import op
from desktop_app.ui.widgets import confirm, keep_dialog, show_error


def editor_class(kind: str) -> type:
    """The editor dialog of a kind (imported on first use: the editors need the domain models)."""
    from desktop_app.ui.editors.participant import ParticipantEditor
    from desktop_app.ui.editors.profile import ProfileEditor
    from desktop_app.ui.editors.template import StageEditor, TemplateEditor

    return {"profile": ProfileEditor, "template": TemplateEditor, "stage": StageEditor,
            "participant": ParticipantEditor}[kind]


def editor_options(store: Any, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The choices an editor needs (read on the store worker)."""
    from desktop_app.ui import operations
    if kind == "stage":
        template_id = data.get("template")
        return {"profiles": operations.choices(store, "profile"), "scales": operations.profile_scales(store),
                "template_id": template_id,
                "order": len(operations.choices(store, "stage", template=template_id)) if template_id else 0}
    if kind == "participant":
        return {"templates": operations.choices(store, "template")}
    return {}


def open_editor(page: QWidget, ctx: Any, kind: str, *, record_id: str | None = None,
                data: dict[str, Any] | None = None, on_saved: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Loads the record (when editing) and the editor's choices on the worker, then opens the editor."""

    def read(store: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        from desktop_app.ui import operations

        values = operations.load_record(store, kind, record_id) if record_id else dict(data or {})
        return values, editor_options(store, kind, values)

    def show(result: tuple[dict[str, Any], dict[str, Any]]) -> None:
        values, options = result
        dialog = editor_class(kind)(ctx, values, record_id, page, options=options)
        keep_dialog(page, dialog)

        def finished(code: int) -> None:
            if code == QDialog.DialogCode.Accepted and dialog.saved and on_saved:
                on_saved(dialog.saved)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    ctx.ops.query(read, show, lambda exc: show_error(page, f"Cannot open the {kind}", exc))


def duplicate(page: QWidget, ctx: Any, kind: str, row: dict[str, Any] | None,
              on_done: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Copies a record under a free name."""
    if row is None:
        return
    record_id = row["id"]
    ctx.ops.change(op("duplicate_record", kind, record_id), on_done,
                   lambda exc: show_error(page, f"Cannot duplicate the {kind}", exc), initiator=page)


def archive(page: QWidget, ctx: Any, kind: str, row: dict[str, Any] | None) -> None:
    """Archives a record (or restores an archived one)."""
    if row is None:
        return
    record_id, archived = row["id"], not row.get("archived")
    ctx.ops.change(op("set_archived", kind, record_id, archived), None,
                   lambda exc: show_error(page, f"Cannot archive the {kind}", exc), initiator=page)


def delete(page: QWidget, ctx: Any, kind: str, row: dict[str, Any] | None) -> None:
    """Asks (saying what else goes and whether it can be undone), then deletes."""
    if row is None:
        return
    record_id, name = row["id"], row.get("name", "")

    def ask(impact: str) -> None:
        if not confirm(page, f"Delete {kind}", f"Delete the {kind} “{name}”?", informative=impact):
            return
        ctx.ops.change(op("delete_record", kind, record_id), None,
                       lambda exc: show_error(page, f"Cannot delete the {kind}", exc), initiator=page)

    ctx.ops.query(op("delete_impact", kind, record_id), ask,
                  lambda exc: show_error(page, f"Cannot delete the {kind}", exc))
