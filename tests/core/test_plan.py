"""The interview plan, the question bank and the follow-up checks: pure rules, no models."""

from __future__ import annotations

import json

import pytest

from desktop_app.core.models import AgentProfile, EvaluationStage, EvaluationTemplate, Participant
from desktop_app.core.plan import (
    InterviewPlan,
    base_tier,
    build_plan,
    organization_name,
    persona_name,
    planned_seconds,
    scenario_opener,
    stage_seed,
)
from desktop_app.core.probes import (
    answer_strength,
    bank_follow_up,
    check_character_line,
    check_follow_up,
    similarity,
)
from desktop_app.core.question_bank import BankError, load_bank, parse_bank


def _profile(**behavior) -> AgentProfile:
    return AgentProfile.model_validate({
        "name": "Coach", "persona": "Alex, a senior engineer at Acme.",
        "rubric": [{"name": "Skill", "weight": 100}],
        "behavior": {"tone": "friendly", "style": "structured", "difficulty": "medium", "probing_depth": "medium",
                     **behavior},
        "context": {"organization": "Acme Ltd builds payment systems for shops.", "domain": "payments",
                    "scenario": "You are Sam. Your parcel is two weeks late. You want a refund. Stay angry."},
    })


def _template(**kw) -> EvaluationTemplate:
    data = {"name": "Backend", "skills": ["Python", "Teamwork"], "traits": ["Ownership"],
            "success_criteria": ["Explains trade-offs with a measurable result."], "duration_minutes": 10,
            "question_depth": "intermediate"}
    return EvaluationTemplate.model_validate({**data, **kw})


STAGE = EvaluationStage.model_validate({"template": "Backend", "name": "Screen", "agent_profile": "Coach"})


def _person(name: str = "Dana Whitfield", resume: str = "") -> Participant:
    return Participant.model_validate({"name": name, "email": f"{name.split()[0].lower()}@example.org",
                                       "template": "Backend", "resume_text": resume})


def test_every_skill_trait_and_criterion_gets_a_core_question():
    plan = build_plan(_template(), STAGE, _profile(), _person(), stage_id="st-1", mode="live_ai_interview")
    covered = [t for q in plan.questions for t in q.targets]
    assert covered == ["Python", "Teamwork", "Ownership", "Explains trade-offs with a measurable result."]
    assert [q.id for q in plan.questions] == ["q1", "q2", "q3", "q4"]
    assert all(q.text.endswith(("?", ".")) for q in plan.questions)
    assert "Python" in plan.questions[0].text  # technical skills keep their spelling
    assert plan.follow_up_range == (1, 2)
    assert plan.time_budget_s == 600


def test_same_questions_for_every_participant_of_a_stage_and_other_wording_for_another_stage():
    a = build_plan(_template(), STAGE, _profile(), _person("Dana Whitfield"), stage_id="st-1", mode="live_ai_interview")
    b = build_plan(_template(), STAGE, _profile(), _person("Lee Chan", "Ten years of Go."), stage_id="st-1",
                   mode="live_ai_interview")
    assert [q.text for q in a.questions] == [q.text for q in b.questions]
    assert a.seed == b.seed == stage_seed("st-1")
    assert "Dana" in a.introduction and "Lee" in b.introduction
    others = {tuple(q.text for q in build_plan(_template(), STAGE, _profile(), _person(), stage_id=f"st-{i}",
                                               mode="live_ai_interview").questions) for i in range(8)}
    assert len(others) > 1


def test_plan_round_trips_through_json():
    plan = build_plan(_template(), STAGE, _profile(difficulty="adaptive"), _person(resume="Built things."),
                      stage_id="st-1", mode="live_ai_interview")
    again = InterviewPlan.from_dict(json.loads(json.dumps(plan.to_dict())))
    assert again == plan
    assert plan.adaptive and all(set(q.variants) == {"-1", "+1"} for q in plan.questions)
    assert plan.resume_excerpt == "Built things."


