"""Scoring operations over the store: score, rate, override, approve, reopen, can_schedule, review data.

Every write happens in one transaction with its audit entry; a failed call leaves the data as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, replace
from typing import Any

from desktop_app.core.errors import UserError
from desktop_app.core.feedback import dimension_feedback
from desktop_app.core.injection import strip_injections
from desktop_app.core.models import AgentProfile, OnCompletion, RubricDimension, ScoringMethod, SessionStatus, StageType
from desktop_app.core.outcome import disagreement, headline
from desktop_app.core.scoring import RULES_VERSION, Outcome, blend_with_rules, compute_outcome, rubric_version
from desktop_app.core.scoring_rules import Answer, candidate_answers, check_rules, score_dimension_capped, words
from desktop_app.core.signals import authenticity_signals
from desktop_app.engines.base import LanguageModel
from desktop_app.evaluation import judge, rationale
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


def _refuse_if_approved(result: dict[str, Any] | None) -> None:
    """Scores are locked once signed off: changing them needs the approval reopened first (audited)."""
    if result is not None and result["decision"] == "approved":
        when = str(result.get("approved_at") or "")[:16].replace("T", " ")
        raise UserError(f"the scores are locked: {result['approved_by']} signed this session off on {when}; "
                        "reopen it (with a reason) before changing them", field="session")


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
        cleaned.append(replace(a, text=result.text))
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
                  progress: Progress | None = None, cancel: threading.Event | None = None) -> dict[str, Any]:
    """Scores a completed session (rules always, the judge for weighted_average) and stores a pending result.

    Deterministic: the judge reads the model's probabilities (no sampling) and rationales are written
    greedily, so rescoring the same transcript with the same model gives the same numbers.
    """
    ctx = _context(store, session_id)
    session_id = ctx.session.id
    if ctx.session.status != SessionStatus.COMPLETED:
        raise UserError(f"session is {ctx.session.status}; only completed sessions can be scored", field="session")
    _refuse_if_approved(rs.get_result(store, session_id))
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
    skills, traits = ctx.template.skills, ctx.template.traits
    version = rubric_version(profile)
    rows: list[dict[str, Any]] = []
    feedback: dict[str, str] = {}
    rule_scores: dict[str, float] = {}
    for dim in profile.rubric:
        kw = dict(description=dim.description, anchors=dim.anchors, rules=profile.scoring.rules, skills=skills,
                  traits=traits, max_score=profile.max_score)
        # The cap: an answer with an instruction to the scorer never beats the same answer without it.
        rules_clean, rules_final, rules_capped_from = score_dimension_capped(raw, cleaned, dim.name, **kw)
        feedback[dim.name] = dimension_feedback(rules_clean, skills=skills)
        rule_scores[dim.name] = rules_final
        rows.append(dict(dimension=dim.name, source="rules", rater="rules", score=rules_final,
                         evidence=list(rules_clean.evidence), confidence="high",
                         rationale="Measured features of the answers (see the appendix).",
                         details={"lines": [ln.to_dict() for ln in rules_clean.lines], "rules_version": RULES_VERSION,
                                  "capped_from": rules_capped_from},
                         prompt_version=RULES_VERSION, rubric_version=version))
    info = None
    if use_ai and llm is not None:
        info = rationale.model_info(llm)
        style = "training" if ctx.stage.type == StageType.ROLEPLAY_SIMULATION else str(profile.use_case)
        ai_rows, ai_flags = _judge_rows(llm, profile, raw, rule_scores, style=style, names=(ctx.participant.name,),
                                        progress=progress, cancel=cancel)
        for row in ai_rows:
            row.update(rater=info.file, model_file=info.file, model_sha256=info.sha256, prompt_version=judge.JUDGE_VERSION,
                       rubric_version=version)
            row["details"]["chat"] = info.chat
        rows += ai_rows
        flags += [f for f in ai_flags if not (f["kind"] == "instruction_to_scorer" and any(
            g["kind"] == "instruction_to_scorer" and g.get("turn") == f.get("turn") for g in flags))]
    elif progress:
        progress(1, 1, "rules")
    signals = [s.to_dict() for s in authenticity_signals(raw)]
    needs_review = any(f.get("review") for f in flags)
    auto: dict[str, Any] = {}
    with store.transaction():
        _refuse_if_approved(rs.get_result(store, session_id))  # signed off while the model was scoring
        for row in rows:
            rs.add_score(store, session_id, **row)
        outcome = compute_outcome(profile, ctx.stage.pass_threshold, rs.score_entries(rs.list_scores(store, session_id)))
        extra = {"model": asdict(info) if info else None, "prompt_version": judge.JUDGE_VERSION if use_ai else RULES_VERSION,
                 "scored_by": operator, "answers": len(raw)}
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


def _judge_rows(llm: LanguageModel, profile: AgentProfile, answers: list[Answer], rule_scores: dict[str, float], *,
                style: str, names: tuple[str, ...], progress: Progress | None,
                cancel: threading.Event | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One AI score row per dimension from the judge's per-answer ratings, with a rationale; and the flags raised."""
    top = profile.max_score
    n_dims = len(profile.rubric)
    state = {"base": 0, "total": 0}

    def judged(done: int, total: int, label: str) -> None:
        state["total"] = total + n_dims
        if progress:
            progress(done, total + n_dims, label)

    try:
        ratings, facts = judge.judge_answers(llm, profile, answers, progress=judged, cancel=cancel, style=style,
                                             names=names)
    except judge.Cancelled:
        raise UserError("scoring cancelled; nothing was saved") from None
    # Notes quote only what the candidate said about the work: text aimed at the scorer is never evidence.
    by_turn = {a.index: replace(a, text=judge.scorer_directed(a.text).text) for a in answers}
    texts = [a.text for a in by_turn.values()]
    chat = bool(llm.has_chat_template)
    rows: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    for f in facts:
        if f.pattern_hits:
            flags.append({"kind": "instruction_to_scorer", "turn": f.turn, "review": True,
                          "rule": ",".join(f.pattern_hits),
                          "detail": "the answer speaks to the scorer; it was rated without that text and the lower rating kept"})
        if f.on_topic < judge.OFF_TOPIC_BELOW and by_turn.get(f.turn) is not None and words(by_turn[f.turn].text):
            flags.append({"kind": "off_topic", "turn": f.turn, "review": False,
                          "detail": "the answer does not seem to respond to its question"})
    plans: list[tuple[RubricDimension, float, list[dict[str, Any]], list[str], int | None]] = []
    for dim in profile.rubric:
        value, weights = judge.combine(ratings, dim.name)
        for w in weights:
            w["question"] = by_turn[w["turn"]].question
        reasons: list[str] = []
        if value is None or not any(words(a.text) for a in answers):
            value = 1.0
            reasons.append("no answer to score")
        # The note is written about the answer that bears on this dimension most: weights are relative to each
        # answer's own main dimension (many answers tie at the top), so the model's absolute share breaks ties.
        share = {f.turn: f.relevance.get(dim.name, 0.0) for f in facts}
        ranked = sorted(weights, key=lambda w: (-round(w["weight"], 2), -share.get(w["turn"], 0.0),
                                                abs(w["rating"] - value)))
        evidence_turn = next((w["turn"] for w in ranked if words(by_turn[w["turn"]].text)), None)
        plans.append((dim, value, weights, reasons, evidence_turn))
    # Notes about the same answer are written one after another, so the answer is read once for all of them.
    notes: dict[str, rationale.Rationale] = {}
    for i, (dim, value, _, _, evidence_turn) in enumerate(sorted(plans, key=lambda p: (p[4] is None, p[4] or 0))):
        if cancel is not None and cancel.is_set():
            raise UserError("scoring cancelled; nothing was saved")
        notes[dim.name] = rationale.explain(llm, profile, dim, by_turn.get(evidence_turn) if evidence_turn is not None
                                            else None, value, texts, style)
        if progress:
            progress(state["total"] - n_dims + i + 1, state["total"] or n_dims, f"note on {dim.name}")
    for dim, value, weights, reasons, _ in plans:
        anchor = judge.anchor_of(value)
        note = notes[dim.name]
        score = judge.to_scale(value, top)
        band = None
        if not chat:  # a base model cannot judge: it may only move the rule score a little
            score, band = blend_with_rules(score, rule_scores[dim.name], top, low_confidence=True)
            reasons.append("a base model cannot judge answers; its score is held near the rule-based score")
        if note.dropped:
            reasons.append(f"{len(note.dropped)} quote(s) not found in the candidate's answers were dropped")
        if not note.by_model:
            reasons.append("the note repeats the rubric's wording for that level")
        spread = _spread(weights)
        if spread > 1.25:
            reasons.append(f"the answers disagree on this dimension (ratings spread {spread:.1f} of 4 points)")
        confidence = "low" if (not chat or value is None or "no answer to score" in reasons or spread > 1.25) else "high"
        rows.append(dict(
            dimension=dim.name, source="ai", score=round(score, 2), rationale=note.text, evidence=list(note.quotes),
            confidence=confidence,
            details={"method": "anchored", "rating": round(value, 3), "anchor": anchor,
                     "anchor_text": rationale.anchor_text(dim, anchor), "ratings": weights, "evidence_turn": note.turn,
                     "dropped_quotes": list(note.dropped), "note_by_model": note.by_model, "reasons": reasons,
                     "rule_score": rule_scores[dim.name], "band": band}))
        if confidence == "low":
            flags.append({"kind": "low_confidence", "dimension": dim.name, "review": False,
                          "detail": "; ".join(reasons) or "low confidence"})
    return rows, flags


