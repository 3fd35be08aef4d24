"""The agent profile editor: persona (with the spoken introduction), rubric with live weight total, behaviour,
the recommendation in plain choices, advanced scoring settings folded away, context, scorecard."""

from __future__ import annotations

import copy
from typing import Any, TypedDict

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.models import (
    SCALE_MAX,
    Difficulty,
    Level,
    Scale,
    ScoringMethod,
    Style,
    Tone,
    UseCase,
    recommendation_labels,
)
from desktop_app.core.plan import PROBES, introduction
from desktop_app.core.question_bank import QuestionBank, load_bank
from desktop_app.ui.editors.base import EditorDialog, area, line
from desktop_app.ui.editors.expander import Expander
from desktop_app.ui.editors.recommendation import RecommendationBuilder
from desktop_app.ui.editors.rubric import RubricEditor, weight_status
from desktop_app.ui.widgets import combo, enum_items, hint, pretty, set_combo_value

SCORECARD = (
    ("include_transcript", "Include the transcript"),
    ("include_score_breakdown", "Include the score for each dimension"),
    ("include_recommendation", "Include the recommendation"),
    ("include_improvement_feedback", "Include improvement feedback"),
)
# The example the spoken-introduction preview fills in; a real interview uses its own stage and candidate.
class _PreviewStage(TypedDict):
    """The example stage the introduction preview is spoken for."""

    first_name: str
    stage_name: str
    template_name: str
    count: int
    minutes: int


PREVIEW: _PreviewStage = {"first_name": "Sam", "stage_name": "first", "template_name": "the role", "count": 5,
                          "minutes": 30}
SAMPLES_TIP = ("How many times each answer is rated. The ratings are combined and how well they agree is shown "
               "with the score; more is steadier but slower.")
PROBING_TIP = "How many follow-up questions per topic the interviewer may ask before moving on."


