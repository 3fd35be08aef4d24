"""Scoring operations over the store: score, rate, override, approve, can_schedule, review data.

Every write happens in one transaction with its audit entry; a failed call leaves the data as it was.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Callable

from desktop_app.core.errors import UserError
from desktop_app.core.feedback import dimension_feedback
from desktop_app.core.injection import strip_injections
from desktop_app.core.models import AgentProfile, OnCompletion, ScoringMethod, SessionStatus
from desktop_app.core.scoring import PROMPT_VERSION, RULES_VERSION, Outcome, compute_outcome, rubric_version
from desktop_app.core.scoring_rules import Answer, candidate_answers, check_rules, score_dimension_capped
from desktop_app.core.signals import authenticity_signals
from desktop_app.engines.base import LanguageModel
from desktop_app.evaluation import ai_scorer
from desktop_app.store import results as rs
from desktop_app.store import sessions
from desktop_app.store.db import Store

Progress = Callable[[int, int, str], None]
ANONYMOUS = {"", "operator", "cli"}
can_schedule = rs.can_schedule  # re-exported: the attempt number, or UserError when the stage must not be retaken


def _context(store: Store, session_id: str) -> sessions.SessionContext:
    return sessions.load_context(store, session_id)


def _dimension(profile: AgentProfile, name: str) -> str:
    for d in profile.rubric:
        if d.name.casefold() == name.strip().casefold():
            return d.name
    raise UserError(f"{name!r} is not a dimension of this rubric ({', '.join(profile.dimension_names)})", field="dimension")


def _check_score(profile: AgentProfile, score: float) -> float:
    if not 0 <= score <= profile.max_score:
        raise UserError(f"{score:g} is off the scale {profile.scoring.scale}", field="score")
    return float(score)


def _clean_answers(answers: list[Answer]) -> tuple[list[Answer], list[dict[str, Any]]]:
    """Answers with scorer-directed text removed, and one flag per removal."""
    cleaned: list[Answer] = []
    flags: list[dict[str, Any]] = []
    for a in answers:
        result = strip_injections(a.text)
        cleaned.append(Answer(a.index, result.text, a.question, a.meta, a.started_at, a.ended_at))
        for hit in result.hits:
            flags.append({"kind": "instruction_to_scorer", "turn": a.index, "rule": hit.rule, "text": hit.text[:300],
                          "review": True, "detail": "text addressed to the scorer was removed before scoring"})
    return cleaned, flags


def _details(ctx: sessions.SessionContext, outcome: Outcome, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "dimensions": [d.to_dict() for d in outcome.dimensions], "missing": list(outcome.missing),
        "threshold": outcome.threshold, "combine": outcome.combine, "max_score": ctx.profile.max_score,
        "scale": ctx.profile.scoring.scale, "method": ctx.profile.scoring.method,
        "recommendation_basis": outcome.recommendation_basis, "rubric_version": rubric_version(ctx.profile), **extra,
    }


def score_session(store: Store, session_id: str, *, llm: LanguageModel | None = None, operator: str = "operator",
                  samples: int | None = None, max_tokens: int = 64, seed: int = 1234,
                  progress: Progress | None = None) -> dict[str, Any]:
    """Scores a completed session (rules always, the model for weighted_average) and stores a pending result."""
    ctx = _context(store, session_id)
    session_id = ctx.session.id
    if ctx.session.status != SessionStatus.COMPLETED:
        raise UserError(f"session is {ctx.session.status}; only completed sessions can be scored", field="session")
    profile = ctx.profile
    try:
        check_rules(profile.scoring.rules, profile.dimension_names)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    use_ai = profile.scoring.method == ScoringMethod.WEIGHTED_AVERAGE
    if use_ai and llm is None:
        raise UserError("weighted_average scoring needs a language model; none is loaded", field="model")
    raw = candidate_answers(sessions.list_turns(store, session_id))
    cleaned, flags = _clean_answers(raw)
    injected = bool(flags)
    n_samples = samples or profile.scoring.samples
    steps = len(profile.rubric) * ((n_samples * (2 if injected else 1)) if use_ai else 1)
    done = [0]

    def tick(label: str = "") -> None:
        done[0] += 1
        if progress:
            progress(done[0], steps, label)

    skills, traits = ctx.template.skills, ctx.template.traits
    version = rubric_version(profile)
    info = ai_scorer.model_info(llm) if use_ai and llm is not None else None
    rows: list[dict[str, Any]] = []
    feedback: dict[str, str] = {}
    for dim in profile.rubric:
        kw = dict(description=dim.description, anchors=dim.anchors, rules=profile.scoring.rules, skills=skills,
                  traits=traits, max_score=profile.max_score)
        # The cap: an answer with an instruction to the scorer never beats the same answer without it.
        rules_clean, rules_final, rules_capped_from = score_dimension_capped(raw, cleaned, dim.name, **kw)
        feedback[dim.name] = dimension_feedback(rules_clean, skills=skills)
        rows.append(dict(dimension=dim.name, source="rules", rater="rules", score=rules_final,
                         evidence=list(rules_clean.evidence), confidence="high",
                         rationale="Measured features of the answers (see rule lines).",
                         details={"lines": [ln.to_dict() for ln in rules_clean.lines], "rules_version": RULES_VERSION,
                                  "capped_from": rules_capped_from},
                         prompt_version=RULES_VERSION, rubric_version=version))
        if not use_ai:
            tick(dim.name)
            continue
        common = dict(samples=n_samples, seed=seed, max_tokens=max_tokens, on_sample=lambda n=dim.name: tick(n))
        ai = ai_scorer.score_dimension(llm, profile, dim, cleaned, rule_score=rules_final, **common)
        capped_from = None
        if injected:
            ai_raw = ai_scorer.score_dimension(llm, profile, dim, raw, rule_score=rules_final,
                                               quote_texts=[a.text for a in cleaned], **common)
            if ai_raw.score < ai.score:
                capped_from, ai = ai.score, ai_raw
        rows.append(dict(
            dimension=dim.name, source="ai", rater=info.file, score=ai.score, rationale=ai.rationale,
            evidence=list(ai.evidence), confidence=ai.confidence,
            details={"samples": list(ai.samples), "model_median": ai.model_median, "spread": ai.spread,
                     "agreement": ai.agreement, "rule_score": ai.rule_score, "band": ai.band,
                     "dropped_quotes": list(ai.dropped_quotes), "reasons": list(ai.reasons), "seed": seed,
                     "chat": info.chat, "capped_from": capped_from, **ai.details},
            model_file=info.file, model_sha256=info.sha256, prompt_version=PROMPT_VERSION, rubric_version=version))
        if ai.confidence == "low":
            flags.append({"kind": "low_confidence", "dimension": dim.name, "review": False,
                          "detail": "; ".join(ai.reasons) or "low confidence"})
    signals = [s.to_dict() for s in authenticity_signals(raw)]
    needs_review = any(f.get("review") for f in flags)
    auto: dict[str, Any] = {}
    with store.transaction():
        for row in rows:
            rs.add_score(store, session_id, **row)
        outcome = compute_outcome(profile, ctx.stage.pass_threshold, rs.score_entries(rs.list_scores(store, session_id)))
        extra = {"model": asdict(info) if info else None, "prompt_version": PROMPT_VERSION if use_ai else RULES_VERSION,
                 "scored_by": operator, "answers": len(raw), "samples": n_samples if use_ai else 0}
        rs.save_result(store, session_id, overall=outcome.overall, recommendation=outcome.recommendation,
                       passed=outcome.passed, needs_review=needs_review, signals=signals, feedback=feedback, flags=flags,
                       details=_details(ctx, outcome, extra))
        store.audit(operator, "score", "session", session_id, overall=outcome.overall, passed=outcome.passed,
                    method=profile.scoring.method, model=info.file if info else None,
                    model_sha256=info.sha256 if info else None, rubric_version=version, needs_review=needs_review)
    if outcome.passed and not needs_review and ctx.stage.on_completion == OnCompletion.AUTO_ADVANCE:
        auto = _advance(store, ctx, operator=operator, reason="auto_advance")
    result = review_data(store, session_id)
    result["advanced"] = auto or None
    return result


def _advance(store: Store, ctx: sessions.SessionContext, *, operator: str, reason: str) -> dict[str, Any]:
    """Schedules the participant's next stage (by order), if there is one and it is not already scheduled."""
    next_id = rs.next_stage_id(store, ctx.template_id, rs.stage_position(store, ctx.stage_id))
    if next_id is None:
        return {}
    if any(a["status"] in ("scheduled", "in_progress") for a in rs.stage_attempts(store, ctx.participant_id, next_id)):
        return {}
    try:
        new = sessions.schedule_session(store, ctx.participant_id, next_id, operator=operator)
    except UserError as exc:
        with store.transaction():
            store.audit(operator, "advance_refused", "session", ctx.session.id, reason=str(exc))
        return {"refused": str(exc)}
    with store.transaction():
        store.audit(operator, "advance", "session", ctx.session.id, next_session=new.id, next_stage=next_id, reason=reason)
    return {"session_id": new.id, "stage_id": next_id}


