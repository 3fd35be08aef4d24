"""Named operations on sessions and pipelines, run on the store worker."""

from __future__ import annotations

from typing import Any

from desktop_app.store import sessions as session_store
from desktop_app.store import setup
from desktop_app.store.db import Store
from desktop_app.ui.changes import Outcome, changes
from desktop_app.ui.operations import list_rows
from desktop_app.ui.vocab import STATES

ALL = 1_000_000
APPROVED = ("approved", "advanced", "accepted")
REJECTED = ("rejected", "declined")


def session_rows(store: Store, *, template: str | None = None, stage: str | None = None,
                 status: str | None = None) -> list[dict[str, Any]]:
    """Session summaries for the Sessions list."""
    return session_store.list_sessions(store, template=template or None, stage=stage or None,
                                       status=status or None, limit=ALL)


def _state_of(row: dict[str, Any], stage: dict[str, Any]) -> str:
    status = row["status"]
    if status != "completed":
        return status if status in STATES else "failed"
    decision = (row.get("decision") or "pending").lower()
    if decision in REJECTED:
        return "rejected"
    if row.get("overall") is None and row.get("recommendation") is None:
        return "awaiting_scoring"
    if decision in APPROVED:
        return "passed"
    if row.get("passed") == 0:
        return "not_passed"
    if stage["on_completion"] == "wait_for_approval":
        return "awaiting_approval"
    return "passed"


def pipeline_overview(store: Store, template_id: str) -> dict[str, Any]:
    """A template's stages in order and where each participant stands in them."""
    stages = [
        {**r, "profile": p}
        for r in setup.list_records(store, "stage", template=template_id)
        for p in [_profile_name(store, r["profile_id"])]
    ]
    position = {s["id"]: i for i, s in enumerate(stages)}
    latest: dict[str, dict[str, Any]] = {}
    for row in session_store.list_sessions(store, template=template_id, limit=ALL):  # newest first
        best = latest.get(row["participant_id"])
        if best is None or position.get(row["stage_id"], -1) > position.get(best["stage_id"], -1):
            latest[row["participant_id"]] = row
    people = []
    for person in setup.list_records(store, "participant", template=template_id, include_archived=False):
        row = latest.get(person["id"])
        if row is None:
            state, index, session_id = "not_started", 0, None
        else:
            index = position.get(row["stage_id"], 0)
            state, session_id = _state_of(row, stages[index]), row["id"]
            if state == "passed" and index == len(stages) - 1:
                state = "finished"
        label, attention = STATES[state]
        people.append({"id": person["id"], "name": person["name"], "email": person["email"], "tags": person["tags"],
                       "stage_index": index, "stage": stages[index]["name"] if stages else "",
                       "state": state, "state_label": label, "attention": attention, "session_id": session_id})
    return {"template_id": template_id, "stages": stages, "participants": people}


def _profile_name(store: Store, profile_id: str) -> str:
    try:
        return setup.get(store, "profile", profile_id).obj.name
    except Exception:
        return "?"


def suggested_stage(store: Store, participant_id: str) -> str | None:
    """The stage a participant would most likely run next (None when the pipeline is done)."""
    person = setup.get(store, "participant", participant_id)
    overview = pipeline_overview(store, person.obj.template)
    stages = overview["stages"]
    if not stages:
        return None
    me = next((p for p in overview["participants"] if p["id"] == participant_id), None)
    if me is None or me["state"] in ("not_started",):
        return stages[0]["id"]
    index = me["stage_index"]
    if me["state"] == "passed":
        return stages[index + 1]["id"] if index + 1 < len(stages) else None
    if me["state"] == "finished":
        return None
    return stages[index]["id"]


def schedule(store: Store, participant_id: str, stage_id: str) -> Outcome:
    """Schedules a session; undo cancels it."""
    record = session_store.schedule_session(store, participant_id, stage_id)
    return Outcome(record.to_dict(), changes("session", ids=(record.id,)),
                   lambda s: cancel(s, record.id), "Schedule session")


def cancel(store: Store, session_id: str, reason: str = "") -> Outcome:
    """Cancels a scheduled or running session (it stays in the history)."""
    record = session_store.set_status(store, session_id, "cancelled", reason=reason)
    return Outcome(record.to_dict(), changes("session", ids=(session_id,)), None, "Cancel session")


def session_header(store: Store, session_id: str) -> dict[str, Any]:
    """What the interview room and review show at the top: names, stage, mode, status."""
    ctx = session_store.load_context(store, session_id)
    return {
        "session": ctx.session.to_dict(), "participant": ctx.participant.name, "participant_id": ctx.participant_id,
        "stage": ctx.stage.name, "stage_type": ctx.stage.type, "template": ctx.template.name,
        "profile": ctx.profile.name, "scale": ctx.profile.scoring.scale, "dimensions": ctx.profile.dimension_names,
        "persona": ctx.profile.persona, "duration_minutes": ctx.stage.duration_minutes or ctx.template.duration_minutes,
        "pass_threshold": ctx.stage.pass_threshold, "on_completion": ctx.stage.on_completion,
    }


def transcript(store: Store, session_id: str) -> list[dict[str, Any]]:
    """A session's turns as dicts."""
    return [dict(t.__dict__) for t in session_store.list_turns(store, session_id)]


def participant_rows(store: Store, *, template: str | None = None, tag: str | None = None,
                     search: str | None = None) -> list[dict[str, Any]]:
    """Participants with their template name and where they stand in its pipeline."""
    rows = list_rows(store, "participant", template=template, tag=tag, search=search)
    standing: dict[str, dict[str, Any]] = {}
    for template_id in {r["template_id"] for r in rows}:
        for person in pipeline_overview(store, template_id)["participants"]:
            standing[person["id"]] = person
    for r in rows:
        s = standing.get(r["id"])
        r.update({"stage": s["stage"], "stage_index": s["stage_index"], "state": s["state"],
                  "state_label": s["state_label"], "attention": s["attention"], "session_id": s["session_id"]}
                 if s else {"stage": "", "stage_index": -1, "state": "", "state_label": "Archived",
                            "attention": False, "session_id": None})
    return rows


def schedule_choices(store: Store, participant_id: str) -> dict[str, Any]:
    """The stages a participant can be scheduled at, and the suggested one."""
    person = setup.get(store, "participant", participant_id)
    stages = [(r["id"], f"{r['order'] + 1}. {r['name']}") for r in setup.list_records(store, "stage",
                                                                                       template=person.obj.template)]
    return {"participant": person.obj.name, "stages": stages, "suggested": suggested_stage(store, participant_id)}