class ProfileEditor(EditorDialog):
    """Edits an AgentProfile."""

    kind = "profile"
    noun = "agent profile"

    def build_form(self) -> None:
        self.resize(self.fontMetrics().averageCharWidth() * 130, self.fontMetrics().lineSpacing() * 40)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Profile sections")
        self.body.addWidget(self.tabs, 1)

        general = QWidget()
        form = QFormLayout(general)
        self.name = line("Profile name", "e.g. Senior Engineering Interviewer")
        self.persona = area("Persona, spoken to the candidate at the start",
                            "e.g. “Alex, a senior engineer at Acme.” Read aloud word for word.")
        self.persona.setToolTip("Read aloud to every candidate, word for word, as the interviewer introduces itself. "
                                "In a roleplay it names the character the interviewer plays.")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setProperty("role", "hint")
        self.preview.setAccessibleName("Spoken introduction preview")
        self.use_case = combo(enum_items(UseCase), "Use case",
                              tip="Selects the recommendation words: hire / no hire, ready / needs practice…")
        self.custom_positive = line("Positive recommendation word", "e.g. pass")
        self.custom_negative = line("Negative recommendation word", "e.g. fail")
        self.notes = area("Private notes", "Notes for assessors: never spoken, never given to the interviewer")
        self.notes.setToolTip("Only people using Viva see these notes. They are never read aloud and never given "
                              "to the language model.")
        form.addRow("&Name:", self.name)
        form.addRow("Spoken to the candidate\nat the start (&persona):", self.persona)
        form.addRow("The candidate hears:", self.preview)
        form.addRow(hint("The persona is read aloud word for word and given to the interviewer model (in a roleplay "
                         "stage it names the character the interviewer plays). Keep notes for assessors in Private "
                         "notes: they are never spoken and never given to a model."))
        form.addRow("&Use case:", self.use_case)
        form.addRow("Custom positive word:", self.custom_positive)
        form.addRow("Custom negative word:", self.custom_negative)
        form.addRow(hint("Custom words are used only with the “Custom” use case."))
        form.addRow("Private n&otes:", self.notes)
        self.tabs.addTab(general, "&Interviewer")
        self._bank: QuestionBank | None = None
        self.ctx.ops.query(lambda _store: load_bank(), self._bank_loaded)

        self.rubric = RubricEditor()
        self.rubric.edited.connect(self.changed)
        rubric_page = QWidget()
        rl = QVBoxLayout(rubric_page)
        rl.addWidget(hint("The scoring axes. Each has a weight; the weights must total exactly 100."))
        rl.addWidget(self.rubric, 1)
        self.tabs.addTab(rubric_page, "&Rubric")

        behaviour = QWidget()
        bl = QVBoxLayout(behaviour)
        bf = QFormLayout()
        bl.addLayout(bf)
        self.tone = combo(enum_items(Tone), "Tone")
        self.style_box = combo(enum_items(Style), "Style")
        self.difficulty = combo(enum_items(Difficulty), "Difficulty")
        self.scale = combo([(s.value, s.value) for s in Scale], "Scoring scale")
        self.method = combo(enum_items(ScoringMethod), "Scoring method")
        for label, w in (("&Tone:", self.tone), ("St&yle:", self.style_box), ("&Difficulty:", self.difficulty),
                         ("&Scale:", self.scale), ("Scoring &method:", self.method)):
            bf.addRow(label, w)

        box = QGroupBox("Recommendation")
        box.setAccessibleName("Recommendation")
        rl2 = QVBoxLayout(box)
        self.builder = RecommendationBuilder()
        self.builder.edited.connect(self._builder_edited)
        rl2.addWidget(self.builder)
        rl2.addWidget(hint("With “the stage's pass mark” and no other condition, the recommendation always agrees "
                           "with pass or fail."))
        bl.addWidget(box)

        advanced = QWidget()
        af = QFormLayout(advanced)
        self.probing = combo([(f"{pretty(level.value)}: {low} to {high}", level.value)
                              for level in Level for low, high in [PROBES[level.value]]],
                             "How many follow-up questions per topic", tip=PROBING_TIP)
        self.samples = QSpinBox()
        self.samples.setRange(1, 9)
        self.samples.setSuffix(" times")
        self.samples.setAccessibleName("How many times each answer is rated")
        self.samples.setToolTip(SAMPLES_TIP)
        self.logic = area("Recommendation logic as code",
                          "e.g.\noverall >= 7 and min(dimensions) >= 5 -> hire\nelse -> no_hire", 4)
        self.logic.setToolTip("The rules the choices above write. Edit them here for conditions the choices "
                              "cannot express, e.g. dimension(\"Communication\") >= 6.")
        af.addRow("How many follow-up questions per topic:", self.probing)
        af.addRow("How many times each answer is rated:", self.samples)
        af.addRow("Recommendation as &code:", self.logic)
        af.addRow(hint("One rule per line, the first that holds gives the word: overall, threshold (the stage's pass "
                       "mark), dimension(\"Name\"), min/max/avg(dimensions), and, or, not; “else -> word” at the "
                       "end. Empty: the stage's pass mark decides."))
        self.advanced = Expander("Advanced", advanced, tip="Follow-up questions, rating repeats and the "
                                 "recommendation as code")
        bl.addWidget(self.advanced)
        bl.addStretch(1)
        scroller = QScrollArea()  # the Advanced section, opened, needs more room than the dialog may have
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(behaviour)
        self.tabs.addTab(scroller, "&Behaviour && scoring")
        self._syncing = False

        context = QWidget()
        cf = QFormLayout(context)
        self.organization = area("Organization context", "Who the organisation is, in a sentence or two")
        self.domain = area("Domain context", "The field the questions come from")
        self.scenario = area("Scenario context", "For roleplay: the situation the candidate walks into")
        cf.addRow("Organization:", self.organization)
        cf.addRow("Domain:", self.domain)
        cf.addRow("Scenario:", self.scenario)
        self.scorecard: dict[str, QCheckBox] = {}
        for key, label in SCORECARD:
            check = QCheckBox(label)
            check.setAccessibleName(label)
            cf.addRow(check)
            self.scorecard[key] = check
        self.tabs.addTab(context, "&Context && scorecard")

        self.field_widgets = {
            "name": self.name, "persona": self.persona, "use_case": self.use_case, "custom_labels": self.custom_positive,
            "rubric": self.rubric.table, "scoring.recommendation_logic": self.logic, "scoring.scale": self.scale,
            "recommendation_logic": self.logic, "scoring.samples": self.samples, "notes": self.notes,
            "context.organization": self.organization, "context.domain": self.domain, "context.scenario": self.scenario,
        }

    def load(self, data: dict[str, Any]) -> None:
        self._base = copy.deepcopy(data)
        self.name.setText(data.get("name", ""))
        self.persona.setPlainText(data.get("persona", ""))
        self.notes.setPlainText(data.get("notes", ""))
        set_combo_value(self.use_case, data.get("use_case", UseCase.HIRING.value))
        labels = data.get("custom_labels") or ("", "")
        self.custom_positive.setText(labels[0])
        self.custom_negative.setText(labels[1])
        self.rubric.set_dimensions(data.get("rubric") or [])
        behavior = data.get("behavior") or {}
        set_combo_value(self.tone, behavior.get("tone", Tone.PROFESSIONAL.value))
        set_combo_value(self.style_box, behavior.get("style", Style.STRUCTURED.value))
        set_combo_value(self.difficulty, behavior.get("difficulty", Difficulty.MEDIUM.value))
        set_combo_value(self.probing, behavior.get("probing_depth", Level.MEDIUM.value))
        scoring = data.get("scoring") or {}
        set_combo_value(self.scale, scoring.get("scale", Scale.TEN.value))
        set_combo_value(self.method, scoring.get("method", ScoringMethod.WEIGHTED_AVERAGE.value))
        self.samples.setValue(int(scoring.get("samples", 3)))
        self.logic.setPlainText(scoring.get("recommendation_logic") or "")
        context = data.get("context") or {}
        self.organization.setPlainText(context.get("organization", ""))
        self.domain.setPlainText(context.get("domain", ""))
        self.scenario.setPlainText(context.get("scenario", ""))
        card = data.get("scorecard") or {}
        for key, box in self.scorecard.items():
            box.setChecked(bool(card.get(key, True)))
        self._custom_enabled()
        self._sync_recommendation()
        # Logic the plain choices cannot show is shown as code, with the note beside the choices.
        self.advanced.set_expanded(not self.builder.representable)
        self._update_preview()

    def collect(self) -> dict[str, Any]:
        data = copy.deepcopy(self._base)
        data.update({
            "name": self.name.text(),
            "persona": self.persona.toPlainText(),
            "notes": self.notes.toPlainText(),
            "use_case": self.use_case.currentData(),
            "rubric": self.rubric.dimensions(),
        })
        pos, neg = self.custom_positive.text().strip(), self.custom_negative.text().strip()
        data["custom_labels"] = [pos, neg] if data["use_case"] == UseCase.CUSTOM and (pos or neg) else None
        data["behavior"] = {**(data.get("behavior") or {}), "tone": self.tone.currentData(),
                            "style": self.style_box.currentData(), "difficulty": self.difficulty.currentData(),
                            "probing_depth": self.probing.currentData()}
        data["scoring"] = {**(data.get("scoring") or {}), "scale": self.scale.currentData(),
                           "method": self.method.currentData(), "samples": self.samples.value(),
                           "recommendation_logic": self.logic.toPlainText().strip() or None}
        data["context"] = {"organization": self.organization.toPlainText(), "domain": self.domain.toPlainText(),
                           "scenario": self.scenario.toPlainText()}
        data["scorecard"] = {key: box.isChecked() for key, box in self.scorecard.items()}
        return data

    def changed(self, *args: Any) -> None:
        if not self._loading:
            self._custom_enabled()
            self._sync_recommendation()
            self._update_preview()
        super().changed(*args)
        if self.logic.property("invalid"):
            self.advanced.set_expanded(True)  # the problem is in the code: show it

    # ------------------------------------------------------------ recommendation

    def _labels(self) -> tuple[str, str]:
        use_case = self.use_case.currentData() or UseCase.HIRING.value
        custom = (self.custom_positive.text().strip(), self.custom_negative.text().strip())
        return recommendation_labels(use_case, custom if all(custom) else None)

    def _write_logic(self, text: str) -> None:
        if text != self.logic.toPlainText().strip():
            self._syncing = True
            self.logic.setPlainText(text)
            self._syncing = False

    def _builder_edited(self) -> None:
        self._write_logic(self.builder.logic_text())

    def _sync_recommendation(self) -> None:
        """Keeps the plain choices, the words of the use case, the scale and the code in step."""
        if self._syncing:
            return
        self.builder.set_scale(SCALE_MAX[Scale(self.scale.currentData() or Scale.TEN.value)])
        words = self._labels()
        if words != (self.builder.positive, self.builder.negative):
            was_simple = self.builder.representable
            self.builder.set_words(*words)
            if was_simple and self.logic.toPlainText().strip():
                self._write_logic(self.builder.logic_text())  # the same choices in the new words
        self.builder.show_logic(self.logic.toPlainText())

    # ------------------------------------------------------------ spoken introduction

    def _bank_loaded(self, bank: QuestionBank) -> None:
        self._bank = bank
        self._update_preview()

    def _update_preview(self) -> None:
        """The opening the interview speaks, built by the interview's own function for an example stage."""
        if self._bank is None:
            self.preview.setText("…")
            return
        text = introduction(persona=self.persona.toPlainText().strip(),
                            organization=self.organization.toPlainText(), tone=self.tone.currentData(),
                            style=self.style_box.currentData(), bank=self._bank, **PREVIEW)
        self.preview.setText(f"“{text}”")
        self.preview.setAccessibleDescription(text)

    def _custom_enabled(self) -> None:
        custom = self.use_case.currentData() == UseCase.CUSTOM
        self.custom_positive.setEnabled(custom)
        self.custom_negative.setEnabled(custom)

    def extra_problem(self, data: dict[str, Any]) -> tuple[str, str] | None:
        dims = data["rubric"]
        if not dims:
            return "rubric", "Add at least one rubric dimension before saving."
        for i, d in enumerate(dims):
            if not d["name"]:
                return f"rubric[{i}].name", f"Rubric row {i + 1} needs a name."
        total = sum(d["weight"] for d in dims)
        if total != 100:
            ok, text = weight_status(total)
            return "rubric", f"{text}. Rubric weights must total exactly 100 before you can save."
        return None