def _recompute(store: Store, ctx: sessions.SessionContext) -> Outcome:
    """Re-derives the result after a human score or override; the result goes back to pending."""
    result = rs.get_result(store, ctx.session.id)
    if result is None:
        raise UserError("session has not been scored yet (run `viva score` first)", field="session")
    outcome = compute_outcome(ctx.profile, ctx.stage.pass_threshold,
                              rs.score_entries(rs.list_scores(store, ctx.session.id)))
    keep = {k: v for k, v in result["details"].items() if k not in ("dimensions", "missing", "threshold", "combine")}
    rs.update_outcome(store, ctx.session.id, overall=outcome.overall, recommendation=outcome.recommendation,
                      passed=outcome.passed, details={**keep, **_details(ctx, outcome, {})})
    return outcome


def override_score(store: Store, session_id: str, *, dimension: str, score: float, reason: str,
                   operator: str = "operator") -> dict[str, Any]:
    """Replaces one dimension's score by a person's, with a reason; the result needs sign-off again."""
    ctx = _context(store, session_id)
    name = _dimension(ctx.profile, dimension)
    value = _check_score(ctx.profile, score)
    if not reason or not reason.strip():
        raise UserError("an override needs a reason", field="reason")
    with store.transaction():
        before = rs.get_result(store, ctx.session.id)
        if before is None:
            raise UserError("session has not been scored yet (run `viva score` first)", field="session")
        old = next((d["final"] for d in before["details"].get("dimensions", []) if d["name"] == name), None)
        rs.add_score(store, ctx.session.id, dimension=name, source="override", rater=operator, score=value,
                     reason=reason.strip(), rubric_version=rubric_version(ctx.profile))
        outcome = _recompute(store, ctx)
        store.audit(operator, "override", "session", ctx.session.id, dimension=name, old=old, new=value,
                    reason=reason.strip(), overall=outcome.overall, was_approved=before["decision"] == "approved")
    return review_data(store, ctx.session.id)


