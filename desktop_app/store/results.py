"""All SQL for scores, results and their audit trail; callers hold the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from desktop_app.core.errors import UserError
from desktop_app.core.scoring import ScoreEntry
from desktop_app.store.db import Store, from_json, new_id, now_iso, to_json

_RESULT_JSON = ("signals", "feedback", "flags", "details")


def add_score(store: Store, session_id: str, *, dimension: str, source: str, rater: str, score: float,
              rationale: str = "", evidence: Sequence[str] = (), confidence: str | None = None,
              details: dict[str, Any] | None = None, reason: str | None = None, model_file: str | None = None,
              model_sha256: str | None = None, prompt_version: str | None = None,
              rubric_version: str | None = None) -> str:
    """Appends one score row; returns its id. Older rows stay as history."""
    score_id = new_id()
    store.execute(
        "INSERT INTO scores (id, session_id, dimension, source, rater, score, rationale, evidence, confidence, details,"
        " reason, model_file, model_sha256, prompt_version, rubric_version, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (score_id, session_id, dimension, source, rater, float(score), rationale, to_json(list(evidence)), confidence,
         to_json(details or {}), reason, model_file, model_sha256, prompt_version, rubric_version, now_iso()),
    )
    return score_id


def _score(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["evidence"] = from_json(row["evidence"], [])
    row["details"] = from_json(row["details"], {})
    return row


def list_scores(store: Store, session_id: str) -> list[dict[str, Any]]:
    """Every score row of a session, oldest first."""
    rows = store.query("SELECT * FROM scores WHERE session_id = ? ORDER BY created_at, rowid", (session_id,))
    return [_score(r) for r in rows]


def score_entries(rows: Iterable[dict[str, Any]]) -> list[ScoreEntry]:
    """Score rows as the entries core.scoring combines."""
    return [ScoreEntry(r["dimension"], r["source"], r["rater"], r["score"], r["confidence"], r["created_at"],
                       r["details"], r["reason"]) for r in rows]


def latest_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest row per (dimension, source, rater)."""
    newest: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        newest[(r["dimension"].casefold(), r["source"], r["rater"])] = r
    return list(newest.values())


def get_result(store: Store, session_id: str) -> dict[str, Any] | None:
    """The result row with its JSON columns decoded, or None before scoring."""
    row = store.query_one("SELECT * FROM results WHERE session_id = ?", (session_id,))
    if row is None:
        return None
    for key in _RESULT_JSON:
        row[key] = from_json(row[key], [] if key in ("signals", "flags") else {})
    row["passed"] = None if row["passed"] is None else bool(row["passed"])
    row["needs_review"] = bool(row["needs_review"])
    return row


def save_result(store: Store, session_id: str, *, overall: float | None, recommendation: str | None,
                passed: bool | None, needs_review: bool, signals: list, feedback: dict, flags: list,
                details: dict, decision: str = "pending") -> None:
    """Creates or replaces a session's result; a new result always waits for sign-off again."""
    store.execute(
        "INSERT INTO results (session_id, overall, recommendation, passed, decision, approved_by, approved_at,"
        " needs_review, signals, feedback, flags, details, updated_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(session_id) DO UPDATE SET overall=excluded.overall, recommendation=excluded.recommendation,"
        " passed=excluded.passed, decision=excluded.decision, approved_by=NULL, approved_at=NULL,"
        " needs_review=excluded.needs_review, signals=excluded.signals, feedback=excluded.feedback,"
        " flags=excluded.flags, details=excluded.details, updated_at=excluded.updated_at",
        (session_id, overall, recommendation, None if passed is None else int(passed), decision, int(needs_review),
         to_json(signals), to_json(feedback), to_json(flags), to_json(details), now_iso()),
    )


def update_outcome(store: Store, session_id: str, *, overall: float | None, recommendation: str | None,
                   passed: bool | None, details: dict) -> None:
    """Replaces the numbers of a result after an override or a human score; sign-off is reset."""
    store.execute(
        "UPDATE results SET overall=?, recommendation=?, passed=?, details=?, decision='pending', approved_by=NULL,"
        " approved_at=NULL, updated_at=? WHERE session_id=?",
        (overall, recommendation, None if passed is None else int(passed), to_json(details), now_iso(), session_id),
    )


def approve(store: Store, session_id: str, operator: str) -> str:
    """Marks a result approved by `operator`; returns the time."""
    at = now_iso()
    store.execute(
        "UPDATE results SET decision='approved', approved_by=?, approved_at=?, updated_at=? WHERE session_id=?",
        (operator, at, at, session_id),
    )
    return at


def reopen(store: Store, session_id: str) -> None:
    """Clears a result's sign-off: it waits for a new approval."""
    store.execute(
        "UPDATE results SET decision='pending', approved_by=NULL, approved_at=NULL, updated_at=? WHERE session_id=?",
        (now_iso(), session_id),
    )


