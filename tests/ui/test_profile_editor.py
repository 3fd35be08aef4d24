"""Building an agent profile in the editor: live weight total, validation as you type, save, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.store import setup
from tests.ui.conftest import dialog_of, gone, rows_of, run, wait_idle


def open_new_profile(qtbot, ctx, window, preset: str | None = None):
    """Opens the profile editor (blank or from a preset) and returns it."""
    page = window.show_page("profile")
    if preset:
        page.new_from_preset(preset)
    else:
        page.new()
    qtbot.waitUntil(lambda: dialog_of(page) is not None and dialog_of(page).isVisible())
    return page, dialog_of(page)


def test_weight_total_is_live_and_blocks_saving_until_100(qtbot, gui):
    ctx, window = gui
    page, editor = open_new_profile(qtbot, ctx, window)
    qtbot.keyClicks(editor.name, "Support Desk Interviewer")
    rubric = editor.rubric
    assert rubric.total() == 100
    assert editor.save_button.isEnabled()

    rubric._spin(0).setValue(35)  # 35 + 50 = 85
    qtbot.wait(10)
    assert rubric.total_label.text() == "Weights total 85 of 100: add 15 more"
    assert rubric.total_label.property("state") == "error"
    assert not editor.save_button.isEnabled()
    assert "must total exactly 100" in editor.save_button.toolTip()
    assert "add 15 more" in editor.message.text()

    rubric.add_dimension()  # takes the 15 that are left
    qtbot.wait(10)
    assert rubric.total() == 100
    assert not editor.save_button.isEnabled(), "the new dimension has no name yet"
    assert "Rubric row 3 needs a name" in editor.message.text()
    rubric.table.item(2, 0).setText("Empathy")
    rubric.table.item(2, 2).setText("Acknowledges the caller's problem.")
    rubric.table.setCurrentCell(2, 0)
    qtbot.keyClicks(rubric.anchor_edits["high"], "Names the problem and its impact.")
    qtbot.wait(10)
    assert rubric.total_label.text() == "Weights total 100 of 100 ✓"
    assert rubric.total_label.property("state") == "ok"
    assert editor.save_button.isEnabled()

    # Domain validation runs on each edit: an empty name is refused with the field named.
    editor.name.clear()
    qtbot.wait(10)
    assert not editor.save_button.isEnabled()
    assert editor.message.text().startswith("⚠ Name:")
    qtbot.keyClicks(editor.name, "Support Desk Interviewer")
    qtbot.wait(10)
    assert editor.save_button.isEnabled()

    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(editor))
    wait_idle(qtbot, ctx)
    saved = run(ctx, lambda s: setup.get(s, "profile", "Support Desk Interviewer").obj)
    assert [(d.name, d.weight) for d in saved.rubric] == [("Communication", 35), ("Problem solving", 50),
                                                          ("Empathy", 15)]
    assert saved.rubric[2].anchors.high == "Names the problem and its impact."
    assert [r["name"] for r in rows_of(page)] == ["Support Desk Interviewer"]
    assert page.current()["name"] == "Support Desk Interviewer"

    # Ctrl+Z undoes the creation.
    assert window.undo_action.isEnabled()
    assert "Support Desk Interviewer" in window.undo_action.text()
    window.undo()
    wait_idle(qtbot, ctx)
    assert rows_of(page) == []
    assert page.stack.currentIndex() == 1, "the empty state explains what to do"


def test_profile_from_preset_gets_a_free_name_and_store_errors_show_inline(qtbot, demo_gui):
    ctx, window = demo_gui
    page, editor = open_new_profile(qtbot, ctx, window, preset="hiring")
    assert editor.name.text() == "Hiring Interviewer"
    assert editor.rubric.total() == 100
    assert editor.logic.toPlainText().startswith("overall >= threshold")
    # A name that is taken passes the pydantic check but the store refuses it: shown inline, nothing saved.
    editor.name.setText("senior engineering interviewer")
    qtbot.wait(10)
    editor.save()
    qtbot.waitUntil(lambda: "already taken" in editor.message.text())
    assert editor.isVisible()
    assert editor.name.property("invalid") is True
    # A broken recommendation rule is refused as you type.
    editor.name.setText("Calibrated Interviewer")
    editor.logic.setPlainText("overall >= 7 -> maybe")
    qtbot.wait(10)
    assert not editor.save_button.isEnabled()
    assert "Recommendation logic: position 17: unknown label" in editor.message.text()
    assert editor.logic.property("invalid") is True
    editor.reject()


def test_duplicate_archive_and_delete_with_confirmation(qtbot, demo_gui, monkeypatch):
    ctx, window = demo_gui
    page = window.show_page("profile")
    wait_idle(qtbot, ctx)
    page.table.select_id(rows_of(page)[0]["id"])
    page.duplicate()
    wait_idle(qtbot, ctx)
    names = [r["name"] for r in rows_of(page)]
    assert names == ["Senior Engineering Interviewer", "Senior Engineering Interviewer (copy)"]
    assert page.current()["name"] == "Senior Engineering Interviewer (copy)"

    page.archive()
    wait_idle(qtbot, ctx)
    assert [r["name"] for r in rows_of(page)] == ["Senior Engineering Interviewer"]
    page.show_archived.setChecked(True)
    wait_idle(qtbot, ctx)
    copy = next(r for r in rows_of(page) if r["archived"])
    page.table.select_id(copy["id"])
    assert page.archive_button.text() == "Restore"

    asked = []
    monkeypatch.setattr("desktop_app.ui.pages.common.confirm", lambda *a, **k: asked.append(k) or False)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, ctx)
    assert asked and len(rows_of(page)) == 2, "cancelling the confirmation keeps the profile"
    monkeypatch.setattr("desktop_app.ui.pages.common.confirm", lambda *a, **k: True)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, ctx)
    assert [r["name"] for r in rows_of(page)] == ["Senior Engineering Interviewer"]

    # The profile in use by stages cannot be deleted: the refusal names what uses it.
    errors = []
    monkeypatch.setattr("desktop_app.ui.pages.common.show_error", lambda parent, title, exc: errors.append(str(exc)))
    page.table.select_id(rows_of(page)[0]["id"])
    page.delete()
    wait_idle(qtbot, ctx)
    assert errors and "is used by stage 'Screen'" in errors[0]

    window.undo()  # brings the deleted copy back
    wait_idle(qtbot, ctx)
    assert len(rows_of(page)) == 2


def test_editing_a_stored_profile_saves_and_undoes(qtbot, demo_gui):
    ctx, window = demo_gui
    page = window.show_page("profile")
    qtbot.waitUntil(lambda: page.current() is not None)
    page.edit()
    qtbot.waitUntil(lambda: dialog_of(page) is not None)
    editor = dialog_of(page)
    assert editor.windowTitle() == "Edit agent profile"
    assert editor.save_button.isEnabled(), editor.message.text()
    editor.persona.setPlainText("Alex, a principal engineer at Northwind Systems.")
    editor.save()
    qtbot.waitUntil(lambda: gone(editor))
    wait_idle(qtbot, ctx)
    stored = run(ctx, lambda s: setup.get(s, "profile", "Senior Engineering Interviewer").obj)
    assert stored.persona == "Alex, a principal engineer at Northwind Systems."
    assert window.undo_action.text() == "&Undo Edit profile 'Senior Engineering Interviewer'"
    window.undo()
    wait_idle(qtbot, ctx)
    stored = run(ctx, lambda s: setup.get(s, "profile", "Senior Engineering Interviewer").obj)
    assert stored.persona == "Alex, a senior engineer at Northwind Systems."