def add_human_score(store: Store, session_id: str, *, dimension: str, score: float, operator: str,
                    rationale: str = "") -> dict[str, Any]:
    """Records a human rater's score for a dimension, kept apart from the AI's and combined by the profile's mode."""
    if operator.strip().casefold() in ANONYMOUS:
        raise UserError("a human score needs the rater's name (--operator NAME)", field="operator")
    ctx = _context(store, session_id)
    name = _dimension(ctx.profile, dimension)
    value = _check_score(ctx.profile, score)
    with store.transaction():
        rs.add_score(store, ctx.session.id, dimension=name, source="human", rater=operator, score=value,
                     rationale=rationale, rubric_version=rubric_version(ctx.profile))
        outcome = _recompute(store, ctx)
        store.audit(operator, "rate", "session", ctx.session.id, dimension=name, score=value, overall=outcome.overall)
    return review_data(store, ctx.session.id)


def approve(store: Store, session_id: str, *, operator: str, note: str = "") -> dict[str, Any]:
    """A named assessor signs off the result; a passed wait_for_approval stage then schedules the next one."""
    if operator.strip().casefold() in ANONYMOUS:
        raise UserError("sign-off needs the assessor's name (--operator NAME or VIVA_OPERATOR)", field="operator")
    ctx = _context(store, session_id)
    with store.transaction():
        result = rs.get_result(store, ctx.session.id)
        if result is None:
            raise UserError("session has not been scored yet (run `viva score` first)", field="session")
        if result["decision"] == "approved":
            raise UserError(f"already approved by {result['approved_by']} at {result['approved_at']}", field="session")
        if result["overall"] is None:
            raise UserError("not every dimension has a score yet", field="session")
        rs.approve(store, ctx.session.id, operator)
        store.audit(operator, "approve", "session", ctx.session.id, overall=result["overall"],
                    recommendation=result["recommendation"], passed=result["passed"], note=note,
                    flags_seen=len(result["flags"]))
    advanced = _advance(store, ctx, operator=operator, reason="approved") if result["passed"] else {}
    data = review_data(store, ctx.session.id)
    data["advanced"] = advanced or None
    return data


