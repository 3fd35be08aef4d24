"""Lists (search, filters, sorting, shortcuts), the pipeline (reorder by drag), scheduling, bundles, resumes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.store import setup
from desktop_app.store.sessions import list_sessions
from tests.ui.conftest import dialog_of, gone, rows_of, run, wait_idle


def test_first_run_shows_empty_states_and_loads_an_example(qtbot, gui):
    ctx, window = gui
    for kind in ("profile", "template", "participant", "session"):
        page = window.show_page(kind)
        wait_idle(qtbot, ctx)
        assert page.stack.currentIndex() == 1, f"{kind}: empty state shown"
    page = window.show_page("template")
    page.load_example("training")
    wait_idle(qtbot, ctx)
    assert page.stack.currentIndex() == 0
    assert [r["name"] for r in rows_of(page)] == ["Customer Service Readiness"]
    assert page.current() is not None, "the first row is selected so its pipeline shows"
    wait_idle(qtbot, ctx)
    assert page.pipeline.strip.count() >= 1


def test_search_filter_sort_and_shortcuts(qtbot, demo_gui):
    ctx, window = demo_gui
    window.show_page("template").load_example("training")
    wait_idle(qtbot, ctx)
    page = window.show_page("participant")
    wait_idle(qtbot, ctx)
    assert len(rows_of(page)) == 2
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "Dana")
    qtbot.waitUntil(lambda: len(rows_of(page)) == 1)
    assert rows_of(page)[0]["name"] == "Dana Whitfield"
    assert "match the search" in page.count_label.text()
    page.search.clear()
    qtbot.waitUntil(lambda: len(rows_of(page)) == 2)

    tag_box = page.filters["tag"]
    qtbot.waitUntil(lambda: tag_box.findData("onsite") >= 0)
    tag_box.setCurrentIndex(tag_box.findData("onsite"))
    qtbot.waitUntil(lambda: [r["name"] for r in rows_of(page)] == ["Dana Whitfield"])
    tag_box.setCurrentIndex(0)
    template_box = page.filters["template"]
    template_box.setCurrentIndex(template_box.findText("Customer Service Readiness"))
    qtbot.waitUntil(lambda: len(rows_of(page)) == 1 and rows_of(page)[0]["template"] == "Customer Service Readiness")
    template_box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(rows_of(page)) == 2)

    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = [r["name"] for r in rows_of(page)]
    assert names == sorted(names, key=str.casefold, reverse=True)

    # Ctrl+1..4 switch lists; F5 refreshes; Del in the search box never deletes.
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.page() is window.pages["profile"]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page.focus_search()
    qtbot.keyClick(page.search, Qt.Key.Key_Delete)
    wait_idle(qtbot, ctx)
    assert len(rows_of(page)) == 2


def test_pipeline_reorders_by_drag_and_buttons(qtbot, demo_gui):
    ctx, window = demo_gui
    page = window.show_page("template")
    wait_idle(qtbot, ctx)
    strip = page.pipeline.strip
    qtbot.waitUntil(lambda: strip.count() == 3)
    assert [strip.item(i).text() for i in range(3)] == ["Screen", "Technical", "Final"]
    template_id = page.current()["id"]

    # A drag ends in rowsMoved on the list's model: the same path as a mouse drag.
    strip.model().moveRow(strip.model().index(0, 0).parent(), 2, strip.model().index(0, 0).parent(), 0)
    wait_idle(qtbot, ctx)
    stages = run(ctx, lambda s: setup.list_records(s, "stage", template=template_id))
    assert [s["name"] for s in stages] == ["Final", "Screen", "Technical"]
    assert [s["order"] for s in stages] == [0, 1, 2]

    strip.setCurrentRow(0)
    page.pipeline.move_stage(1)  # Move later
    wait_idle(qtbot, ctx)
    stages = run(ctx, lambda s: setup.list_records(s, "stage", template=template_id))
    assert [s["name"] for s in stages] == ["Screen", "Final", "Technical"]

    window.undo()
    wait_idle(qtbot, ctx)
    stages = run(ctx, lambda s: setup.list_records(s, "stage", template=template_id))
    assert [s["name"] for s in stages] == ["Final", "Screen", "Technical"]
    qtbot.waitUntil(lambda: [strip.item(i).text() for i in range(3)] == ["Final", "Screen", "Technical"])


def test_add_stage_and_schedule_a_participant(qtbot, demo_gui):
    ctx, window = demo_gui
    page = window.show_page("template")
    qtbot.waitUntil(lambda: page.pipeline.strip.count() == 3)
    page.pipeline.add_stage()
    qtbot.waitUntil(lambda: dialog_of(page.pipeline) is not None)
    editor = dialog_of(page.pipeline)
    assert not editor.save_button.isEnabled()
    qtbot.keyClicks(editor.name, "Culture fit")
    editor.threshold.setValue(11)  # clamped to the profile's 0-10 scale
    assert editor.threshold.value() == 10
    assert "0-10 scale" in editor.scale_note.text()
    editor.threshold.setValue(6)
    assert editor.save_button.isEnabled()
    editor.save()
    qtbot.waitUntil(lambda: gone(editor))
    qtbot.waitUntil(lambda: page.pipeline.strip.count() == 4)

    people = window.show_page("participant")
    wait_idle(qtbot, ctx)
    people.table.select_id(rows_of(people)[0]["id"])
    people.schedule()
    qtbot.waitUntil(lambda: dialog_of(people) is not None)
    dialog = dialog_of(people)
    assert dialog.stage.currentText() == "1. Screen", "the next stage is suggested"
    qtbot.mouseClick(dialog.schedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog))
    wait_idle(qtbot, ctx)
    sessions = run(ctx, lambda s: list_sessions(s))
    assert [(s["participant"], s["stage"], s["status"]) for s in sessions] == [("Dana Whitfield", "Screen", "scheduled")]
    assert rows_of(people)[0]["state_label"] == "Scheduled"
    listed = window.show_page("session")
    qtbot.waitUntil(lambda: len(rows_of(listed)) == 1)
    assert listed.start_button.isEnabled() and not listed.review_button.isEnabled()

    # Scheduling the same stage twice is refused by the store; the dialog says why and stays open.
    people.schedule()
    qtbot.waitUntil(lambda: dialog_of(people) is not dialog and dialog_of(people) is not None)
    again = dialog_of(people)
    again.stage.setCurrentIndex(0)
    qtbot.mouseClick(again.schedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "The participant already has session" in again.message.text())
    again.reject()


def test_participant_with_resume_and_bundle_round_trip(qtbot, demo_gui, tmp_path: Path):
    ctx, window = demo_gui
    resume = tmp_path / "resume.txt"
    resume.write_text("Ten years of PostgreSQL tuning.\nLed the on-call rota.", encoding="utf-8")
    page = window.show_page("participant")
    wait_idle(qtbot, ctx)
    page.new()
    qtbot.waitUntil(lambda: dialog_of(page) is not None)
    editor = dialog_of(page)
    assert editor.template.count() == 1
    qtbot.keyClicks(editor.name, "Sam Okafor")
    qtbot.keyClicks(editor.email, "sam@")
    assert not editor.save_button.isEnabled()
    assert editor.message.text().startswith("⚠ The email address is not valid.")
    qtbot.keyClicks(editor.email, "example.org")
    qtbot.keyClicks(editor.tags, "remote, senior")
    editor.set_resume(str(resume))
    qtbot.waitUntil(lambda: "PostgreSQL" in editor.resume_text.toPlainText())
    assert editor.resume_label.text() == "resume.txt"
    editor.save()
    qtbot.waitUntil(lambda: gone(editor))
    wait_idle(qtbot, ctx)
    person = run(ctx, lambda s: setup.get(s, "participant", "Sam Okafor").obj)
    assert person.tags == ["remote", "senior"]
    assert "on-call" in person.resume_text
    assert Path(person.resume).parent.parent == ctx.paths.resumes, "the file was copied into the data folder"

    target = tmp_path / "setup.yaml"
    window.export_bundle(str(target))
    wait_idle(qtbot, ctx)
    assert "Sam Okafor" in target.read_text(encoding="utf-8")
    # Importing it again fails as a whole (names taken) and says so; nothing changes.
    errors = []
    import desktop_app.ui.main_window as mw

    original = mw.show_error
    mw.show_error = lambda parent, title, exc: errors.append((title, str(exc)))
    try:
        window.import_bundle(str(target))
        wait_idle(qtbot, ctx)
    finally:
        mw.show_error = original
    assert errors and errors[0][0] == "Import failed: nothing was imported"
    assert "already taken" in errors[0][1]


def test_every_stored_record_opens_valid_and_saves_unchanged(qtbot, demo_gui):
    ctx, window = demo_gui
    editors = []
    for kind in ("profile", "template", "participant"):
        page = window.show_page(kind)
        qtbot.waitUntil(lambda p=page: p.current() is not None)
        page.edit()
        qtbot.waitUntil(lambda p=page: dialog_of(p) is not None)
        editors.append(dialog_of(page))
    pipeline = window.show_page("template").pipeline
    qtbot.waitUntil(lambda: pipeline.strip.count() == 3)
    pipeline.strip.setCurrentRow(1)
    pipeline.edit_stage()
    qtbot.waitUntil(lambda: dialog_of(pipeline) is not None)
    editors.append(dialog_of(pipeline))
    for editor in editors:
        assert editor.save_button.isEnabled(), f"{editor.noun}: {editor.message.text()}"
        editor.save()
        qtbot.waitUntil(lambda e=editor: gone(e))
    wait_idle(qtbot, ctx)
    stages = run(ctx, lambda s: setup.list_records(s, "stage"))
    assert [s["name"] for s in stages] == ["Screen", "Technical", "Final"]
