"""The participant editor, with resume import (PDF, DOCX or TXT; the store copies and extracts it)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout

from desktop_app.ui.editors.base import EditorDialog, line, text_list
from desktop_app.ui.ops import message_of
from desktop_app.ui.widgets import button, combo, set_combo_value

RESUME_FILTER = "Resumes (*.pdf *.docx *.txt *.md);;All files (*)"


class ParticipantEditor(EditorDialog):
    """Edits a Participant; options: templates [(id, name)]."""

    kind = "participant"
    noun = "participant"

    def build_form(self) -> None:
        self.resize(self.fontMetrics().averageCharWidth() * 130, self.fontMetrics().lineSpacing() * 38)
        columns = QHBoxLayout()
        self.body.addLayout(columns, 1)
        left = QFormLayout()
        columns.addLayout(left, 1)
        self.name = line("Full name")
        self.email = line("Email", "name@example.org")
        self.template = combo([(name, tid) for tid, name in self.options.get("templates", [])], "Template",
                              tip="The role or programme this person is evaluated against")
        self.external_id = line("External id", "Your ATS / LMS id, echoed in every export")
        self.tags = line("Tags", "Comma-separated, e.g. senior, onsite")
        self.title = line("Job title")
        self.organization = line("Organization")
        self.level = line("Experience level", "e.g. junior, senior")
        self.location = line("Location")
        self.skills = line("Skills", "Comma-separated")
        self.education = line("Education")
        self.languages = line("Languages", "Comma-separated")
        for label, w in (("&Name:", self.name), ("&Email:", self.email), ("&Template:", self.template),
                         ("E&xternal id:", self.external_id), ("T&ags:", self.tags), ("Job t&itle:", self.title),
                         ("Or&ganization:", self.organization), ("Experience &level:", self.level),
                         ("Lo&cation:", self.location), ("S&kills:", self.skills), ("Ed&ucation:", self.education),
                         ("Lan&guages:", self.languages)):
            left.addRow(label, w)

        box = QGroupBox("Resume")
        box.setAccessibleName("Resume")
        right = QVBoxLayout(box)
        row = QHBoxLayout()
        self.resume_label = QLabel("No resume file")
        self.resume_label.setWordWrap(True)
        self.resume_label.setAccessibleName("Resume file")
        self.import_button = button("Import resume…", self.choose_resume,
                                    tip="A PDF, DOCX or TXT file; it is copied into the data folder and its text extracted")
        self.clear_button = button("Remove", self.clear_resume, tip="Forget the resume", name="Remove resume")
        row.addWidget(self.resume_label, 1)
        row.addWidget(self.import_button)
        row.addWidget(self.clear_button)
        right.addLayout(row)
        self.resume_text = QPlainTextEdit()
        self.resume_text.setAccessibleName("Resume text")
        self.resume_text.setPlaceholderText("The resume's text appears here; you can also paste or type it.")
        self.resume_text.setTabChangesFocus(True)
        right.addWidget(self.resume_text, 1)
        columns.addWidget(box, 1)
        self.field_widgets = {"name": self.name, "email": self.email, "template": self.template,
                              "external_id": self.external_id, "tags": self.tags, "resume": self.import_button,
                              "profile": self.title, "background": self.skills}

    def load(self, data: dict[str, Any]) -> None:
        self._base = copy.deepcopy(data)
        self.name.setText(data.get("name", ""))
        self.email.setText(data.get("email", ""))
        set_combo_value(self.template, data.get("template"))
        self.external_id.setText(data.get("external_id") or "")
        self.tags.setText(", ".join(data.get("tags") or []))
        profile = data.get("profile") or {}
        self.title.setText(profile.get("title", ""))
        self.organization.setText(profile.get("organization", ""))
        self.level.setText(profile.get("experience_level", ""))
        self.location.setText(profile.get("location", ""))
        background = data.get("background") or {}
        self.skills.setText(", ".join(background.get("skills") or []))
        self.education.setText(background.get("education", ""))
        self.languages.setText(", ".join(background.get("languages") or []))
        self.resume_path: str | None = data.get("resume")
        self.resume_text.setPlainText(data.get("resume_text", ""))
        self._show_resume()

    def collect(self) -> dict[str, Any]:
        data = copy.deepcopy(self._base)
        data.update({
            "name": self.name.text(), "email": self.email.text().strip(), "template": self.template.currentData() or "",
            "external_id": self.external_id.text().strip() or None, "tags": text_list(self.tags.text()),
            "profile": {"title": self.title.text(), "organization": self.organization.text(),
                        "experience_level": self.level.text(), "location": self.location.text()},
            "background": {"skills": text_list(self.skills.text()), "education": self.education.text(),
                           "languages": text_list(self.languages.text())},
            "resume": self.resume_path, "resume_text": self.resume_text.toPlainText(),
        })
        return data

    def extra_problem(self, data: dict[str, Any]) -> tuple[str, str] | None:
        if not data["template"]:
            return "template", "Choose the template this participant is evaluated against (create one first)."
        return None

    # ------------------------------------------------------------ resume

    def choose_resume(self) -> None:
        """Asks for a resume file and previews its text off the GUI thread."""
        path, _ = QFileDialog.getOpenFileName(self, "Import resume", str(Path.home()), RESUME_FILTER)
        if path:
            self.set_resume(path)

    def set_resume(self, path: str) -> None:
        """Uses `path` as the resume; its text is extracted in the background for the preview."""
        from desktop_app.core.resume import extract_resume_text

        self.resume_path = path
        self._show_resume("Reading…")
        self.ctx.tasks.run(lambda: extract_resume_text(path), self._resume_read, self._resume_failed,
                           name="viva-resume")

    def _resume_read(self, text: str) -> None:
        self.resume_text.setPlainText(text)
        self._show_resume()
        self.changed()

    def _resume_failed(self, exc: Exception) -> None:
        self.resume_path = None
        self._show_resume()
        self.message.show_error(message_of(exc))

    def clear_resume(self) -> None:
        """Forgets the resume file and text."""
        self.resume_path = None
        self.resume_text.clear()
        self._show_resume()
        self.changed()

    def _show_resume(self, note: str = "") -> None:
        name = Path(self.resume_path).name if self.resume_path else "No resume file"
        self.resume_label.setText(f"{name} {note}".strip())
        self.clear_button.setEnabled(bool(self.resume_path or self.resume_text.toPlainText()))
