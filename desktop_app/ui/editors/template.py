"""The evaluation template editor and the stage editor."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QFormLayout, QLabel, QSpinBox

from desktop_app.core.models import (
    SCALE_MAX,
    OnCompletion,
    QuestionDepth,
    Scale,
    SessionMode,
    StageType,
    SuccessOutcome,
    TemplateStatus,
    UseCase,
)
from desktop_app.ui.editors.base import EditorDialog, area, line, text_list
from desktop_app.ui.widgets import combo, enum_items, hint, set_combo_value


class TemplateEditor(EditorDialog):
    """Edits an EvaluationTemplate (its stages are edited in the pipeline view)."""

    kind = "template"
    noun = "template"

    def build_form(self) -> None:
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().lineSpacing() * 36)
        form = QFormLayout()
        self.body.addLayout(form)
        self.name = line("Template name", "e.g. Senior Backend Engineer")
        self.use_case = combo(enum_items(UseCase), "Use case")
        self.objective = area("Objective", "The single thing the interview must determine", 2)
        self.outcome = combo([("Derived from the use case", None), *enum_items(SuccessOutcome)], "Success outcome")
        self.skills = line("Skills", "Comma-separated, e.g. Go, PostgreSQL, Distributed systems")
        self.traits = line("Traits", "Comma-separated, e.g. Communication, Ownership")
        self.criteria = area("Success criteria", "One line per thing the candidate must show", 3)
        self.duration = QSpinBox()
        self.duration.setRange(1, 480)
        self.duration.setSuffix(" min")
        self.duration.setAccessibleName("Duration in minutes")
        self.question_depth = combo(enum_items(QuestionDepth), "Question depth")
        self.mode = combo(enum_items(SessionMode), "Default session mode")
        self.status = combo(enum_items(TemplateStatus), "Status")
        for label, w in (("&Name:", self.name), ("&Use case:", self.use_case), ("&Objective:", self.objective),
                         ("Success &outcome:", self.outcome), ("&Skills:", self.skills), ("&Traits:", self.traits),
                         ("Success &criteria:", self.criteria), ("&Duration:", self.duration),
                         ("Question &depth:", self.question_depth), ("Session &mode:", self.mode), ("St&atus:", self.status)):
            form.addRow(label, w)
        form.addRow(hint("Add and order the stages in the pipeline below the template list."))
        self.field_widgets = {"name": self.name, "use_case": self.use_case, "objective": self.objective,
                              "skills": self.skills, "traits": self.traits, "success_criteria": self.criteria,
                              "duration_minutes": self.duration, "success_outcome": self.outcome}

    def load(self, data: dict[str, Any]) -> None:
        self._base = copy.deepcopy(data)
        self.name.setText(data.get("name", ""))
        set_combo_value(self.use_case, data.get("use_case", UseCase.HIRING.value))
        self.objective.setPlainText(data.get("objective", ""))
        set_combo_value(self.outcome, data.get("success_outcome"))
        self.skills.setText(", ".join(data.get("skills") or []))
        self.traits.setText(", ".join(data.get("traits") or []))
        criteria = data.get("success_criteria") or []
        self.criteria.setPlainText("\n".join(criteria) if isinstance(criteria, list) else str(criteria))
        self.duration.setValue(int(data.get("duration_minutes", 30)))
        set_combo_value(self.question_depth, data.get("question_depth", QuestionDepth.INTERMEDIATE.value))
        set_combo_value(self.mode, data.get("default_session_mode", SessionMode.LIVE_AI_INTERVIEW.value))
        set_combo_value(self.status, data.get("status", TemplateStatus.ACTIVE.value))

    def collect(self) -> dict[str, Any]:
        data = copy.deepcopy(self._base)
        data.update({
            "name": self.name.text(), "use_case": self.use_case.currentData(),
            "objective": self.objective.toPlainText(), "success_outcome": self.outcome.currentData(),
            "skills": text_list(self.skills.text()), "traits": text_list(self.traits.text()),
            "success_criteria": [ln.strip() for ln in self.criteria.toPlainText().splitlines() if ln.strip()],
            "duration_minutes": self.duration.value(), "question_depth": self.question_depth.currentData(),
            "default_session_mode": self.mode.currentData(), "status": self.status.currentData(),
        })
        return data


def suggested_pass_mark(top: int) -> float:
    """A new stage's pass mark: six tenths of the scale (6 of 10, 3 of 5, 60 of 100)."""
    return round(top * 0.6, 1)