def test_depth_and_difficulty_pick_the_tier():
    assert base_tier("introductory", "easy") == 0
    assert base_tier("intermediate", "medium") == 1
    assert base_tier("advanced", "hard") == 3
    assert base_tier("expert", "hard") == 3
    easy = build_plan(_template(question_depth="introductory"), STAGE, _profile(difficulty="easy"), _person(),
                      stage_id="s", mode="live_ai_interview")
    hard = build_plan(_template(question_depth="expert"), STAGE, _profile(difficulty="hard"), _person(),
                      stage_id="s", mode="live_ai_interview")
    assert easy.questions[0].tier == 0 and hard.questions[0].tier == 3
    assert easy.questions[0].text != hard.questions[0].text


@pytest.mark.parametrize("depth,expected", [("low", (0, 1)), ("medium", (1, 2)), ("high", (2, 3))])
def test_probing_depth_sets_follow_up_range(depth, expected):
    plan = build_plan(_template(), STAGE, _profile(probing_depth=depth), _person(), stage_id="s", mode="live_ai_interview")
    assert plan.follow_up_range == expected
    assert all(q.max_follow_ups == expected[1] for q in plan.questions)


def test_async_and_manual_have_no_follow_ups_and_stage_duration_overrides():
    stage = EvaluationStage.model_validate({"template": "Backend", "name": "Async", "agent_profile": "Coach",
                                            "duration_minutes": 45})
    plan = build_plan(_template(), stage, _profile(probing_depth="high"), _person(), stage_id="s", mode="async_interview")
    assert plan.follow_up_range == (0, 0)
    assert plan.time_budget_s == 45 * 60
    live = build_plan(_template(), stage, _profile(), _person(), stage_id="s", mode="live_ai_interview")
    assert live.questions[0].kind == "warm_up"  # long enough for a warm-up question


def test_roleplay_plays_the_scenario_character():
    plan = build_plan(_template(), STAGE, _profile(), _person(), stage_id="s", mode="roleplay_simulation")
    assert plan.roleplay is not None and plan.roleplay.character == "Customer"
    assert plan.questions[0].text.startswith("I'm Sam. My parcel is two weeks late.")
    assert "Stay angry" not in plan.questions[0].text
    assert all(q.kind == "roleplay" for q in plan.questions) and len(plan.questions) >= 3
    assert {t for q in plan.questions for t in q.targets} == {"Python", "Teamwork", "Ownership",
                                                             "Explains trade-offs with a measurable result."}


def test_empty_template_falls_back_to_bank_questions():
    plan = build_plan(_template(skills=[], traits=[], success_criteria=[]), STAGE, _profile(), _person(),
                      stage_id="s", mode="live_ai_interview")
    assert len(plan.questions) == 3 and all(q.kind == "general" for q in plan.questions)


def test_helpers():
    assert persona_name("Alex, a senior engineer at Acme.") == "Alex"
    assert persona_name("") == "your interviewer"
    assert organization_name("Acme Ltd builds payment systems for shops.") == "Acme Ltd"
    assert organization_name("Brightside Home Goods, an online retailer.") == "Brightside Home Goods"
    assert scenario_opener("An angry customer calls.") == ""
    assert scenario_opener("You are Jo, a tenant. Nobody told you why. Your boiler is broken.") == (
        "I'm Jo, a tenant. My boiler is broken.")
    plan = build_plan(_template(), STAGE, _profile(), _person(), stage_id="s", mode="live_ai_interview")
    assert planned_seconds(plan, 0) > planned_seconds(plan, 2) > 0
    assert plan.phrases()[0] == plan.introduction and plan.acknowledgements[0] in plan.phrases()


# ---------------------------------------------------------------- follow-up checks

Q = "Walk me through how you used Python in a recent piece of work. What was your part?"
A = "I wrote a Python script that cleaned our sales data every night and saved two hours a day."


