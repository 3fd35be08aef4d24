"""Every validation rule of the domain model, with the message users see."""

from __future__ import annotations

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    AgentProfile,
    EvaluationStage,
    EvaluationTemplate,
    Participant,
    check_stage_orders,
    check_threshold_on_scale,
    check_transition,
    recommendation_labels,
)
from desktop_app.core.validation import parse_model


def profile(**over):
    data = {"name": "P", "rubric": [{"name": "A", "weight": 60}, {"name": "B", "weight": 40}]}
    data.update(over)
    return data


def error(model, data) -> str:
    with pytest.raises(UserError) as info:
        parse_model(model, data, "profile.yaml")
    return str(info.value)


def test_valid_profile_has_documented_defaults():
    p = parse_model(AgentProfile, profile())
    assert p.behavior.tone == "professional" and p.behavior.probing_depth == "medium"
    assert p.scoring.scale == "0-10" and p.scoring.method == "weighted_average"
    assert all(p.scorecard.model_dump().values())
    assert p.labels == ("hire", "no_hire")


def test_weights_must_sum_to_100():
    msg = error(AgentProfile, profile(rubric=[{"name": "A", "weight": 60}, {"name": "B", "weight": 35}]))
    assert msg == "profile.yaml: rubric: weights sum to 95, must be 100"


def test_weights_are_integers():
    msg = error(AgentProfile, profile(rubric=[{"name": "A", "weight": 50.5}, {"name": "B", "weight": 49.5}]))
    assert msg == "profile.yaml: rubric[0].weight: must be a whole number"


def test_weights_not_negative():
    assert "rubric[0].weight" in error(AgentProfile, profile(rubric=[{"name": "A", "weight": -10}, {"name": "B", "weight": 110}]))


def test_dimension_names_unique_case_insensitive():
    msg = error(AgentProfile, profile(rubric=[{"name": "Design", "weight": 50}, {"name": "design", "weight": 50}]))
    assert "rubric" in msg and "names must be unique" in msg


def test_dimension_name_not_empty():
    assert "rubric[0].name" in error(AgentProfile, profile(rubric=[{"name": "  ", "weight": 100}]))


def test_rubric_not_empty():
    assert "profile.yaml: rubric:" in error(AgentProfile, profile(rubric=[]))


def test_anchors_are_kept():
    p = parse_model(AgentProfile, profile(rubric=[{"name": "A", "weight": 100, "anchors": {"low": "l", "mid": "m", "high": "h"}}]))
    assert (p.rubric[0].anchors.low, p.rubric[0].anchors.middle, p.rubric[0].anchors.high) == ("l", "m", "h")


@pytest.mark.parametrize("field,value", [("tone", "rude"), ("style", "chaotic"), ("difficulty", "brutal"), ("probing_depth", "deep")])
def test_behavior_enums(field, value):
    assert f"behavior.{field}" in error(AgentProfile, profile(behavior={field: value}))


def test_scale_and_method_enums():
    assert "scoring.scale" in error(AgentProfile, profile(scoring={"scale": "1-7"}))
    assert "scoring.method" in error(AgentProfile, profile(scoring={"method": "vibes"}))


def test_unknown_field_is_rejected():
    assert error(AgentProfile, profile(colour="blue")) == "profile.yaml: colour: unknown field"


def test_camel_case_spellings_accepted():
    p = parse_model(AgentProfile, profile(
        useCase="training", behavior={"probingDepth": "high"}, scoring={"scoringMethod": "rule_based", "scale": "0-5"},
        context={"organizationContext": "Acme", "domainContext": "Retail", "scenarioContext": "Angry customer"},
        scorecard={"includeTranscript": False, "includeImprovementFeedback": False},
    ))
    assert p.use_case == "training" and p.behavior.probing_depth == "high"
    assert p.scoring.method == "rule_based" and p.context.organization == "Acme" and p.context.scenario == "Angry customer"
    assert p.scorecard.include_transcript is False and p.scorecard.include_improvement_feedback is False


def test_flat_reference_fields_are_nested():
    p = parse_model(AgentProfile, profile(probingDepth="low", tone="strict", scoringMethod="rule_based",
                                          organizationContext="Acme", includeTranscript=False))
    assert p.behavior.probing_depth == "low" and p.behavior.tone == "strict"
    assert p.scoring.method == "rule_based" and p.context.organization == "Acme" and not p.scorecard.include_transcript


