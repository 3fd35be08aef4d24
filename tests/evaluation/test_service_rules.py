"""Rule-based scoring through the service on real SQLite: ordering, invariants, sign-off, overrides, retries."""

from __future__ import annotations

import pytest

from desktop_app.core.errors import UserError
from desktop_app.evaluation import service
from desktop_app.store import results as rs
from tests.evaluation.helpers import STRONG, STRONG_2, WEAK, WEAK_2, add_session, make_world


def test_strong_answers_outscore_weak_answers(store):
    world = make_world(store)
    strong = service.score_session(store, add_session(store, world, [STRONG, STRONG_2]))
    other = make_world(store)
    weak = service.score_session(store, add_session(store, other, [WEAK, WEAK_2]))
    assert strong["result"]["overall"] > weak["result"]["overall"] + 3
    for dim_s, dim_w in zip(strong["dimensions"], weak["dimensions"]):
        assert dim_s["outcome"]["final"] > dim_w["outcome"]["final"]
    assert strong["result"]["recommendation"] == "hire" and strong["result"]["passed"] is True
    assert weak["result"]["recommendation"] == "no_hire" and weak["result"]["passed"] is False


@pytest.mark.parametrize("scale,top", [("0-5", 5), ("0-10", 10), ("0-100", 100)])
def test_total_is_weighted_and_on_scale(store, scale, top):
    world = make_world(store, scale=scale, threshold=top / 2)
    data = service.score_session(store, add_session(store, world, [STRONG, WEAK]))
    finals = {d["name"]: d["outcome"]["final"] for d in data["dimensions"]}
    assert all(0 <= v <= top for v in finals.values())
    expected = round((60 * finals["Problem solving"] + 40 * finals["Communication"]) / 100, 2)
    assert data["result"]["overall"] == pytest.approx(expected, abs=0.01)
    assert 0 <= data["result"]["overall"] <= top
    assert data["result"]["decision"] == "pending"


def test_every_score_records_versions_and_audit(store):
    world = make_world(store)
    sid = add_session(store, world, [STRONG])
    service.score_session(store, sid, operator="grace")
    rows = rs.list_scores(store, sid)
    assert {r["source"] for r in rows} == {"rules"}
    assert all(r["rubric_version"].startswith("rubric-") and r["prompt_version"] for r in rows)
    assert any(a["action"] == "score" and a["operator"] == "grace" for a in rs.audit_entries(store, sid))


def test_unfinished_session_is_refused_and_nothing_written(store):
    world = make_world(store)
    sid = add_session(store, world, [STRONG], complete=False)
    with pytest.raises(UserError, match="only completed sessions"):
        service.score_session(store, sid)
    assert rs.list_scores(store, sid) == [] and rs.get_result(store, sid) is None


def test_weighted_average_without_model_is_refused(store):
    world = make_world(store, method="weighted_average")
    sid = add_session(store, world, [STRONG])
    with pytest.raises(UserError, match="needs a language model"):
        service.score_session(store, sid)
    assert rs.get_result(store, sid) is None


def test_override_keeps_sources_apart_and_needs_new_sign_off(store):
    world = make_world(store)
    sid = add_session(store, world, [WEAK])
    service.score_session(store, sid)
    service.approve(store, sid, assessor="grace")
    service.reopen(store, sid, reason="The phone answer was misheard", operator="grace")
    data = service.override_score(store, sid, dimension="communication", score=9, reason="Clear on the phone", operator="grace")
    dim = next(d for d in data["dimensions"] if d["name"] == "Communication")
    assert dim["outcome"]["final"] == 9 and dim["outcome"]["basis"] == "override"
    assert dim["scores"]["rules"][0]["score"] < 9  # the machine score is kept, not replaced
    assert data["result"]["decision"] == "pending" and data["result"]["approved_by"] is None
    assert [a["action"] for a in data["audit"]][-4:] == ["score", "approve", "reopen", "override"]
    with pytest.raises(UserError, match="reason"):
        service.override_score(store, sid, dimension="Communication", score=5, reason=" ", operator="grace")
    with pytest.raises(UserError, match="off the scale"):
        service.override_score(store, sid, dimension="Communication", score=11, reason="x", operator="grace")
    with pytest.raises(UserError, match="not a dimension"):
        service.override_score(store, sid, dimension="Charm", score=5, reason="x", operator="grace")


