"""Get started: load the example set, or build your own setup step by step with the next step always shown."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop_app.core import wording
from desktop_app.ui.calls import op
from desktop_app.ui.changes import OpChanges
from desktop_app.ui.pages import common
from desktop_app.ui.widgets import button, heading, hint, scaled_font, show_error

# (kind, title, what it is, button for the first one, button once one exists)
STEPS = [
    ("profile", "Create an interviewer",
     "An agent profile: how the AI interviewer introduces itself and the rubric it scores against.",
     "Create an interviewer…", "Add another…"),
    ("template", "Create a template",
     "The role or programme you assess for, and how long an interview lasts.",
     "Create a template…", "Add another…"),
    ("stage", "Add a stage to the template",
     "A step of the template's pipeline, such as a first screen, run by one interviewer.",
     "Add a stage…", "Add another…"),
    ("participant", "Add a participant",
     "A person you will interview, assessed against one template.",
     "Add a participant…", "Add another…"),
]
ONE = {"profile": "interviewer", "template": "template", "stage": "stage", "participant": "participant"}
DONE_MARK, NEXT_MARK, LATER_MARK = "✓", "➜", "○"


def basics_present(counts: dict[str, int]) -> bool:
    """Whether the data folder has an interviewer, a template, a stage and a participant."""
    return all(counts.get(kind, 0) > 0 for kind, *_ in STEPS)


class GetStartedPage(QWidget):
    """The first page of an empty data folder; reachable later from the sidebar and the View menu."""

    kind = "start"
    title = "Get started"
    navigate = Signal(str)  # a list page's kind
    examples_loaded = Signal(str)  # what was added, in words: the main window shows it with the participants
    counts_changed = Signal(dict)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.counts: dict[str, int] | None = None
        self.setAccessibleName("Get started")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        holder = QWidget()
        scroll.setWidget(holder)
        centre = QHBoxLayout(holder)
        body = QWidget()
        body.setMaximumWidth(self.fontMetrics().averageCharWidth() * 120)
        centre.addStretch(1)
        centre.addWidget(body, 100)  # as wide as its maximum; what is left goes to the margins
        centre.addStretch(1)
        layout = QVBoxLayout(body)
        layout.addWidget(heading("Get started", 1.5))
        layout.addWidget(hint("To run an interview Viva needs four things: an interviewer, a template (the role or "
                              "programme), a stage of that template, and a participant. Try the examples first, or "
                              "build your own one step at a time."))

        examples = QGroupBox("Try it with examples")
        examples.setAccessibleName("Try it with examples")
        el = QVBoxLayout(examples)
        el.addWidget(hint("Three complete examples (hiring, training and a mock interview), each with its "
                          "interviewer, template, stages and a participant. You can change or delete them later."))
        row = QHBoxLayout()
        self.examples_button = button("Load an example set", self.load_examples, primary=True,
                                      tip="Add the hiring, training and mock-interview examples")
        row.addWidget(self.examples_button)
        row.addStretch(1)
        el.addLayout(row)
        self.examples_result = QLabel("")
        self.examples_result.setWordWrap(True)
        self.examples_result.setAccessibleName("Example set result")
        self.examples_result.hide()
        el.addWidget(self.examples_result)
        layout.addWidget(examples)

        own = QGroupBox("Build your own, step by step")
        own.setAccessibleName("Build your own, step by step")
        grid = QGridLayout(own)
        grid.setColumnStretch(1, 1)
        self.marks: dict[str, QLabel] = {}
        self.states: dict[str, QLabel] = {}
        self.step_buttons: dict[str, Any] = {}
        for row_index, (kind, title, what, first, again) in enumerate(STEPS):
            mark = QLabel(LATER_MARK)
            mark.setFont(scaled_font(mark.font(), 1.4, bold=True))
            mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
            mark.setMinimumWidth(mark.fontMetrics().averageCharWidth() * 4)
            text = QLabel(f"<b>{row_index + 1}. {title}</b><br>{what}")
            text.setWordWrap(True)
            text.setAccessibleName(title)
            state = QLabel("")
            state.setProperty("role", "hint")
            step_button = button(first, partial(self.create_step, kind), name=first.rstrip("…"))
            # Wide enough for either text in bold (the next step's button is the bold, primary one).
            bold = QFontMetrics(scaled_font(step_button.font(), 1.0, bold=True))
            step_button.setMinimumWidth(max(bold.horizontalAdvance(t) for t in (first, again))
                                        + bold.averageCharWidth() * 6)
            words = QVBoxLayout()
            words.setSpacing(0)
            words.addWidget(text)
            words.addWidget(state)
            grid.addWidget(mark, row_index, 0)
            grid.addLayout(words, row_index, 1)
            grid.addWidget(step_button, row_index, 3)
            self.marks[kind], self.states[kind], self.step_buttons[kind] = mark, state, step_button
        last = len(STEPS)
        self.ready_mark = QLabel(LATER_MARK)
        self.ready_mark.setFont(scaled_font(self.ready_mark.font(), 1.4, bold=True))
        self.ready_mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        ready_text = QLabel(f"<b>{last + 1}. Schedule an interview</b><br>"
                            "On the Participants page, choose a person and press “Schedule session…”.")
        ready_text.setWordWrap(True)
        self.ready_button = button("Go to participants", lambda: self.navigate.emit("participant"),
                                   name="Go to participants")
        grid.addWidget(self.ready_mark, last, 0)
        grid.addWidget(ready_text, last, 1)
        grid.addWidget(self.ready_button, last, 3)
        layout.addWidget(own)
        layout.addWidget(hint("You can come back to this page at any time from “Get started” in the sidebar. "
                              "File ▸ Import setup bundle… loads a whole setup from a file."))
        layout.addStretch(1)
        self._first_template: str | None = None
        ctx.ops.changed.connect(self._on_changed)
        self._show_counts({kind: 0 for kind, *_ in STEPS}, known=False)

    # ------------------------------------------------------------ list-page protocol (menus act on the page shown)

    def new(self) -> None:
        """Ctrl+N: the next step."""
        step = self.next_step()
        if step:
            self.create_step(step)

    def edit(self) -> None:
        """Nothing to edit here."""

    def duplicate(self) -> None:
        """Nothing to duplicate here."""

    def delete(self) -> None:
        """Nothing to delete here."""

    def focus_search(self) -> None:
        """No search here."""

    def current(self) -> None:
        """No selection here."""
        return None

    def refresh(self, select_id: str | None = None) -> None:
        """Reloads what exists."""
        self.ctx.ops.query(op("setup_counts"), self._show_counts)
        self.ctx.ops.query(op("choices", "template"), self._remember_template)

    # ------------------------------------------------------------ state

    def next_step(self) -> str | None:
        """The first kind with nothing yet (None when the basics are all there)."""
        for kind, *_ in STEPS:
            if not (self.counts or {}).get(kind):
                return kind
        return None

    def _on_changed(self, changes: OpChanges, _initiator: object) -> None:
        if changes.touches("profile", "template", "stage", "participant"):
            self.refresh()

    def _remember_template(self, items: list[tuple[str, str]]) -> None:
        self._first_template = items[0][0] if items else None

    def _show_counts(self, counts: dict[str, int], known: bool = True) -> None:
        self.counts = counts if known else None
        nxt = self.next_step() if known else None
        for kind, _title, _what, first, again in STEPS:
            n = counts.get(kind, 0)
            done = n > 0
            is_next = kind == nxt
            mark = DONE_MARK if done else (NEXT_MARK if is_next else LATER_MARK)
            self.marks[kind].setText(mark)
            self.marks[kind].setProperty("state", "ok" if done else "")
            self.states[kind].setText(f"Done: {n} {ONE[kind]}{'' if n == 1 else 's'}" if done
                                      else ("This is the next step" if is_next else ""))
            self.states[kind].setVisible(bool(self.states[kind].text()))
            b = self.step_buttons[kind]
            b.setText(again if done else first)
            b.setEnabled(known and (done or is_next))
            b.setProperty("primary", is_next)
            b.setDefault(is_next)
            if not (done or is_next) and nxt:
                b.setToolTip(f"First: {STEPS[[k for k, *_ in STEPS].index(nxt)][1].lower()}")
            else:
                b.setToolTip("")
            b.style().unpolish(b)
            b.style().polish(b)
        empty = known and not any(counts.values())
        self.examples_button.setProperty("primary", empty or not known)  # the quickest start while nothing exists
        self.examples_button.style().unpolish(self.examples_button)
        self.examples_button.style().polish(self.examples_button)
        ready = known and nxt is None
        self.ready_mark.setText(NEXT_MARK if ready else LATER_MARK)
        self.ready_button.setEnabled(ready)
        self.ready_button.setProperty("primary", ready)
        self.ready_button.style().unpolish(self.ready_button)
        self.ready_button.style().polish(self.ready_button)
        if known:
            self.counts_changed.emit(dict(counts))

    # ------------------------------------------------------------ actions

    def create_step(self, kind: str) -> None:
        """Opens the editor of the step's kind, filled with what it needs to refer to."""
        from desktop_app.ui.pages.profiles import BLANK_PROFILE

        template = self._first_template
        data: dict[str, Any] = {
            "profile": dict(BLANK_PROFILE),
            "template": {"name": "", "use_case": "hiring"},
            # No pass mark: the stage editor suggests one on the chosen interviewer's scale.
            "stage": {"template": template or "", "name": "", "type": "ai_interview", "order": 0,
                      "on_completion": "wait_for_approval"},
            "participant": {"template": template or ""},
        }[kind]
        if kind == "stage" and template:
            # The stage goes at the end of the first template's pipeline.
            self.ctx.ops.query(op("choices", "stage", template=template),
                               lambda stages: common.open_editor(self, self.ctx, "stage",
                                                                 data={**data, "order": len(stages)}))
            return
        common.open_editor(self, self.ctx, kind, data=data)

    def load_examples(self) -> None:
        """Loads the example set, says exactly what was added and shows the participants."""
        self.examples_button.setEnabled(False)

        def done(added: dict[str, int]) -> None:
            self.examples_button.setEnabled(True)
            text = wording.counts_summary(added) + "."
            if not added:
                text = "The example set is already loaded."
            self.examples_result.setText(text)
            self.examples_result.show()
            self.last_result = text
            self.examples_loaded.emit(text)

        def failed(exc: Exception) -> None:
            self.examples_button.setEnabled(True)
            show_error(self, "Cannot load the example set", exc)

        self.ctx.ops.change(op("load_examples"), done, failed, initiator=self)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
