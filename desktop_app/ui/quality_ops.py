"""The calibration and fairness windows' contact with evaluation/ and reports/: run on the store worker or a task.

No widgets here: each function is either fn(store, ...) for the serial store worker, or a long job
given the app context that opens its own connection (the worker stays free for the GUI's reads).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desktop_app.store.db import Store


def template_choices(store: Store) -> list[tuple[str, str]]:
    """(name, id) of every template, by name."""
    return [(r["name"], r["id"]) for r in store.query("SELECT id, name FROM templates ORDER BY name COLLATE NOCASE")]


def stage_choices(store: Store, template_id: str) -> list[tuple[str, str]]:
    """(name, id) of a template's stages in pipeline order."""
    return [(r["name"], r["id"]) for r in store.query(
        "SELECT id, name FROM stages WHERE template_id = ? ORDER BY position", (template_id,))]


def tag_prefixes(store: Store) -> list[str]:
    """Prefixes in use such as "group:" (the text up to and including a tag's first colon), most used first."""
    rows = store.query(
        "SELECT substr(tag, 1, instr(tag, ':')) AS prefix, count(*) AS n FROM participant_tags"
        " WHERE instr(tag, ':') > 1 GROUP BY lower(prefix) ORDER BY n DESC, prefix LIMIT 20")
    return [r["prefix"] for r in rows]


def fairness(store: Store, template_id: str, stage_id: str | None, *, group_prefix: str | None = None,
             groups: Sequence[str] | None = None) -> Any:
    """The adverse-impact report of a template (or one stage)."""
    from desktop_app.reports.fairness import fairness_report

    return fairness_report(store, template_id, stage=stage_id, group_prefix=group_prefix, groups=groups)


def export_fairness(store: Store, report: Any, path: str | Path, operator: str) -> Path:
    """Writes a fairness report as CSV (audited)."""
    from desktop_app.reports.fairness import write_fairness_csv

    return write_fairness_csv(store, report, Path(path), operator=operator)


def calibrate(ctx: Any, path: str | Path, report: Callable[[Any], None], cancel: threading.Event,
              limit: int | None = None) -> Any:
    """Validates a calibration file and rates its items with the active model; for a background task."""
    from desktop_app.evaluation.calibration import check_limit, load_calibration, run_calibration
    from desktop_app.store import setup

    check_limit(limit)
    own: list[Store] = []

    def lookup(name: str) -> Any:
        if not own:
            own.append(Store.open(ctx.paths))
        return setup.get(own[0], "profile", name).obj

    try:
        calibration = load_calibration(Path(path), profile_lookup=lookup)
    finally:
        for s in own:
            s.close()
    report((0, min(limit or len(calibration.items), len(calibration.items)), "loading the language model"))
    llm = ctx.engines.engines().llm
    return run_calibration(llm, calibration, limit=limit, cancel=cancel,
                           progress=lambda done, total, text: report((done, total, text)))
