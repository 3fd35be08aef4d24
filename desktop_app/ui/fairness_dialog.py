"""Fairness window: pass rates by group per stage (the four-fifths rule), its caveats in plain words, CSV export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.ops import message_of
from desktop_app.ui.theme import ERROR
from desktop_app.ui.widgets import InlineMessage, button, combo, fit_to_screen, heading, hint, name_buttons

COLUMNS = ("Stage", "Group", "n", "Passed", "Pass rate", "Ratio to highest", "Four-fifths rule")
BY_PREFIX, BY_TAGS = "prefix", "tags"
CSV_FILTER = "CSV files (*.csv);;All files (*)"


def _quality_op(name: str, *args: Any, **kwargs: Any) -> Any:
    """fn(store) calling desktop_app.ui.quality_ops.<name> on the store worker."""
    def run(store: Any) -> Any:
        from desktop_app.ui import quality_ops

        return getattr(quality_ops, name)(store, *args, **kwargs)

    run.__qualname__ = f"quality_ops.{name}"
    return run


def _cell(text: str, *, numeric: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class FairnessDialog(QDialog):
    """Picks a template, a stage and how groups are read from tags; shows each group's pass rate and ratio."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: Any = None
        self.loading = 0
        self.setWindowTitle("Fairness: pass rates by group")
        self.setAccessibleName("Fairness: pass rates by group")
        fm = self.fontMetrics()
        fit_to_screen(self, fm.averageCharWidth() * 120, fm.lineSpacing() * 40)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Fairness: pass rates by group", 1.2))
        layout.addWidget(hint(
            "Groups come from participant tags you choose, for example tags group:A and group:B with the prefix "
            "group:. Participants with none of them are counted as unspecified. Each participant's latest scored "
            "attempt at a stage counts once."))
        form = QFormLayout()
        self.template = combo([], "Template", tip="The template whose stages are reported")
        self.template.currentIndexChanged.connect(lambda _i: self._load_stages())
        form.addRow(self._caption("&Template:", self.template), self.template)
        self.stage = combo([("All stages", None)], "Stage", tip="One stage, or every stage of the template")
        form.addRow(self._caption("&Stage:", self.stage), self.stage)
        self.group_by = combo([("Tags starting with a prefix", BY_PREFIX), ("Exactly these tags", BY_TAGS)],
                              "Groups from", tip="How participants' tags name their group")
        self.group_by.currentIndexChanged.connect(lambda _i: self._group_mode_changed())
        form.addRow(self._caption("&Groups from:", self.group_by), self.group_by)
        self.group_text = QComboBox()
        self.group_text.setEditable(True)
        self.group_text.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.group_text.setAccessibleName("Group tag prefix")
        self.group_text.setToolTip("e.g. group: for the tags group:A, group:B")
        self.group_text.setEditText("group:")
        form.addRow(self._caption("Prefi&x or tags:", self.group_text), self.group_text)
        layout.addLayout(form)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Pass rates by group")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 2)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.RichText)
        self.warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning.setAccessibleName("What these numbers do and do not show")
        layout.addWidget(self.warning, 1)
        self.buttons = QDialogButtonBox()
        self.show_button = button("Show", self.refresh, tip="Compute the pass rates", name="Show pass rates",
                                  primary=True)
        self.export_button = button("Export CSV…", self.export_csv, tip="Save the table as CSV",
                                    name="Export fairness table as CSV")
        self.export_button.setEnabled(False)
        self.buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)
        layout.addWidget(name_buttons(self.buttons))
        self._load_templates()

    @staticmethod
    def _caption(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # ------------------------------------------------------------ choices

    def _query(self, fn: Any, on_done: Any) -> None:
        self.loading += 1

        def done(result: Any) -> None:
            self.loading -= 1
            on_done(result)

        def failed(exc: BaseException) -> None:
            self.loading -= 1
            self.message.show_error(message_of(exc))

        self.ctx.ops.query(fn, done, failed)

    def _load_templates(self) -> None:
        self._query(_quality_op("template_choices"), self._fill_templates)
        self._query(_quality_op("tag_prefixes"), self._fill_prefixes)

    def _fill_templates(self, choices: list[tuple[str, str]]) -> None:
        self.template.clear()
        for name, template_id in choices:
            self.template.addItem(name, template_id)
        has = bool(choices)
        self.show_button.setEnabled(has)
        if not has:
            self.message.show_error("There are no templates yet.")

    def _fill_prefixes(self, prefixes: list[str]) -> None:
        text = self.group_text.currentText()
        self.group_text.clear()
        self.group_text.addItems(prefixes)
        self.group_text.setEditText(text if text != "group:" or not prefixes else prefixes[0])

    def _load_stages(self) -> None:
        template_id = self.template.currentData()
        self.stage.clear()
        self.stage.addItem("All stages", None)
        if template_id:
            self._query(_quality_op("stage_choices", template_id), self._fill_stages)

    def _fill_stages(self, choices: list[tuple[str, str]]) -> None:
        for name, stage_id in choices:
            self.stage.addItem(name, stage_id)

    def _group_mode_changed(self) -> None:
        by_tags = self.group_by.currentData() == BY_TAGS
        self.group_text.setAccessibleName("Group tags, separated by commas" if by_tags else "Group tag prefix")
        self.group_text.setToolTip("e.g. female, male, unspecified" if by_tags else "e.g. group: for group:A, group:B")

    # ------------------------------------------------------------ report

    def refresh(self) -> None:
        """Computes the report for the current choices on the store worker."""
        template_id = self.template.currentData()
        if not template_id:
            self.message.show_error("Choose a template.")
            return
        text = self.group_text.currentText().strip()
        if not text:
            self.message.show_error("Give a tag prefix such as group:, or a list of tags.")
            return
        if self.group_by.currentData() == BY_TAGS:
            kwargs: dict[str, Any] = {"groups": [t.strip() for t in text.split(",") if t.strip()]}
        else:
            kwargs = {"group_prefix": text}
        self.message.clear_message()
        self._query(_quality_op("fairness", template_id, self.stage.currentData(), **kwargs), self.show_report)

    def show_report(self, report: Any) -> None:
        """Fills the table; ratios under the threshold are marked in red with words, not colour alone."""
        self.report = report
        rows = [(s, g) for s in report.stages for g in s.impact.groups]
        self.table.setRowCount(len(rows))
        red = QBrush(QColor(ERROR))
        for r, (stage, g) in enumerate(rows):
            impact = stage.impact
            if g.flagged:
                verdict = f"⚠ below {impact.threshold:g}"
            elif g.ratio is None:
                verdict = "no passes to compare"
            elif g.group == impact.reference_group:
                verdict = "highest rate"
            else:
                verdict = "ok"
            if g.small:
                verdict += f" · small group (n < {impact.min_group_size})"
            values = [(stage.stage, False), (g.group, False), (str(g.n), True), (str(g.passed), True),
                      (f"{g.rate:.0%}", True), ("n/a" if g.ratio is None else f"{g.ratio:.2f}", True),
                      (verdict, False)]
            for c, (value, numeric) in enumerate(values):
                item = _cell(value, numeric=numeric)
                if g.flagged and c in (5, 6):
                    item.setForeground(red)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        notes = []
        for s in report.stages:
            if not s.impact.groups:
                notes.append(f"<p><b>{_esc(s.stage)}</b>: no scored sessions with a pass or fail yet.</p>")
            else:
                notes.append(f"<p><b>{_esc(s.stage)}</b>: {_esc(s.impact.warning)}</p>")
        if report.unscored:
            notes.append(f"<p>{report.unscored} completed session(s) have no pass or fail yet and are not "
                         "counted.</p>")
        self.warning.setText("".join(notes))
        self.warning.setAccessibleDescription(" ".join(s.impact.warning for s in report.stages))
        self.export_button.setEnabled(bool(rows))
        flagged = sum(1 for _s, g in rows if g.flagged)
        summary = f"{len(rows)} group row(s) across {len(report.stages)} stage(s)"
        if flagged:
            self.message.show_error(f"{summary}; {flagged} below the four-fifths ratio: look closer before concluding.")
        else:
            self.message.show_ok(f"{summary}; none below the four-fifths ratio.")

    def export_csv(self, path: str | None = None) -> None:
        """Saves the table shown as CSV (the caveats travel in a column)."""
        if self.report is None:
            return
        default = str(self.ctx.paths.exports / "fairness.csv")
        path = path or QFileDialog.getSaveFileName(self, "Export fairness table", default, CSV_FILTER)[0]
        if not path:
            return
        self.ctx.paths.exports.mkdir(parents=True, exist_ok=True)
        self._query(_quality_op("export_fairness", self.report, path, self.ctx.operator),
                    lambda written: self.message.show_ok(f"Saved {Path(written).name} in {Path(written).parent}"))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
