"""The stage editor's pass mark: a sensible default for new stages and a warning when it disagrees with the
profile's recommendation; templates from a preset without the example role."""

from __future__ import annotations

import json
import re

from desktop_app.store import setup
from tests.ui.conftest import dialog_of, gone, run, wait_idle


def new_stage(qtbot, ctx, window):
    page = window.show_page("template")
    qtbot.waitUntil(lambda: page.pipeline.strip.count() == 3)
    page.pipeline.add_stage()
    qtbot.waitUntil(lambda: dialog_of(page.pipeline) is not None)
    return page, dialog_of(page.pipeline)


def test_a_new_stage_starts_at_six_of_ten_and_follows_the_profiles_scale(qtbot, demo_gui):
    ctx, window = demo_gui
    window.show_page("template").load_example("training")  # a 0-5 profile to choose
    wait_idle(qtbot, ctx)
    page, editor = new_stage(qtbot, ctx, window)
    assert editor.profile.currentText() == "Senior Engineering Interviewer"
    assert editor.threshold.value() == 6, "never 0, which would pass everyone"
    editor.profile.setCurrentIndex(editor.profile.findText("Upset Customer Roleplay"))
    assert editor.threshold.value() == 3 and editor.threshold.maximum() == 5
    editor.threshold.setValue(4)  # once set by hand it stays
    editor.profile.setCurrentIndex(editor.profile.findText("Senior Engineering Interviewer"))
    assert editor.threshold.value() == 4
    editor.reject()

    # A stored stage keeps its own pass mark.
    page.pipeline.strip.setCurrentRow(0)
    page.pipeline.edit_stage()
    qtbot.waitUntil(lambda: dialog_of(page.pipeline) is not None and dialog_of(page.pipeline) is not editor)
    stored = dialog_of(page.pipeline)
    assert stored.threshold.value() == 5
    stored.reject()


def test_saving_a_stage_whose_pass_mark_disagrees_with_the_recommendation_shows_a_warning(qtbot, demo_gui):
    ctx, window = demo_gui

    def strict(store):
        record = setup.get(store, "profile", "Senior Engineering Interviewer")
        data = record.obj.dump()
        data["scoring"]["recommendation_logic"] = "overall >= 7 -> hire\nelse -> no_hire"
        setup.save(store, "profile", data, record_id=record.id)

    run(ctx, strict)
    page, editor = new_stage(qtbot, ctx, window)
    qtbot.keyClicks(editor.name, "Culture fit")
    editor.threshold.setValue(5)
    editor.save()
    qtbot.waitUntil(lambda: editor.save_button.text() == "Save &anyway")
    assert editor.isVisible() and editor.message.property("state") == "warning"
    assert editor.message.text() == (
        "⚠ Stage “Culture fit”: Overall scores from 5 to just under 7 pass the stage (pass mark 5) but the profile "
        "recommends “No hire” for them. Change the pass mark or the recommendation, or save anyway.")
    assert run(ctx, lambda s: [r["name"] for r in setup.list_records(s, "stage")]) == ["Screen", "Technical", "Final"]

    # Changing the pass mark clears the warning; a mark that agrees saves at once.
    editor.threshold.setValue(7)
    assert editor.save_button.text() == "&Save" and not editor.message.isVisible()
    editor.threshold.setValue(6)
    editor.save()
    qtbot.waitUntil(lambda: editor.save_button.text() == "Save &anyway")
    assert "from 6 to just under 7" in editor.message.text()
    editor.save()  # save anyway: a warning, not a block
    qtbot.waitUntil(lambda: gone(editor))
    wait_idle(qtbot, ctx)
    stages = run(ctx, lambda s: setup.list_records(s, "stage"))
    assert [(s["name"], s["pass_threshold"]) for s in stages][-1] == ("Culture fit", 6)


def test_a_template_from_the_hiring_preset_leaves_the_backend_role_behind(qtbot, demo_gui):
    ctx, window = demo_gui
    page = window.show_page("template")
    page.new_from_preset("Hiring")
    qtbot.waitUntil(lambda: dialog_of(page) is not None and dialog_of(page).isVisible())
    editor = dialog_of(page)
    assert not editor.preset_choice.keep_role.isChecked()
    assert "Senior Backend Engineer at Northwind Systems" in editor.preset_choice.keep_role.text()
    data = editor.collect()
    assert not re.search(r"(?i:backend|PostgreSQL|payment|distributed)|\bGo\b", json.dumps(data)), data
    assert data["skills"] == [] and data["traits"] == ["Communication", "Ownership"]
    editor.preset_choice.keep_role.setChecked(True)
    assert editor.skills.text() == "Go, PostgreSQL, Distributed Systems"
    editor.reject()