def test_human_rater_combines_by_mode_and_agreement_is_reported(store):
    world = make_world(store, combine="mean")
    sid = add_session(store, world, [STRONG])
    machine = service.score_session(store, sid)["dimensions"][0]["outcome"]["final"]
    data = service.add_human_score(store, sid, dimension="Problem solving", score=2, operator="rater-2")
    out = data["dimensions"][0]["outcome"]
    assert out["basis"] == "mean" and out["final"] == pytest.approx((machine + 2) / 2, abs=0.01)
    assert out["agreement_ai_human"] == pytest.approx(1 - abs(machine - 2) / 10, abs=0.001)
    with pytest.raises(UserError, match="rater's name"):
        service.add_human_score(store, sid, dimension="Problem solving", score=2, operator="operator")


def test_approval_needs_a_named_assessor_and_happens_once(store):
    world = make_world(store)
    sid = add_session(store, world, [STRONG])
    service.score_session(store, sid)
    with pytest.raises(UserError, match="assessor's name"):
        service.approve(store, sid, assessor="operator")
    data = service.approve(store, sid, assessor="grace")
    assert data["result"]["decision"] == "approved" and data["result"]["approved_by"] == "grace"
    with pytest.raises(UserError, match="already approved"):
        service.approve(store, sid, assessor="grace")


def test_wait_for_approval_schedules_next_stage_only_after_sign_off(store):
    world = make_world(store, stages=2, on_completion="wait_for_approval")
    sid = add_session(store, world, [STRONG, STRONG_2])
    assert service.score_session(store, sid)["advanced"] is None
    assert rs.stage_attempts(store, world["participant"], world["stages"][1]) == []
    data = service.approve(store, sid, assessor="grace")
    assert data["advanced"]["stage_id"] == world["stages"][1]
    assert len(rs.stage_attempts(store, world["participant"], world["stages"][1])) == 1


def test_auto_advance_after_a_pass_but_not_after_a_fail(store):
    world = make_world(store, stages=2, on_completion="auto_advance")
    data = service.score_session(store, add_session(store, world, [STRONG, STRONG_2]))
    assert data["advanced"]["stage_id"] == world["stages"][1]
    other = make_world(store, stages=2, on_completion="auto_advance")
    assert service.score_session(store, add_session(store, other, [WEAK]))["advanced"] is None


def test_can_schedule_refuses_retry_unless_allowed(store):
    world = make_world(store, allow_retry=False)
    sid = add_session(store, world, [WEAK])
    service.score_session(store, sid)
    with pytest.raises(UserError, match="does not allow a retry"):
        service.can_schedule(store, world["participant"], world["stages"][0])
    retry = make_world(store, allow_retry=True)
    sid = add_session(store, retry, [WEAK])
    with pytest.raises(UserError, match="not been scored"):
        service.can_schedule(store, retry["participant"], retry["stages"][0])
    service.score_session(store, sid)
    assert service.can_schedule(store, retry["participant"], retry["stages"][0]) == 2
    passed = make_world(store, allow_retry=True)
    service.score_session(store, add_session(store, passed, [STRONG, STRONG_2]))
    with pytest.raises(UserError, match="already passed"):
        service.can_schedule(store, passed["participant"], passed["stages"][0])


def test_recommendation_logic_decides_the_label(store):
    world = make_world(store, logic='dimension("Communication") >= 9 -> hire\nelse -> no_hire')
    data = service.score_session(store, add_session(store, world, [STRONG, STRONG_2]))
    assert data["result"]["passed"] is True  # pass/fail still follows the stage threshold
    assert data["result"]["recommendation"] == "no_hire"
    assert data["result"]["details"]["recommendation_basis"] == "recommendation_logic"


def test_training_vocabulary(store):
    world = make_world(store, use_case="training")
    data = service.score_session(store, add_session(store, world, [STRONG, STRONG_2]))
    assert data["result"]["recommendation"] == "ready"


def test_delete_scoring_is_audited_and_audit_log_is_append_only(store):
    world = make_world(store)
    sid = add_session(store, world, [STRONG])
    service.score_session(store, sid)
    assert service.delete_scoring(store, sid, operator="grace") > 0
    assert rs.get_result(store, sid) is None
    assert rs.audit_entries(store, sid)[-1]["action"] == "delete_scores"
    with pytest.raises(Exception, match="append-only"):
        store.execute("DELETE FROM audit_log")
