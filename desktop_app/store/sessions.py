"""Sessions and their transcript turns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.errors import NotFound, UserError
from desktop_app.core.models import (
    AgentProfile,
    EvaluationStage,
    EvaluationTemplate,
    Participant,
    SessionMode,
    SessionStatus,
    StageType,
    check_transition,
)
from desktop_app.core.transcript import Turn
from desktop_app.store import results, setup
from desktop_app.store.db import Store, from_json, new_id, now_iso, to_json
from desktop_app.store.lists import session_filters


@dataclass(frozen=True)
class SessionRecord:
    """One interview of one participant at one stage."""

    id: str
    participant_id: str
    stage_id: str
    status: str
    mode: str
    attempt: int
    created_at: str
    updated_at: str
    started_at: str | None = None
    ended_at: str | None = None
    plan: dict[str, Any] | None = None
    models: dict[str, Any] | None = None
    state: dict[str, Any] = field(default_factory=dict)
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SessionContext:
    """Everything an interview or a scorer needs about a session."""

    session: SessionRecord
    stage: EvaluationStage
    profile: AgentProfile
    template: EvaluationTemplate
    participant: Participant
    stage_id: str
    profile_id: str
    template_id: str
    participant_id: str


def _session(row: dict[str, Any]) -> SessionRecord:
    return SessionRecord(
        id=row["id"], participant_id=row["participant_id"], stage_id=row["stage_id"], status=row["status"],
        mode=row["mode"], attempt=row["attempt"], created_at=row["created_at"], updated_at=row["updated_at"],
        started_at=row["started_at"], ended_at=row["ended_at"], plan=from_json(row["plan"]),
        models=from_json(row["models"]), state=from_json(row["state"], {}), notes=row["notes"],
    )


def get_session(store: Store, session_id: str) -> SessionRecord:
    """A session by id (a unique id prefix of 8+ characters also works)."""
    row = store.query_one("SELECT * FROM sessions WHERE id = ?", (session_id,))
    if row is None and len(session_id) >= 8:
        rows = store.query("SELECT * FROM sessions WHERE id LIKE ? LIMIT 2", (session_id + "%",))
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise NotFound(f"no session with id {session_id!r}", field="session")
    return _session(row)


def default_mode(stage: EvaluationStage, template: EvaluationTemplate) -> str:
    """The session mode a stage runs in: its type decides, an AI interview follows the template."""
    if stage.type == StageType.AI_INTERVIEW and template.default_session_mode in (
        SessionMode.LIVE_AI_INTERVIEW, SessionMode.ASYNC_INTERVIEW
    ):
        return str(template.default_session_mode)
    return stage.session_mode


def schedule_session(store: Store, participant: str, stage: str, *, mode: str | None = None,
                     scheduled_for: str | None = None, operator: str = "operator") -> SessionRecord:
    """Schedules an interview for a participant at a stage of their template; one transaction."""
    with store.transaction():
        person = setup.get(store, "participant", participant)
        stage_rec = setup.get(store, "stage", stage, template_id=person.obj.template)
        if stage_rec.obj.template != person.obj.template:
            raise UserError("belongs to another template than the participant", field="stage")
        template = setup.get(store, "template", stage_rec.obj.template).obj
        if mode is not None and mode not in {m.value for m in SessionMode}:
            raise UserError(f"{mode!r} is not a session mode ({', '.join(m.value for m in SessionMode)})", field="mode")
        # Open sessions, passes, retries and unscored attempts are judged in one place.
        attempt = results.can_schedule(store, person.id, stage_rec.id)
        now = now_iso()
        session_id = new_id()
        store.execute(
            "INSERT INTO sessions (id, participant_id, stage_id, status, mode, attempt, scheduled_for, created_at, updated_at)"
            " VALUES (?, ?, ?, 'scheduled', ?, ?, ?, ?, ?)",
            (session_id, person.id, stage_rec.id, mode or default_mode(stage_rec.obj, template), attempt,
             scheduled_for, now, now),
        )
        store.audit(operator, "schedule", "session", session_id, participant=person.id, stage=stage_rec.id)
        return get_session(store, session_id)


def set_status(store: Store, session_id: str, status: str, *, operator: str = "operator", reason: str = "") -> SessionRecord:
    """Moves a session along scheduled -> in_progress -> completed | failed | cancelled."""
    with store.transaction():
        current = get_session(store, session_id)
        try:
            check_transition(current.status, status)
        except ValueError as exc:
            raise UserError(str(exc), field="status") from None
        now = now_iso()
        started = now if status == SessionStatus.IN_PROGRESS and not current.started_at else current.started_at
        ended = now if status in (SessionStatus.COMPLETED, SessionStatus.FAILED, SessionStatus.CANCELLED) else None
        store.execute(
            "UPDATE sessions SET status = ?, started_at = ?, ended_at = ?, updated_at = ? WHERE id = ?",
            (status, started, ended, now, current.id),
        )
        store.audit(operator, f"status:{status}", "session", current.id, reason=reason)
        return get_session(store, current.id)


def update_session(store: Store, session_id: str, *, plan: dict | None = None, models: dict | None = None,
                   state: dict | None = None, notes: str | None = None) -> None:
    """Records the plan, the models used, the runner's progress or notes; one transaction."""
    sets: dict[str, Any] = {}
    if plan is not None:
        sets["plan"] = to_json(plan)
    if models is not None:
        sets["models"] = to_json(models)
    if state is not None:
        sets["state"] = to_json(state)
    if notes is not None:
        sets["notes"] = notes
    if not sets:
        return
    sets["updated_at"] = now_iso()
    with store.transaction():
        cur = store.execute(
            f"UPDATE sessions SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?", (*sets.values(), session_id)
        )
        if cur.rowcount != 1:
            raise NotFound(f"no session with id {session_id!r}", field="session")