class StageEditor(EditorDialog):
    """Edits one EvaluationStage; options: profiles [(id, name)], scales {id: scale}, template_id, order."""

    kind = "stage"
    noun = "stage"

    def build_form(self) -> None:
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.fontMetrics().lineSpacing() * 20)
        form = QFormLayout()
        self.body.addLayout(form)
        self.name = line("Stage name", "Shown to candidates, e.g. Technical screen")
        self.type = combo(enum_items(StageType), "Stage type")
        self.profile = combo([(name, pid) for pid, name in self.options.get("profiles", [])], "Agent profile",
                             tip="The interviewer (persona and rubric) that runs this stage")
        self.threshold = QDoubleSpinBox()
        self.threshold.setDecimals(1)
        self.threshold.setSingleStep(0.5)
        self.threshold.setAccessibleName("Pass threshold")
        self.scale_note = QLabel()
        self.scale_note.setProperty("role", "hint")
        self.retry = QCheckBox("Allow a retry after a fail")
        self.retry.setAccessibleName("Allow retry")
        self.on_completion = combo(enum_items(OnCompletion), "On completion",
                                   tip="Advance automatically, or wait for a person to approve")
        self.duration = QSpinBox()
        self.duration.setRange(0, 480)
        self.duration.setSpecialValueText("Template default")
        self.duration.setSuffix(" min")
        self.duration.setAccessibleName("Duration override in minutes")
        for label, w in (("&Name:", self.name), ("&Type:", self.type), ("Agent &profile:", self.profile),
                         ("Pass &threshold:", self.threshold), ("", self.scale_note), ("", self.retry),
                         ("On &completion:", self.on_completion), ("&Duration:", self.duration)):
            form.addRow(label, w)
        self._suggesting = False
        self._setting_threshold = False
        self.threshold.valueChanged.connect(lambda _v: self._threshold_edited())
        self.profile.currentIndexChanged.connect(lambda _i: self._update_scale())
        self.field_widgets = {"name": self.name, "agent_profile": self.profile, "pass_threshold": self.threshold,
                              "order": self.name, "duration_minutes": self.duration}

    def _update_scale(self) -> None:
        scale = self.options.get("scales", {}).get(self.profile.currentData(), Scale.TEN.value)
        top = SCALE_MAX[Scale(scale)]
        self._setting_threshold = True  # a range change that clamps the value is not the person's edit
        self.threshold.setRange(0, top)
        self._setting_threshold = False
        self.threshold.setSingleStep(0.5 if top <= 10 else 5)
        self.scale_note.setText(f"On the profile's {scale} scale: a score of at least this passes.")
        if self._suggesting:
            # A new stage's pass mark follows the chosen profile's scale until the person sets it.
            self._set_threshold(suggested_pass_mark(top))

    def _set_threshold(self, value: float) -> None:
        self._setting_threshold = True
        self.threshold.setValue(value)
        self._setting_threshold = False

    def _threshold_edited(self) -> None:
        if not self._setting_threshold:
            self._suggesting = False

    def load(self, data: dict[str, Any]) -> None:
        self._base = copy.deepcopy(data)
        self.name.setText(data.get("name", ""))
        set_combo_value(self.type, data.get("type", StageType.AI_INTERVIEW.value))
        # A stored stage keeps its pass mark; a new one starts at a sensible mark, never 0 (which passes everyone).
        self._suggesting = data.get("pass_threshold") is None
        set_combo_value(self.profile, data.get("agent_profile"))
        self._update_scale()
        if not self._suggesting:
            self._set_threshold(float(data["pass_threshold"]))
        self.retry.setChecked(bool(data.get("allow_retry", False)))
        set_combo_value(self.on_completion, data.get("on_completion", OnCompletion.WAIT_FOR_APPROVAL.value))
        self.duration.setValue(int(data.get("duration_minutes") or 0))

    def collect(self) -> dict[str, Any]:
        data = copy.deepcopy(self._base)
        data.update({
            "template": data.get("template") or self.options.get("template_id", ""),
            "name": self.name.text(), "type": self.type.currentData(),
            "agent_profile": self.profile.currentData() or "", "pass_threshold": self.threshold.value(),
            "allow_retry": self.retry.isChecked(), "on_completion": self.on_completion.currentData(),
            "duration_minutes": self.duration.value() or None,
        })
        data.setdefault("order", self.options.get("order", 0))
        return data

    def extra_problem(self, data: dict[str, Any]) -> tuple[str, str] | None:
        if not data["agent_profile"]:
            return "agent_profile", "Choose the agent profile that runs this stage (create one first if the list is empty)."
        return None
