"""Checks that warn but never refuse: where a stage's pass mark and its profile's recommendation disagree."""

from __future__ import annotations

from typing import Any

from desktop_app.core.errors import NotFound
from desktop_app.core.logic_conflicts import stage_conflict
from desktop_app.core.models import AgentProfile, EvaluationStage, EvaluationTemplate
from desktop_app.store import setup
from desktop_app.store.db import Store


def _stage_rows(store: Store, column: str, record_id: str) -> list[dict[str, Any]]:
    return [r for r in setup.list_records(store, "stage") if r[column] == record_id]


def pass_mark_warnings(store: Store, obj: Any, record_id: str | None = None) -> list[str]:
    """One sentence per stage whose pass mark disagrees with its profile's recommendation logic.

    `obj` is a validated profile, template or stage about to be saved (or just saved); `record_id` is its id
    when it is stored, so a profile is checked against the stages that use it and a template against its own.
    """
    warnings: list[str] = []
    if isinstance(obj, EvaluationStage):
        try:
            profile = setup.get(store, "profile", obj.agent_profile).obj
        except NotFound:
            return []  # the save itself reports the missing profile
        warnings.append(stage_conflict(profile, obj.pass_threshold, obj.name) or "")
    elif isinstance(obj, AgentProfile) and record_id:
        for row in _stage_rows(store, "profile_id", record_id):
            warnings.append(stage_conflict(obj, row["pass_threshold"], row["name"]) or "")
    elif isinstance(obj, EvaluationTemplate) and record_id:
        profiles: dict[str, AgentProfile] = {}
        for row in _stage_rows(store, "template_id", record_id):
            if row["profile_id"] not in profiles:
                profiles[row["profile_id"]] = setup.get(store, "profile", row["profile_id"]).obj
            warnings.append(stage_conflict(profiles[row["profile_id"]], row["pass_threshold"], row["name"]) or "")
    return [w for w in warnings if w]


def bundle_warnings(store: Store, data: dict[str, Any]) -> list[str]:
    """pass_mark_warnings for every template a just-imported bundle defines or adds stages to."""
    refs = [t.get("name") for t in data.get("templates") or []] + [s.get("template") for s in data.get("stages") or []]
    names = list({str(r).casefold(): str(r) for r in refs if r}.values())
    warnings: list[str] = []
    for name in names:
        try:
            record = setup.get(store, "template", name)
        except NotFound:
            continue
        warnings += pass_mark_warnings(store, record.obj, record.id)
    return warnings