def load_context(store: Store, session_id: str) -> SessionContext:
    """The session with its stage, profile, template and participant."""
    session = get_session(store, session_id)
    stage = setup.get(store, "stage", session.stage_id)
    profile = setup.get(store, "profile", stage.obj.agent_profile)
    template = setup.get(store, "template", stage.obj.template)
    person = setup.get(store, "participant", session.participant_id)
    return SessionContext(session, stage.obj, profile.obj, template.obj, person.obj,
                          stage.id, profile.id, template.id, person.id)


# ------------------------------------------------------------------ turns


def add_turn(store: Store, turn: Turn) -> Turn:
    """Commits one turn (its index is the next free one when turn.index < 0)."""
    with store.transaction():
        index = turn.index
        if index < 0:
            index = store.query_value("SELECT coalesce(max(idx) + 1, 0) AS n FROM turns WHERE session_id = ?",
                                      (turn.session_id,))
        turn_id = turn.id or new_id()
        store.execute(
            "INSERT INTO turns (id, session_id, idx, speaker, kind, text, started_at, ended_at, audio_path, audio_sha256,"
            " question_id, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (turn_id, turn.session_id, index, turn.speaker, turn.kind, turn.text, turn.started_at, turn.ended_at,
             turn.audio_path, turn.audio_sha256, turn.question_id, to_json(turn.meta), now_iso()),
        )
    return Turn(**{**turn.__dict__, "index": index, "id": turn_id})


def _turn(row: dict[str, Any]) -> Turn:
    return Turn(
        session_id=row["session_id"], index=row["idx"], speaker=row["speaker"], text=row["text"],
        started_at=row["started_at"], ended_at=row["ended_at"], audio_path=row["audio_path"],
        audio_sha256=row["audio_sha256"], question_id=row["question_id"], kind=row["kind"],
        meta=from_json(row["meta"], {}), id=row["id"],
    )


def list_turns(store: Store, session_id: str) -> list[Turn]:
    """A session's transcript in order."""
    return [_turn(r) for r in store.query("SELECT * FROM turns WHERE session_id = ? ORDER BY idx", (session_id,))]


def search_turns(store: Store, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Full-text search over every transcript; each hit names its session and participant."""
    phrase = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
    if not phrase:
        return []
    return store.query(
        "SELECT t.session_id, t.idx, t.speaker, snippet(turns_fts, 0, '[', ']', '…', 12) AS snippet, s.participant_id"
        " FROM turns_fts JOIN turns t ON t.rowid = turns_fts.rowid JOIN sessions s ON s.id = t.session_id"
        # Newest first: FTS5 walks its doclist backwards and stops at the limit, so a
        # common word stays fast on a million turns (ORDER BY rank would score every hit).
        " WHERE turns_fts MATCH ? ORDER BY turns_fts.rowid DESC LIMIT ?",
        (phrase, limit),
    )


def list_sessions(store: Store, *, participant: str | None = None, stage: str | None = None,
                  template: str | None = None, status: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Session summaries with participant, stage and template names, newest first."""
    where, params = session_filters(store, participant=participant, stage=stage, template=template, status=status)
    sql = (
        "SELECT s.id, s.status, s.mode, s.attempt, s.created_at, s.started_at, s.ended_at, s.participant_id,"
        " p.name AS participant, p.external_id, st.id AS stage_id, st.name AS stage, t.name AS template,"
        " r.overall, r.recommendation, r.decision, r.passed"
        " FROM sessions s JOIN participants p ON p.id = s.participant_id JOIN stages st ON st.id = s.stage_id"
        " JOIN templates t ON t.id = st.template_id LEFT JOIN results r ON r.session_id = s.id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY s.created_at DESC LIMIT ?"
    return store.query(sql, (*params, limit))