@pytest.mark.parametrize("use_case,outcome,labels", [
    ("hiring", "hire_no_hire", ("hire", "no_hire")),
    ("training", "ready_needs_training", ("ready", "needs_practice")),
    ("mock_interview", "pass_fail", ("pass", "fail")),
    ("admissions", "admit_reject", ("admit", "reject")),
    ("certification", "certified_not_certified", ("certified", "not_certified")),
])
def test_success_outcome_derived_from_use_case(use_case, outcome, labels):
    t = parse_model(EvaluationTemplate, {"name": "T", "use_case": use_case})
    assert t.success_outcome == outcome
    assert recommendation_labels(use_case) == labels


def test_explicit_success_outcome_wins():
    t = parse_model(EvaluationTemplate, {"name": "T", "use_case": "hiring", "successOutcome": "pass_fail"})
    assert t.success_outcome == "pass_fail"


def test_custom_labels():
    p = parse_model(AgentProfile, profile(use_case="custom", custom_labels=["go", "no_go"]))
    assert p.labels == ("go", "no_go")
    assert "custom_labels" in error(AgentProfile, profile(use_case="custom", custom_labels=["same", "same"]))


def test_template_defaults_and_rules():
    t = parse_model(EvaluationTemplate, {"name": "T"})
    assert t.duration_minutes == 30 and t.question_depth == "intermediate" and t.default_session_mode == "live_ai_interview"
    assert "skills" in error(EvaluationTemplate, {"name": "T", "skills": ["Go", "go"]})
    assert "duration_minutes" in error(EvaluationTemplate, {"name": "T", "duration_minutes": 0})
    assert "default_session_mode" in error(EvaluationTemplate, {"name": "T", "default_session_mode": "telepathy"})


def test_success_criteria_accepts_plain_text():
    t = parse_model(EvaluationTemplate, {"name": "T", "successCriteria": "- Ships safely\n- Owns incidents"})
    assert t.success_criteria == ["Ships safely", "Owns incidents"]


def test_stage_threshold_on_profile_scale():
    p = parse_model(AgentProfile, profile(scoring={"scale": "0-5"}))
    ok = parse_model(EvaluationStage, {"template": "T", "name": "S", "agent_profile": "P", "pass_threshold": 4})
    check_threshold_on_scale(ok, p)
    bad = parse_model(EvaluationStage, {"template": "T", "name": "S", "agent_profile": "P", "pass_threshold": 7})
    with pytest.raises(ValueError, match="off the profile's scale 0-5"):
        check_threshold_on_scale(bad, p)


def test_stage_defaults_and_order():
    s = parse_model(EvaluationStage, {"template": "T", "name": "S", "agentProfile": "P"})
    assert s.allow_retry is False and s.order == 0 and s.type == "ai_interview"
    assert "order" in error(EvaluationStage, {"template": "T", "name": "S", "agent_profile": "P", "order": -1})
    check_stage_orders([1, 0, 2])
    with pytest.raises(ValueError, match="contiguous"):
        check_stage_orders([0, 2])


def test_participant_email_rules():
    p = parse_model(Participant, {"name": "N", "email": "Ann@Example.org", "template": "T", "externalId": "X1",
                                  "profile": {"experienceLevel": "senior"}})
    assert p.external_id == "X1" and p.profile.experience_level == "senior"
    assert "email" in error(Participant, {"name": "N", "email": "not-an-address", "template": "T"})


def test_participant_tags_cleaned():
    p = parse_model(Participant, {"name": "N", "email": "a@example.org", "template": "T", "tags": ["a", "a", " b "]})
    assert p.tags == ["a", "b"]


def test_session_status_transitions():
    check_transition("scheduled", "in_progress")
    check_transition("in_progress", "completed")
    check_transition("in_progress", "failed")
    check_transition("scheduled", "cancelled")
    for current, new in [("scheduled", "completed"), ("completed", "in_progress"), ("cancelled", "scheduled"),
                         ("failed", "completed"), ("in_progress", "scheduled")]:
        with pytest.raises(ValueError, match=f"cannot move from {current} to {new}"):
            check_transition(current, new)


def test_core_and_store_load_no_qt():
    import subprocess
    import sys

    code = ("import sys; import desktop_app.core.models, desktop_app.core.validation, desktop_app.store.db, "
            "desktop_app.store.setup, desktop_app.store.sessions, desktop_app.store.bundle, desktop_app.cli;"
            "import importlib, pkgutil, desktop_app;"
            "[importlib.import_module('desktop_app.' + p + '.' + m.name) for p in ('core','store','engines','interview','reports','evaluation')"
            " if importlib.util.find_spec('desktop_app.' + p) for m in pkgutil.iter_modules(importlib.import_module('desktop_app.' + p).__path__)];"
            "bad = [m for m in sys.modules if m.startswith('PySide6')]; print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
