"""Reads for the review window, run on the store worker: evaluation's review data plus transcript and header."""

from __future__ import annotations

from typing import Any

from desktop_app.store.db import Store
from desktop_app.ui import session_ops


def dimension_row(dim: dict[str, Any]) -> dict[str, Any]:
    """One table row from evaluation.service.review_data's dimension: sources, final score, evidence."""
    scores = dim.get("scores") or {}
    outcome = dim.get("outcome") or {}
    machine = (scores.get("ai") or scores.get("rules") or [None])[-1]
    override = (scores.get("override") or [None])[-1]
    humans = scores.get("human") or []
    evidence: list[str] = []
    # The same quotes the scorecard prints (reports.dimensions._quotes): the model's verified quotes when the model
    # scored, the rules' sentences only without it. Mixing them showed quotes on screen that the paper then denied.
    for source in ("ai",) if scores.get("ai") else ("rules",):
        for row in scores.get(source) or []:
            evidence += [e if isinstance(e, str) else str(e.get("quote", "")) for e in row.get("evidence") or []]
    return {
        "id": dim["name"], "name": dim["name"], "weight": dim["weight"], "description": dim.get("description", ""),
        "ai": outcome.get("machine", machine["score"] if machine else None),
        "ai_source": outcome.get("machine_source", machine["source"] if machine else None),
        "human": outcome.get("human"), "human_raters": len(humans),
        "override": outcome.get("override", override["score"] if override else None),
        "override_reason": override.get("reason") if override else None,
        "final": outcome.get("final"), "basis": outcome.get("basis"),
        "confidence": outcome.get("confidence", machine.get("confidence") if machine else None),
        "rationale": (machine or {}).get("rationale", ""),
        "evidence": [e for e in dict.fromkeys(evidence) if e],
        "model_file": (machine or {}).get("model_file"),
    }


def review_data(store: Store, session_id: str) -> dict[str, Any]:
    """Everything the review window shows, in one read."""
    from desktop_app.evaluation.service import review_data as evaluation_review

    data = evaluation_review(store, session_id)
    result = data["result"]
    return {
        "header": session_ops.session_header(store, session_id),
        "turns": session_ops.transcript(store, session_id),
        "result": result,
        "dimensions": [dimension_row(d) for d in data["dimensions"]],
        "signals": (result or {}).get("signals") or [],
        "max_score": data["profile"]["max_score"],
        "labels": data["profile"]["labels"],
        "pass_threshold": data["stage"]["pass_threshold"],
        "sign_off": data["sign_off"],
        "model": ((result or {}).get("details") or {}).get("model"),
        "audit": data["audit"],
    }