def _spread(weights: list[dict[str, Any]]) -> float:
    """Weighted spread (max - min) of the ratings that bear on a dimension most (weight >= a quarter of the top)."""
    if not weights:
        return 0.0
    top = max(w["weight"] for w in weights)
    strong = [w["rating"] for w in weights if w["weight"] >= top / 4]
    return max(strong) - min(strong) if strong else 0.0


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
        _refuse_if_approved(before)
        old = next((d["final"] for d in before["details"].get("dimensions", []) if d["name"] == name), None)
        rs.add_score(store, ctx.session.id, dimension=name, source="override", rater=operator, score=value,
                     reason=reason.strip(), rubric_version=rubric_version(ctx.profile))
        outcome = _recompute(store, ctx)
        store.audit(operator, "override", "session", ctx.session.id, dimension=name, old=old, new=value,
                    reason=reason.strip(), overall=outcome.overall)
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
        _refuse_if_approved(rs.get_result(store, ctx.session.id))
        rs.add_score(store, ctx.session.id, dimension=name, source="human", rater=operator, score=value,
                     rationale=rationale, rubric_version=rubric_version(ctx.profile))
        outcome = _recompute(store, ctx)
        store.audit(operator, "rate", "session", ctx.session.id, dimension=name, score=value, overall=outcome.overall)
    return review_data(store, ctx.session.id)