def delete_scoring(store: Store, session_id: str) -> int:
    """Removes a session's scores and result (e.g. before re-scoring from scratch); returns rows deleted."""
    n = store.execute("DELETE FROM scores WHERE session_id = ?", (session_id,)).rowcount
    return n + store.execute("DELETE FROM results WHERE session_id = ?", (session_id,)).rowcount


def audit_entries(store: Store, object_id: str) -> list[dict[str, Any]]:
    """The audit trail of one object, oldest first."""
    rows = store.query("SELECT * FROM audit_log WHERE object_id = ? ORDER BY seq", (object_id,))
    for r in rows:
        r["details"] = from_json(r["details"], {})
    return rows


def stage_attempts(store: Store, participant_id: str, stage_id: str) -> list[dict[str, Any]]:
    """A participant's sessions at a stage with their result, oldest first."""
    return store.query(
        "SELECT s.id, s.status, s.attempt, r.passed, r.decision FROM sessions s LEFT JOIN results r ON r.session_id = s.id"
        " WHERE s.participant_id = ? AND s.stage_id = ? ORDER BY s.created_at, s.rowid",
        (participant_id, stage_id),
    )


def can_schedule(store: Store, participant_id: str, stage_id: str) -> int:
    """The attempt number a new session would be; UserError when the stage must not be (re)taken.

    Refuses while a session is open, after a pass, after a completed attempt when the stage's
    allow_retry is false, and while a completed attempt is still unscored. Cancelled and
    technically failed sessions do not count against the participant.
    """
    from desktop_app.store import setup

    stage = setup.get(store, "stage", stage_id).obj
    attempts = stage_attempts(store, participant_id, stage_id)
    for a in attempts:
        if a["status"] in ("scheduled", "in_progress"):
            raise UserError(f"already has session {a['id']} open at this stage", field="participant")
        if a["passed"]:
            raise UserError("already passed this stage", field="stage")
    taken = [a for a in attempts if a["status"] == "completed"]
    if taken and not stage.allow_retry:
        raise UserError(f"stage {stage.name!r} does not allow a retry (allow_retry is false)", field="stage")
    if any(a["passed"] is None for a in taken):
        raise UserError("the previous attempt has not been scored yet", field="stage")
    return len(attempts) + 1


def next_stage_id(store: Store, template_id: str, position: int) -> str | None:
    """The id of the stage after `position` in a template, if any."""
    row = store.query_one(
        "SELECT id FROM stages WHERE template_id = ? AND position > ? ORDER BY position LIMIT 1", (template_id, position)
    )
    return row["id"] if row else None


def stage_position(store: Store, stage_id: str) -> int:
    """A stage's 0-based order."""
    row = store.query_one("SELECT position FROM stages WHERE id = ?", (stage_id,))
    return int(row["position"]) if row else 0


_EXPORT_SQL = (
    "SELECT s.id AS session_id, s.status, s.attempt, s.mode, s.started_at, s.ended_at, p.id AS participant_id,"
    " p.name AS participant, p.email, p.external_id, t.id AS template_id, t.name AS template, st.id AS stage_id,"
    " st.name AS stage, st.position AS stage_order, r.overall, r.recommendation, r.passed, r.decision, r.approved_by,"
    " r.approved_at, r.needs_review, r.flags, r.details, r.updated_at AS scored_at"
    " FROM results r JOIN sessions s ON s.id = r.session_id JOIN participants p ON p.id = s.participant_id"
    " JOIN stages st ON st.id = s.stage_id JOIN templates t ON t.id = st.template_id"
)


def export_rows(store: Store, *, template_id: str | None = None, session_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Scored sessions with participant, template and stage, for exports; oldest first."""
    sql, params = _EXPORT_SQL, []
    where = []
    if template_id:
        where.append("t.id = ?")
        params.append(template_id)
    if session_ids is not None:
        where.append(f"s.id IN ({', '.join('?' for _ in session_ids)})")
        params.extend(session_ids)
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = store.query(sql + " ORDER BY s.created_at, s.rowid", params)
    for r in rows:
        r["flags"] = from_json(r["flags"], [])
        r["details"] = from_json(r["details"], {})
        r["passed"] = None if r["passed"] is None else bool(r["passed"])
        r["needs_review"] = bool(r["needs_review"])
    return rows


def scored_session_ids(store: Store, *, template_id: str | None = None) -> list[str]:
    """Ids of scored sessions, oldest first."""
    if template_id:
        rows = store.query(
            "SELECT r.session_id FROM results r JOIN sessions s ON s.id = r.session_id JOIN stages st ON st.id = s.stage_id"
            " WHERE st.template_id = ? ORDER BY s.created_at", (template_id,))
    else:
        rows = store.query("SELECT r.session_id FROM results r JOIN sessions s ON s.id = r.session_id ORDER BY s.created_at")
    return [r["session_id"] for r in rows]
