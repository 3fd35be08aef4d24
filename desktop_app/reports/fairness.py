"""The adverse-impact report of a template: one four-fifths table per stage, as data, text or CSV."""

from __future__ import annotations

import csv
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.errors import UserError
from desktop_app.core.fairness import FOUR_FIFTHS, MIN_GROUP_SIZE, AdverseImpact, adverse_impact, groups_of
from desktop_app.store import reports, setup
from desktop_app.store.db import Store

CSV_COLUMNS = ("template", "stage", "group", "n", "passed", "pass_rate", "ratio", "below_four_fifths",
               "small_group", "reference_group", "warning")


@dataclass(frozen=True)
class StageImpact:
    """One stage's adverse-impact table."""

    stage_id: str
    stage: str
    impact: AdverseImpact


@dataclass(frozen=True)
class FairnessReport:
    """Every stage's table for a template, and how the groups were chosen."""

    template_id: str
    template: str
    grouping: str  # "prefix group:" or "tags A, B"
    stages: tuple[StageImpact, ...]
    unscored: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {"template_id": self.template_id, "template": self.template, "grouping": self.grouping,
                "unscored_sessions": self.unscored,
                "stages": [{"stage_id": s.stage_id, "stage": s.stage, **s.impact.to_dict()} for s in self.stages]}


def parse_group_tags(text: str) -> list[str]:
    """Comma-separated tags -> a list; UserError when none are given."""
    tags = [t.strip() for t in text.split(",") if t.strip()]
    if not tags:
        raise UserError("list at least one tag, separated by commas", field="groups")
    return tags


def fairness_report(store: Store, template: str, *, stage: str | None = None, group_prefix: str | None = None,
                    groups: Sequence[str] | None = None, threshold: float = FOUR_FIFTHS,
                    min_group_size: int = MIN_GROUP_SIZE) -> FairnessReport:
    """Pass rates by group for a template's stages (or one stage), groups taken from participant tags."""
    if (group_prefix is None) == (groups is None):
        raise UserError("give either a group tag prefix or a list of group tags", field="groups")
    if group_prefix is not None and not group_prefix.strip():
        raise UserError("must not be empty (e.g. group:)", field="group_prefix")
    if groups is not None and not [g for g in groups if g.strip()]:
        raise UserError("list at least one tag", field="groups")
    template_rec = setup.get(store, "template", template)
    stage_id = None
    if stage:
        stage_rec = setup.get(store, "stage", stage, template_id=template_rec.id)
        if stage_rec.obj.template != template_rec.id:
            raise UserError(f"stage {stage_rec.obj.name!r} belongs to another template", field="stage")
        stage_id = stage_rec.id
        stage_list = [(stage_rec.id, stage_rec.obj.name)]
    else:
        stage_list = [(r["id"], r["name"]) for r in store.query(
            "SELECT id, name FROM stages WHERE template_id = ? ORDER BY position", (template_rec.id,))]
    chosen = [g.strip() for g in groups if g.strip()] if groups is not None else None
    prefix = group_prefix.strip() if group_prefix is not None else None
    rows = reports.stage_outcomes(store, template_rec.id, stage_id)
    tables = []
    for sid, name in stage_list:
        pairs: list[tuple[str, bool]] = []
        multi = 0
        for r in rows:
            if r["stage_id"] != sid:
                continue
            member_of = groups_of(r["tags"], prefix=prefix, groups=chosen)
            multi += len(member_of) > 1
            pairs.extend((g, r["passed"]) for g in member_of)
        impact = adverse_impact(pairs, threshold=threshold, min_group_size=min_group_size, multi_group=multi)
        tables.append(StageImpact(sid, name, impact))
    grouping = f"tag prefix {prefix!r}" if prefix is not None else "tags " + ", ".join(chosen or ())
    return FairnessReport(template_rec.id, template_rec.obj.name, grouping, tuple(tables),
                          reports.unscored_count(store, template_rec.id, stage_id))


def csv_rows(report: FairnessReport) -> list[dict[str, Any]]:
    """One row per stage and group; each carries its stage's caveats so they travel with the numbers."""
    out = []
    for s in report.stages:
        for g in s.impact.groups:
            out.append({"template": report.template, "stage": s.stage, "group": g.group, "n": g.n,
                        "passed": g.passed, "pass_rate": round(g.rate, 4),
                        "ratio": None if g.ratio is None else round(g.ratio, 4), "below_four_fifths": g.flagged,
                        "small_group": g.small, "reference_group": g.group == s.impact.reference_group,
                        "warning": s.impact.warning})
    return out


def write_fairness_csv(store: Store, report: FairnessReport, path: str | Path, *, operator: str = "operator") -> Path:
    """Writes the report as UTF-8 CSV (atomically, spreadsheet-safe) and records the export in the audit log."""
    from desktop_app.reports.exports import _atomic_write, _safe_cell

    target = Path(path)
    if target.is_dir():
        raise UserError(f"{target} is a folder; give a file name", field="csv")
    rows = csv_rows(report)

    def write(fh: Any) -> None:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({c: _safe_cell(r.get(c)) for c in CSV_COLUMNS})

    _atomic_write(target, write, newline="")
    with store.transaction():
        store.audit(operator, "export_fairness", "template", report.template_id, path=str(target), rows=len(rows))
    return target


def _fmt(value: float | None, pattern: str) -> str:
    return "n/a" if value is None else format(value, pattern)


def render_text(report: FairnessReport) -> str:
    """A readable table per stage with the warning under it."""
    lines = [f"Adverse impact: {report.template} (groups from {report.grouping})"]
    for s in report.stages:
        lines += ["", f"Stage {s.stage}: {s.impact.total} outcome(s)"]
        if not s.impact.groups:
            lines.append("  no scored sessions with a pass/fail yet")
            continue
        width = max(12, *(len(g.group) for g in s.impact.groups))
        lines.append(f"  {'group':<{width}} {'n':>5} {'passed':>7} {'rate':>7} {'ratio':>6}")
        for g in s.impact.groups:
            mark = []
            if g.flagged:
                mark.append(f"BELOW {s.impact.threshold:g}")
            if g.small:
                mark.append("small group")
            if g.group == s.impact.reference_group:
                mark.append("highest rate")
            lines.append(f"  {g.group:<{width}} {g.n:>5} {g.passed:>7} {g.rate:>7.1%} {_fmt(g.ratio, '.2f'):>6}"
                         + (f"  {', '.join(mark)}" if mark else ""))
        lines.append(textwrap.fill(s.impact.warning, width=100, initial_indent="  ", subsequent_indent="  "))
    if report.unscored:
        lines += ["", f"{report.unscored} completed session(s) have no pass/fail yet and are not counted."]
    return "\n".join(lines)