def _check_name(name: str, what: str, field: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise UserError(f"{what} needs the assessor's name (--by NAME)", field=field)
    if cleaned.casefold() in ANONYMOUS:
        raise UserError(f"{what} needs the assessor's name, not {cleaned!r}", field=field)
    if len(cleaned) > 120:
        raise UserError("the assessor's name must be at most 120 characters", field=field)
    return cleaned


def approve(store: Store, session_id: str, *, assessor: str, note: str = "") -> dict[str, Any]:
    """The named assessor signs off the result, which locks the scores; a passed wait_for_approval stage then
    schedules the next one. The name is the one given, never the computer's user account.
    """
    assessor = _check_name(assessor, "sign-off", "by")
    ctx = _context(store, session_id)
    with store.transaction():
        result = rs.get_result(store, ctx.session.id)
        if result is None:
            raise UserError("session has not been scored yet (run `viva score` first)", field="session")
        if result["decision"] == "approved":
            raise UserError(f"already approved by {result['approved_by']} at {result['approved_at']}", field="session")
        if result["overall"] is None:
            raise UserError("not every dimension has a score yet", field="session")
        against = _sign_off(ctx, result, rs.score_entries(rs.list_scores(store, ctx.session.id)))["against"]
        rs.approve(store, ctx.session.id, assessor)
        store.audit(assessor, "approve", "session", ctx.session.id, overall=result["overall"],
                    recommendation=result["recommendation"], passed=result["passed"], note=note.strip(),
                    flags_seen=len(result["flags"]), against_recommendation=against)
    advanced = _advance(store, ctx, operator=assessor, reason="approved") if result["passed"] else {}
    data = review_data(store, ctx.session.id)
    data["advanced"] = advanced or None
    return data


def reopen(store: Store, session_id: str, *, reason: str, operator: str) -> dict[str, Any]:
    """Clears a sign-off so the scores can change again; needs a reason, is audited, and a new approval follows.

    A next stage the approval scheduled stays scheduled: cancel it separately if it should not happen.
    """
    operator = _check_name(operator, "reopening a sign-off", "by")
    if not reason or len(reason.strip()) < 5:
        raise UserError("say why the sign-off is reopened (at least a few words)", field="reason")
    ctx = _context(store, session_id)
    with store.transaction():
        result = rs.get_result(store, ctx.session.id)
        if result is None or result["decision"] != "approved":
            raise UserError("this session is not signed off, so there is nothing to reopen", field="session")
        rs.reopen(store, ctx.session.id)
        store.audit(operator, "reopen", "session", ctx.session.id, reason=reason.strip(),
                    approved_by=result["approved_by"], approved_at=result["approved_at"])
    return review_data(store, ctx.session.id)


def _sign_off(ctx: sessions.SessionContext, result: dict[str, Any] | None,
              entries: list[Any] | None = None) -> dict[str, Any]:
    """What an assessor must know before signing: the rules disagree, or overrides moved the result."""
    if not result or result.get("overall") is None:
        return {"disagreement": None, "override_moved": None, "against": []}
    top = ctx.profile.max_score
    threshold = ctx.stage.pass_threshold
    basis = (result.get("details") or {}).get("recommendation_basis")
    conflict = disagreement(result["recommendation"], result["passed"], ctx.profile.labels, threshold=threshold,
                            top=top, basis=basis)
    moved = None
    if entries is not None and any(e.source == "override" for e in entries):
        machine = compute_outcome(ctx.profile, threshold, [e for e in entries if e.source != "override"])
        if machine.overall is not None and (machine.passed != result["passed"]
                                            or machine.recommendation != result["recommendation"]):
            moved = (f"The overrides change the outcome: without them it is "
                     f"{headline(machine.overall, top, machine.recommendation, machine.passed)}; with them it is "
                     f"{headline(result['overall'], top, result['recommendation'], result['passed'])}.")
    return {"disagreement": conflict, "override_moved": moved, "against": [n for n in (conflict, moved) if n]}


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
    sign_off = _sign_off(ctx, result, rs.score_entries(rows))
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
                    "recommendation_logic": ctx.profile.scoring.recommendation_logic,
                    "scorecard": ctx.profile.scorecard.dump(), "rubric_version": rubric_version(ctx.profile)},
        "result": result, "dimensions": list(by_dim.values()), "sign_off": sign_off,
        "audit": rs.audit_entries(store, ctx.session.id),
    }