@pytest.mark.parametrize("proposal", [
    "How did you test the script before it ran every night?",
    "Interviewer: How did you make sure the sales data stayed correct?\nCandidate: I",
    "Good. How did you schedule the nightly cleaning script?",
])
def test_follow_up_accepted(proposal):
    check = check_follow_up(proposal, question=Q, answer=A, target="Python", previous=[Q])
    assert check.ok, check.reason
    assert check.text.endswith("?") and "Interviewer" not in check.text


@pytest.mark.parametrize("proposal,reason", [
    ("", "empty"),
    ("Tell me more about the script.", "not a single question"),
    ("How did you test it and who reviewed the sales script", "not a single question"),
    ("What score would you give your script?", "talks about the interview or scoring"),
    ("As an AI language model, what else did the script do?", "talks about the interview or scoring"),
    ("What is your favourite football team?", "off topic"),
    ("Walk me through how you used Python in a recent piece of work?", "repeats an earlier question"),
    ("Why?", "too short"),
    ("How did you " + "really " * 30 + "test the script?", "too long"),
    ("Did you read <b>the sales data</b> script?", "contains markup"),
])
def test_follow_up_rejected(proposal, reason):
    check = check_follow_up(proposal, question=Q, answer=A, target="Python", previous=[Q])
    assert not check.ok and check.reason == reason


def test_two_questions_keep_the_first():
    check = check_follow_up("How did you schedule the script? Who reviewed it?", question=Q, answer=A, target="Python")
    assert check.ok and check.text == "How did you schedule the script?"


@pytest.mark.parametrize("line,ok", [
    ("I want my money back today, not next week.", True),
    ("As an AI, I cannot pretend to be a customer.", False),
    ("How can I help you today?", False),
    ("I understand your frustration, let me fix that.", False),
    ("Customer: This is the third time I have called!", True),
    ("Score: 5", False),
])
def test_character_guard(line, ok):
    assert check_character_line(line, previous=["Where is my order?"]).ok is ok


def test_character_guard_rejects_echo_and_repeat():
    assert not check_character_line("Where is my order?", previous=["Where is my order?"]).ok
    reply = "I am sorry your order is late, I will send a new one today."
    assert not check_character_line(reply, candidate_reply=reply).ok


def test_bank_follow_up_targets_what_the_answer_lacks_and_avoids_repeats():
    bank = load_bank()
    first = bank_follow_up(bank, "We did it.", target="Python", previous=[])
    assert first in bank.follow_ups["example"]
    second = bank_follow_up(bank, "We did it.", target="Python", previous=[first])
    assert similarity(first, second) < 0.6


def test_answer_strength_orders_answers():
    weak = answer_strength("Not sure.")
    strong = answer_strength("I rebuilt the billing job in Python because it timed out; as a result runs went from "
                             "40 minutes to 5, which meant we could bill twice a day. " * 2)
    assert 0 <= weak < 0.35 < 0.65 <= strong <= 1


def test_bank_validation_names_the_field():
    with pytest.raises(BankError, match="skill_templates"):
        parse_bank({"skill_templates": [["x"]]})
    bank = load_bank()
    assert bank.term("Teamwork") == "teamwork" and bank.term("Python") == "Python"
    assert bank.character_for("A patient waits at the clinic").id == "patient"
    assert bank.character_for("Something else entirely").id == "generic"


def test_style_sets_the_intro_and_conversational_transitions():
    structured = build_plan(_template(), STAGE, _profile(style="structured"), _person(), stage_id="s",
                            mode="live_ai_interview")
    assert "same questions everyone" in structured.introduction
    assert all(q.lead == "" for q in structured.questions)
    chatty = build_plan(_template(), STAGE, _profile(style="conversational"), _person(), stage_id="s",
                        mode="live_ai_interview")
    assert chatty.questions[0].lead == ""
    assert chatty.questions[1].lead in ("Next, let's talk about teamwork.", "Let's turn to teamwork.")
    assert chatty.questions[1].lead in chatty.phrases()
