"""Building an agent profile in the editor: live weight total, validation as you type, save, undo."""

from __future__ import annotations

import json
import re

from PySide6.QtCore import Qt

from desktop_app.core.models import AgentProfile, EvaluationStage, EvaluationTemplate, Participant
from desktop_app.core.plan import build_plan
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

    # Domain validation runs on each edit: an empty name is refused in a plain sentence.
    editor.name.clear()
    qtbot.wait(10)
    assert not editor.save_button.isEnabled()
    assert editor.message.text() == "⚠ Give the interviewer a name."
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


ROLE_TEXT = re.compile(r"(?i:backend|PostgreSQL|Northwind|payment|distributed|engineer)|\bGo\b")


def test_starting_from_the_hiring_preset_leaves_its_role_behind_unless_kept(qtbot, gui):
    ctx, window = gui
    page, editor = open_new_profile(qtbot, ctx, window, preset="hiring")
    choice = editor.preset_choice
    assert choice.title() == "Started from the hiring preset"
    assert choice.keep_style.isChecked() and not choice.keep_role.isChecked()
    assert choice.keep_role.text() == "Keep the company and role details (Backend engineering at Northwind Systems)"
    data = editor.collect()
    assert not ROLE_TEXT.search(json.dumps(data)), json.dumps(data)
    assert editor.rubric.total() == 100 and editor.save_button.isEnabled()

    # Keeping the role brings the example's company, context and rubric; the name typed stays.
    editor.name.setText("Support Desk Interviewer")
    choice.keep_role.setChecked(True)
    assert "Northwind Systems" in editor.organization.toPlainText()
    assert editor.rubric.dimensions()[1]["name"] == "Technical depth"
    assert editor.name.text() == "Support Desk Interviewer"
    choice.keep_role.setChecked(False)
    choice.keep_style.setChecked(False)
    assert editor.rubric.dimensions() == [] and not editor.save_button.isEnabled()
    choice.keep_style.setChecked(True)

    # Renamed for another role and saved: nothing of the backend role is stored, on any tab.
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(editor))
    wait_idle(qtbot, ctx)
    stored = run(ctx, lambda s: setup.get(s, "profile", "Support Desk Interviewer").obj)
    assert not ROLE_TEXT.search(json.dumps(stored.dump())), stored.dump()
    assert stored.context.organization == stored.context.domain == ""


def test_persona_is_labelled_as_spoken_and_previewed_with_the_interviews_own_words(qtbot, gui):
    ctx, window = gui
    page, editor = open_new_profile(qtbot, ctx, window, preset="hiring")
    assert "spoken to the candidate" in editor.persona.accessibleName().lower()
    assert "word for word" in editor.persona.toolTip()
    qtbot.waitUntil(lambda: editor.preview.text() != "…")
    assert editor.preview.text().startswith("“Hello Sam. I'm Alex, your interviewer today. This is the first stage "
                                            "for the role.")
    editor.persona.setPlainText("Private: ask about the salary gap. Alex from HR")
    editor.organization.setPlainText("Larkspur Bank is a regional lender.")
    qtbot.wait(10)
    assert "I'm Private: ask about the salary gap. Alex from HR." in editor.preview.text()
    assert "This is the first stage for the role at Larkspur Bank." in editor.preview.text()
    # The preview is the interview's own opening: a real plan for such a stage says the same.
    editor.persona.setPlainText("Alex, your interviewer today.")
    editor.notes.setPlainText("Ask Dana about the salary gap.")
    qtbot.wait(10)
    profile = AgentProfile.model_validate(editor.collect())
    template = EvaluationTemplate(name="the role", skills=["Customer care"])
    stage = EvaluationStage(template="t", name="first", agent_profile="p")
    plan = build_plan(template, stage, profile, Participant(name="Sam Jones", email="sam@example.org", template="t"),
                      stage_id="s1", mode="live_ai_interview")
    spoken = editor.preview.text().strip("“”")
    assert "with 5 main questions" in spoken  # the preview's example stage; the plan counts its own
    same = re.compile(r"with \d+ main questions?")
    assert same.sub("N", plan.introduction) == same.sub("N", spoken)
    assert "salary" not in plan.introduction and "salary" not in json.dumps(plan.context)
    assert profile.notes == "Ask Dana about the salary gap."
    assert "never spoken" in editor.notes.placeholderText()


def test_scoring_settings_are_in_plain_words_behind_a_folded_advanced_section(qtbot, gui):
    ctx, window = gui
    page, editor = open_new_profile(qtbot, ctx, window, preset="hiring")
    editor.tabs.setCurrentIndex(2)
    qtbot.wait(10)
    assert not editor.advanced.expanded
    for widget in (editor.samples, editor.probing, editor.logic):
        assert not widget.isVisible(), widget.accessibleName()
    assert editor.samples.accessibleName() == "How many times each answer is rated"
    assert editor.samples.toolTip().startswith("How many times each answer is rated.")
    assert editor.probing.accessibleName() == "How many follow-up questions per topic"
    assert editor.probing.currentText() == "Medium: 1 to 2"
    editor.advanced.toggle.click()
    assert editor.advanced.expanded and editor.samples.isVisible() and editor.logic.isVisible()


