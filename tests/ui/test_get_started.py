"""First run: the Get started page, the example set, building your own in order, and actions that need a step first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QMessageBox, QWidget

from desktop_app.core.wording import FORBIDDEN_ON_SCREEN
from desktop_app.store import setup
from desktop_app.ui.main_window import import_folder
from desktop_app.ui.pages.get_started import DONE_MARK, NEXT_MARK
from tests.ui.conftest import dialog_of, gone, rows_of, run, wait_idle


def click(qtbot, widget) -> None:
    """A left click, as the user does it."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def assert_plain_words(widget: QWidget) -> None:
    """No label or button of `widget` shows a developer's term (core.wording.FORBIDDEN_ON_SCREEN)."""
    texts = [w.text() for kind in (QLabel, QAbstractButton) for w in widget.findChildren(kind)] + [widget.windowTitle()]
    if isinstance(widget, QMessageBox):
        texts.append(widget.text())
    for text in texts:
        assert not FORBIDDEN_ON_SCREEN.search(text), text


def test_empty_folder_lands_on_get_started_and_the_example_set_says_what_it_added(qtbot, gui):
    ctx, window = gui
    start = window.start_page
    qtbot.waitUntil(lambda: window.page() is start)
    wait_idle(qtbot, ctx)
    assert start.next_step() == "profile"
    assert start.marks["profile"].text() == NEXT_MARK
    assert start.step_buttons["profile"].isEnabled()
    assert not start.step_buttons["participant"].isEnabled(), "a later step waits for the one before"
    assert not start.ready_button.isEnabled()
    assert_plain_words(start)

    click(qtbot, start.examples_button)
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: window.page() is window.pages["participant"])
    counts = run(ctx, lambda s: {k: len(setup.list_records(s, k)) for k in ("profile", "template", "stage",
                                                                            "participant")})
    expected = (f"Added {counts['profile']} interviewers, {counts['template']} templates with {counts['stage']} "
                f"stages, {counts['participant']} participants.")
    assert start.examples_result.text() == expected
    assert window.statusBar().currentMessage() == expected
    assert window.pages["participant"].notice.isVisible()
    assert window.pages["participant"].notice.text().startswith("✓ " + expected + " Next: choose a person")
    assert len(rows_of(window.pages["participant"])) == counts["participant"]
    assert all(start.marks[k].text() == DONE_MARK for k in start.marks)
    assert start.ready_button.isEnabled()

    # Loading again adds nothing and says so; the page stays reachable from the sidebar.
    window.show_page("start")
    click(qtbot, start.examples_button)
    wait_idle(qtbot, ctx)
    assert start.examples_result.text() == "The example set is already loaded."
    # The import dialog opens on the bundled examples, not an empty folder.
    assert (import_folder() / "hiring.yaml").is_file()


def test_a_participant_without_a_template_says_what_to_create_first_and_goes_there(qtbot, gui):
    ctx, window = gui
    page = window.show_page("participant")
    wait_idle(qtbot, ctx)
    click(qtbot, page.new_button)
    qtbot.waitUntil(lambda: isinstance(dialog_of(page), QMessageBox))
    box = dialog_of(page)
    assert box.text() == "A participant is assessed against a template. Create a template first."
    assert_plain_words(box)
    go = [b for b in box.buttons() if b.text() == "Take me there"][0]
    click(qtbot, go)
    qtbot.waitUntil(lambda: window.page() is window.pages["template"])

    # A template in turn needs an interviewer.
    click(qtbot, window.pages["template"].new_button)
    qtbot.waitUntil(lambda: isinstance(dialog_of(window.pages["template"]), QMessageBox))
    box = dialog_of(window.pages["template"])
    assert box.text().endswith("Create an interviewer first.")
    click(qtbot, [b for b in box.buttons() if b.text() == "Take me there"][0])
    qtbot.waitUntil(lambda: window.page() is window.pages["profile"])


def test_build_your_own_in_order_with_the_next_step_shown(qtbot, gui):
    ctx, window = gui
    start = window.show_page("start")
    wait_idle(qtbot, ctx)

    def step(kind: str, fill) -> None:
        assert start.marks[kind].text() == NEXT_MARK, kind
        click(qtbot, start.step_buttons[kind])
        qtbot.waitUntil(lambda: dialog_of(start) is not None and dialog_of(start).isVisible())
        editor = dialog_of(start)
        fill(editor)
        qtbot.waitUntil(editor.save_button.isEnabled)
        click(qtbot, editor.save_button)
        qtbot.waitUntil(lambda: gone(editor))
        wait_idle(qtbot, ctx)
        assert start.marks[kind].text() == DONE_MARK, kind

    step("profile", lambda e: qtbot.keyClicks(e.name, "Front Desk Interviewer"))
    step("template", lambda e: qtbot.keyClicks(e.name, "Front Desk Assistant"))
    step("stage", lambda e: qtbot.keyClicks(e.name, "Screen"))
    step("participant", lambda e: (qtbot.keyClicks(e.name, "Robin Ade"), qtbot.keyClicks(e.email, "robin@example.org")))
    assert start.next_step() is None and start.ready_button.isEnabled()
    click(qtbot, start.ready_button)
    qtbot.waitUntil(lambda: window.page() is window.pages["participant"])
    stage = run(ctx, lambda s: setup.get(s, "stage", "Screen").obj)
    assert stage.template and stage.agent_profile


def test_an_empty_name_is_refused_in_a_plain_sentence(qtbot, gui):
    ctx, window = gui
    start = window.show_page("start")
    wait_idle(qtbot, ctx)
    click(qtbot, start.step_buttons["profile"])
    qtbot.waitUntil(lambda: dialog_of(start) is not None and dialog_of(start).isVisible())
    editor = dialog_of(start)
    assert editor.message.text() == "⚠ Give the interviewer a name."
    assert not editor.save_button.isEnabled()
    editor.reject()
