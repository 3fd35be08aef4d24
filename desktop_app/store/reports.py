"""Reads for cross-session reports: the latest outcome of each participant at each stage, with their tags."""

from __future__ import annotations

from typing import Any

from desktop_app.store.db import Store, from_json

# The newest scored attempt per (participant, stage): a retake replaces the earlier outcome.
_OUTCOMES_SQL = """
WITH ranked AS (
    SELECT s.id AS session_id, s.participant_id, s.stage_id, s.attempt, r.passed, r.decision,
           ROW_NUMBER() OVER (PARTITION BY s.participant_id, s.stage_id
                              ORDER BY s.attempt DESC, s.created_at DESC, s.rowid DESC) AS newest
    FROM results r
    JOIN sessions s ON s.id = r.session_id
    JOIN stages st ON st.id = s.stage_id
    WHERE st.template_id = :template AND (:stage IS NULL OR st.id = :stage) AND r.passed IS NOT NULL
)
SELECT ranked.session_id, ranked.participant_id, ranked.stage_id, st.name AS stage, st.position AS stage_order,
       ranked.attempt, ranked.passed, ranked.decision,
       (SELECT json_group_array(pt.tag) FROM participant_tags pt WHERE pt.participant_id = ranked.participant_id)
           AS tags
FROM ranked JOIN stages st ON st.id = ranked.stage_id
WHERE ranked.newest = 1
ORDER BY st.position, ranked.participant_id
"""


def stage_outcomes(store: Store, template_id: str, stage_id: str | None = None) -> list[dict[str, Any]]:
    """Per participant and stage of a template (or one stage): the latest scored session's pass/fail and the
    participant's tags. Results without a pass/fail decision are left out."""
    rows = store.query(_OUTCOMES_SQL, {"template": template_id, "stage": stage_id})
    for r in rows:
        r["passed"] = bool(r["passed"])
        r["tags"] = sorted(from_json(r["tags"], []), key=str.casefold)
    return rows


def unscored_count(store: Store, template_id: str, stage_id: str | None = None) -> int:
    """Completed sessions of a template (or stage) that have no pass/fail yet, to say what a report leaves out."""
    row = store.query_one(
        "SELECT count(*) AS n FROM sessions s JOIN stages st ON st.id = s.stage_id"
        " LEFT JOIN results r ON r.session_id = s.id"
        " WHERE st.template_id = ? AND (? IS NULL OR st.id = ?) AND s.status = 'completed' AND r.passed IS NULL",
        (template_id, stage_id, stage_id))
    return int(row["n"]) if row else 0
