"""Named operations on sessions and pipelines, run on the store worker."""

from __future__ import annotations

from typing import Any, TypedDict

from desktop_app.store import lists, setup
from desktop_app.store import sessions as session_store
from desktop_app.store.db import Store
from desktop_app.ui.changes import Outcome, changes
from desktop_app.ui.operations import template_names
from desktop_app.ui.vocab import STATES

APPROVED = ("approved", "advanced", "accepted")
REJECTED = ("rejected", "declined")


class _SessionFilters(TypedDict):
    """The Sessions list's filters, as lists.session_page and lists.count_sessions take them."""

    template: str | None
    stage: str | None
    status: str | None
    search: str | None


class _ParticipantFilters(TypedDict):
    """The Participants list's SQL filters, as lists.participant_page and lists.count_participants take them."""

    template: str | None
    tag: str | None
    search: str | None
    include_archived: bool


def session_list_page(store: Store, *, template: str | None = None, stage: str | None = None,
                      status: str | None = None, search: str | None = None,
                      after: tuple[str, str] | None = None) -> dict[str, Any]:
    """One page of the Sessions list: {"rows", "next" cursor}; the first page also has "total", a COUNT of matches."""
    filters: _SessionFilters = {"template": template or None, "stage": stage or None, "status": status or None,
                                "search": (search or "").strip() or None}
    page = lists.session_page(store, after=after, **filters)
    for row in page.rows:
        # Scored and not signed off yet: a human has to look at it.
        row["attention"] = (row["status"] == "completed" and row.get("overall") is not None
                            and (row.get("decision") or "pending") == "pending")
    out: dict[str, Any] = {"rows": page.rows, "next": page.next}
    if after is None:
        out["total"] = lists.count_sessions(store, **filters)
    return out


def session_list_ids(store: Store, *, template: str | None = None, stage: str | None = None,
                     status: str | None = None, search: str | None = None) -> list[str]:
    """Every session id the Sessions list would show with these filters, on every page."""
    return lists.session_ids(store, template=template or None, stage=stage or None, status=status or None,
                             search=(search or "").strip() or None)


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


def _stages(store: Store, template_id: str) -> list[dict[str, Any]]:
    return [{**r, "profile": _profile_name(store, r["profile_id"])}
            for r in setup.list_records(store, "stage", template=template_id)]


def _standings(stages: list[dict[str, Any]], sessions: list[dict[str, Any]],
               people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where each person stands in the pipeline `stages`, read from their sessions (newest first)."""
    position = {s["id"]: i for i, s in enumerate(stages)}
    latest: dict[str, dict[str, Any]] = {}
    for row in sessions:
        best = latest.get(row["participant_id"])
        if best is None or position.get(row["stage_id"], -1) > position.get(best["stage_id"], -1):
            latest[row["participant_id"]] = row
    out = []
    for person in people:
        newest = latest.get(person["id"])
        if newest is None:
            state, index, session_id = "not_started", 0, None
        else:
            index = position.get(newest["stage_id"], 0)
            state, session_id = _state_of(newest, stages[index]), newest["id"]
            if state == "passed" and index == len(stages) - 1:
                state = "finished"
        label, attention = STATES[state]
        out.append({"id": person["id"], "name": person["name"], "email": person["email"], "tags": person["tags"],
                    "stage_index": index, "stage": stages[index]["name"] if stages else "",
                    "state": state, "state_label": label, "attention": attention, "session_id": session_id})
    return out


def pipeline_overview(store: Store, template_id: str) -> dict[str, Any]:
    """A template's stages in order and where each participant stands in them."""
    stages = _stages(store, template_id)
    sessions = lists.template_sessions(store, template_id)  # newest first
    people = setup.list_records(store, "participant", template=template_id, include_archived=False)
    return {"template_id": template_id, "stages": stages, "participants": _standings(stages, sessions, people)}


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


ARCHIVED = {"stage": "", "stage_index": -1, "state": "", "state_label": "Archived", "attention": False,
            "session_id": None}


def _with_standing(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Adds template names and pipeline standing to a page of participant rows (only their own sessions are read)."""
    names = template_names(store)
    by_template: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        r["template"] = names.get(r["template_id"], "?")
        if r["archived"]:
            r.update(ARCHIVED)  # archived people are out of the pipeline
        else:
            by_template.setdefault(r["template_id"], []).append(r)
    for template_id, people in by_template.items():
        stages = _stages(store, template_id)
        sessions = lists.sessions_of(store, [p["id"] for p in people])
        for person, standing in zip(people, _standings(stages, sessions, people), strict=True):
            person.update({k: standing[k] for k in ("stage", "stage_index", "state", "state_label", "attention",
                                                    "session_id")})
    return rows


def participant_list_page(store: Store, *, template: str | None = None, tag: str | None = None,
                          search: str | None = None, include_archived: bool = False, state: str | None = None,
                          after: tuple[str, str] | None = None) -> dict[str, Any]:
    """One page of the Participants list with standings: {"rows", "next"}; the first page also has "total".

    Template, tag, search and archived are filtered in SQL. The standing is derived from sessions, so a standing
    filter walks the matching participants page by page on the worker until a page is full.
    """
    filters: _ParticipantFilters = {"template": template or None, "tag": tag or None,
                                    "search": (search or "").strip() or None, "include_archived": include_archived}
    if not state:
        page = lists.participant_page(store, after=after, **filters)
        out: dict[str, Any] = {"rows": _with_standing(store, page.rows), "next": page.next}
        if after is None:
            out["total"] = lists.count_participants(store, **filters)
        return out
    rows: list[dict[str, Any]] = []
    cursor, more = after, True
    while more and len(rows) <= lists.PAGE_SIZE:
        page = lists.participant_page(store, after=cursor, **filters)
        rows += [r for r in _with_standing(store, page.rows) if r["state"] == state]
        cursor, more = page.next, page.next is not None
    rows, more = rows[:lists.PAGE_SIZE], more or len(rows) > lists.PAGE_SIZE
    out = {"rows": rows, "next": (rows[-1]["name"], rows[-1]["id"]) if more and rows else None}
    if after is None:
        total, cursor = 0, None
        while True:
            page = lists.participant_page(store, after=cursor, limit=1000, **filters)
            total += sum(1 for r in _with_standing(store, page.rows) if r["state"] == state)
            if page.next is None:
                break
            cursor = page.next
        out["total"] = total
    return out


def schedule_choices(store: Store, participant_id: str) -> dict[str, Any]:
    """The stages a participant can be scheduled at, and the suggested one."""
    person = setup.get(store, "participant", participant_id)
    stages = [(r["id"], f"{r['order'] + 1}. {r['name']}") for r in setup.list_records(store, "stage",
                                                                                       template=person.obj.template)]
    return {"participant": person.obj.name, "stages": stages, "suggested": suggested_stage(store, participant_id)}