def delete_scoring(store: Store, session_id: str, *, operator: str = "operator") -> int:
    """Deletes a session's scores and result (audited); returns rows removed."""
    ctx = _context(store, session_id)
    with store.transaction():
        n = rs.delete_scoring(store, ctx.session.id)
        store.audit(operator, "delete_scores", "session", ctx.session.id, rows=n)
    return n


def review_data(store: Store, session_id: str) -> dict[str, Any]:
    """Everything a reviewer, a scorecard or an export needs about a scored session, JSON-ready."""
    ctx = _context(store, session_id)
    result = rs.get_result(store, ctx.session.id)
    rows = rs.list_scores(store, ctx.session.id)
    current = rs.latest_rows(rows)
    by_dim: dict[str, dict[str, Any]] = {}
    for d in ctx.profile.rubric:
        mine = [r for r in current if r["dimension"].casefold() == d.name.casefold()]
        by_dim[d.name] = {
            "name": d.name, "weight": d.weight, "description": d.description,
            "scores": {src: [r for r in mine if r["source"] == src] for src in ("ai", "rules", "human", "override")},
        }
    if result:
        for o in result["details"].get("dimensions", []):
            if o["name"] in by_dim:
                by_dim[o["name"]]["outcome"] = o
    return {
        "session": ctx.session.to_dict(), "session_id": ctx.session.id,
        "participant": {"id": ctx.participant_id, "name": ctx.participant.name, "email": ctx.participant.email,
                        "external_id": ctx.participant.external_id},
        "template": {"id": ctx.template_id, "name": ctx.template.name, "skills": ctx.template.skills},
        "stage": {"id": ctx.stage_id, "name": ctx.stage.name, "pass_threshold": ctx.stage.pass_threshold,
                  "on_completion": ctx.stage.on_completion, "allow_retry": ctx.stage.allow_retry},
        "profile": {"id": ctx.profile_id, "name": ctx.profile.name, "scale": ctx.profile.scoring.scale,
                    "max_score": ctx.profile.max_score, "method": ctx.profile.scoring.method,
                    "combine": ctx.profile.scoring.combine, "labels": list(ctx.profile.labels),
                    "scorecard": ctx.profile.scorecard.dump(), "rubric_version": rubric_version(ctx.profile)},
        "result": result, "dimensions": list(by_dim.values()),
        "audit": rs.audit_entries(store, ctx.session.id),
    }
