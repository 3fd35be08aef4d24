"""Reads for the review window, run on the store worker: transcript, scores, result, signals."""

from __future__ import annotations

from typing import Any

from desktop_app.store import results
from desktop_app.store.db import Store
from desktop_app.ui import session_ops

SOURCE_ORDER = ("ai", "rules", "human", "override")


def dimension_rows(profile_rubric: list[dict[str, Any]], score_rows: list[dict[str, Any]],
                   details: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per rubric dimension: weight, each source's latest score, final score, evidence, rationale."""
    latest = results.latest_rows(score_rows)
    final = (details or {}).get("dimensions") or {}
    out = []
    for dim in profile_rubric:
        name = dim["name"]
        mine = [r for r in latest if r["dimension"].casefold() == name.casefold()]
        by_source: dict[str, dict[str, Any]] = {}
        for r in sorted(mine, key=lambda r: r["created_at"]):
            by_source[r["source"]] = r
        ai = by_source.get("ai") or by_source.get("rules")
        override = by_source.get("override") or by_source.get("human")
        final_value = final.get(name)
        if isinstance(final_value, dict):
            final_value = final_value.get("score")
        if final_value is None:
            final_value = (override or ai or {}).get("score")
        evidence: list[str] = []
        for r in mine:
            evidence += [e if isinstance(e, str) else str(e.get("quote", "")) for e in r.get("evidence") or []]
        out.append({
            "name": name, "weight": dim["weight"], "description": dim.get("description", ""),
            "ai": None if ai is None else ai["score"], "ai_source": None if ai is None else ai["source"],
            "override": None if override is None else override["score"],
            "override_reason": None if override is None else override.get("reason"),
            "final": final_value, "confidence": (ai or {}).get("confidence"),
            "rationale": (ai or {}).get("rationale", ""), "evidence": [e for e in dict.fromkeys(evidence) if e],
            "model_file": (ai or {}).get("model_file"),
        })
    return out


def review_data(store: Store, session_id: str) -> dict[str, Any]:
    """Everything the review window shows, in one read."""
    from desktop_app.store.sessions import load_context

    header = session_ops.session_header(store, session_id)
    ctx = load_context(store, session_id)
    rubric = [d.dump() for d in ctx.profile.rubric]
    result = results.get_result(store, session_id)
    scores = results.list_scores(store, session_id)
    return {
        "header": header,
        "turns": session_ops.transcript(store, session_id),
        "result": result,
        "dimensions": dimension_rows(rubric, scores, (result or {}).get("details") or {}),
        "signals": (result or {}).get("signals") or [],
        "max_score": ctx.profile.max_score,
        "labels": list(ctx.profile.labels),
        "audit": results.audit_entries(store, session_id),
    }
