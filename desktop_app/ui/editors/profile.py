"""The agent profile editor: persona, rubric with live weight total, behaviour, scoring, context, scorecard."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from desktop_app.core.models import Difficulty, Level, Scale, ScoringMethod, Style, Tone, UseCase
from desktop_app.ui.editors.base import EditorDialog, area, line
from desktop_app.ui.editors.rubric import RubricEditor, weight_status
from desktop_app.ui.widgets import combo, enum_items, hint, set_combo_value

SCORECARD = (
    ("include_transcript", "Include the transcript"),
    ("include_score_breakdown", "Include the score for each dimension"),
    ("include_recommendation", "Include the recommendation"),
    ("include_improvement_feedback", "Include improvement feedback"),
)


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
        self.persona = area("Persona", "How the interviewer introduces itself, e.g. “Alex, a senior engineer at Acme.”")
        self.use_case = combo(enum_items(UseCase), "Use case",
                              tip="Selects the recommendation words: hire / no hire, ready / needs practice…")
        self.custom_positive = line("Positive recommendation word", "e.g. pass")
        self.custom_negative = line("Negative recommendation word", "e.g. fail")
        form.addRow("&Name:", self.name)
        form.addRow("&Persona:", self.persona)
        form.addRow("&Use case:", self.use_case)
        form.addRow("Custom positive word:", self.custom_positive)
        form.addRow("Custom negative word:", self.custom_negative)
        form.addRow(hint("Custom words are used only with the “Custom” use case."))
        self.tabs.addTab(general, "&Interviewer")

        self.rubric = RubricEditor()
        self.rubric.edited.connect(self.changed)
        rubric_page = QWidget()
        rl = QVBoxLayout(rubric_page)
        rl.addWidget(hint("The scoring axes. Each has a weight; the weights must total exactly 100."))
        rl.addWidget(self.rubric, 1)
        self.tabs.addTab(rubric_page, "&Rubric")

        behaviour = QWidget()
        bf = QFormLayout(behaviour)
        self.tone = combo(enum_items(Tone), "Tone")
        self.style_box = combo(enum_items(Style), "Style")
        self.difficulty = combo(enum_items(Difficulty), "Difficulty")
        self.probing = combo(enum_items(Level), "Probing depth")
        self.scale = combo([(s.value, s.value) for s in Scale], "Scoring scale")
        self.method = combo(enum_items(ScoringMethod), "Scoring method")
        self.samples = QSpinBox()
        self.samples.setRange(1, 9)
        self.samples.setAccessibleName("Scoring samples per dimension")
        self.samples.setToolTip("How many times the model scores each dimension; their agreement is reported")
        self.logic = area("Recommendation logic", "e.g.\noverall >= 7 and min(dimensions) >= 5 -> hire\nelse -> no_hire", 4)
        for label, w in (("&Tone:", self.tone), ("St&yle:", self.style_box), ("&Difficulty:", self.difficulty),
                         ("Probing depth:", self.probing), ("&Scale:", self.scale), ("Scoring &method:", self.method),
                         ("Samples:", self.samples), ("Recommendation &logic:", self.logic)):
            bf.addRow(label, w)
        bf.addRow(hint("Leave the logic empty to recommend by the stage's pass threshold."))
        self.tabs.addTab(behaviour, "&Behaviour && scoring")

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
            box = QCheckBox(label)
            box.setAccessibleName(label)
            cf.addRow(box)
            self.scorecard[key] = box
        self.tabs.addTab(context, "&Context && scorecard")

        self.field_widgets = {
            "name": self.name, "persona": self.persona, "use_case": self.use_case, "custom_labels": self.custom_positive,
            "rubric": self.rubric.table, "scoring.recommendation_logic": self.logic, "scoring.scale": self.scale,
            "recommendation_logic": self.logic,
            "context.organization": self.organization, "context.domain": self.domain, "context.scenario": self.scenario,
        }

    def load(self, data: dict[str, Any]) -> None:
        self._base = copy.deepcopy(data)
        self.name.setText(data.get("name", ""))
        self.persona.setPlainText(data.get("persona", ""))
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

    def collect(self) -> dict[str, Any]:
        data = copy.deepcopy(self._base)
        data.update({
            "name": self.name.text(),
            "persona": self.persona.toPlainText(),
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
        self._custom_enabled()
        super().changed(*args)

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