def test_recommendation_from_plain_choices_writes_the_logic(qtbot, gui):
    ctx, window = gui
    page, editor = open_new_profile(qtbot, ctx, window, preset="hiring")
    builder = editor.builder
    # The preset recommends from the stage's pass mark with a floor of 5: shown as plain choices.
    assert builder.representable and builder.controls.isEnabled()
    assert builder.bar_kind.currentData() == "pass_mark" and not builder.bar.isEnabled()
    assert builder.floor_on.isChecked() and builder.floor.value() == 5
    assert builder.when.text() == "Recommend “Hire” when the overall score is at least"
    assert builder.otherwise.text() == "Otherwise recommend “No hire”."

    builder.bar_kind.setCurrentIndex(builder.bar_kind.findData("score"))
    builder.bar.setValue(7.5)
    assert editor.logic.toPlainText() == "overall >= 7.5 and min(dimensions) >= 5 -> hire\nelse -> no_hire"
    builder.floor_on.setChecked(False)
    assert editor.logic.toPlainText() == "overall >= 7.5 -> hire\nelse -> no_hire"
    assert editor.save_button.isEnabled()

    # Another use case: the same choices in its words.
    editor.use_case.setCurrentIndex(editor.use_case.findData("training"))
    assert editor.logic.toPlainText() == "overall >= 7.5 -> ready\nelse -> needs_practice"
    assert builder.otherwise.text() == "Otherwise recommend “Needs practice”."
    assert editor.save_button.isEnabled(), editor.message.text()

    # Code the choices cannot show: the choices are greyed out with a note, the code stays as written.
    editor.advanced.set_expanded(True)
    code = 'dimension("Communication") >= 6 and overall >= 7 -> ready\nelse -> needs_practice'
    editor.logic.setPlainText(code)
    assert not builder.representable and not builder.controls.isEnabled() and not builder.note.isHidden()
    assert editor.logic.toPlainText() == code and editor.save_button.isEnabled()
    # Back to something simple: the choices follow the code again.
    editor.logic.setPlainText("overall >= 6 -> ready\nelse -> needs_practice")
    assert builder.representable and builder.bar.value() == 6


def test_a_profile_whose_logic_the_choices_cannot_show_opens_with_the_code(qtbot, demo_gui):
    ctx, window = demo_gui
    code = 'dimension("Communication") >= 6 and overall >= threshold -> hire\nelse -> no_hire'

    def edit(store):
        record = setup.get(store, "profile", "Senior Engineering Interviewer")
        data = record.obj.dump()
        data["scoring"]["recommendation_logic"] = code
        setup.save(store, "profile", data, record_id=record.id)

    run(ctx, edit)
    page = window.show_page("profile")
    wait_idle(qtbot, ctx)
    page.edit()
    qtbot.waitUntil(lambda: dialog_of(page) is not None)
    editor = dialog_of(page)
    assert editor.advanced.expanded, "logic the plain choices cannot show is shown as code"
    assert not editor.builder.representable
    assert "written as code" in editor.builder.note.text()
    assert editor.logic.toPlainText() == code
    editor.reject()


def test_saving_a_profile_warns_when_its_stages_pass_marks_disagree(qtbot, demo_gui):
    ctx, window = demo_gui
    page = window.show_page("profile")
    wait_idle(qtbot, ctx)
    page.edit()
    qtbot.waitUntil(lambda: dialog_of(page) is not None)
    editor = dialog_of(page)
    builder = editor.builder
    builder.bar_kind.setCurrentIndex(builder.bar_kind.findData("score"))
    builder.bar.setValue(7)
    editor.save()
    qtbot.waitUntil(lambda: editor.save_button.text() == "Save &anyway")
    text = editor.message.text()
    assert editor.message.property("state") == "warning" and editor.isVisible()
    assert "Stage “Screen”: Overall scores from 5 to just under 7 pass the stage (pass mark 5) but the profile " \
           "recommends “No hire” for them." in text
    assert "Stage “Technical”" in text and "Stage “Final”" not in text
    editor.save()  # a warning, not a block
    qtbot.waitUntil(lambda: gone(editor))
    wait_idle(qtbot, ctx)
    stored = run(ctx, lambda s: setup.get(s, "profile", "Senior Engineering Interviewer").obj)
    assert stored.scoring.recommendation_logic.startswith("overall >= 7 and")
