"""Sign-off on real SQLite: the given name is recorded, approved scores are locked, reopening is audited."""

from __future__ import annotations

import getpass

import pytest

from desktop_app.core.errors import UserError
from desktop_app.evaluation import service
from desktop_app.store import results as rs
from tests.evaluation.helpers import STRONG, STRONG_2, WEAK, add_session, make_world


def _scored(store, answers=(STRONG, STRONG_2), **world_options):
    world = make_world(store, **world_options)
    sid = add_session(store, world, list(answers))
    service.score_session(store, sid, operator="grace")
    return sid


def test_approval_records_the_given_name_and_note_never_the_computer_account(store):
    sid = _scored(store)
    data = service.approve(store, sid, assessor="  Grace   Hopper ", note="Checked the recordings")
    result = rs.get_result(store, sid)
    assert result["decision"] == "approved" and result["approved_by"] == "Grace Hopper" == data["result"]["approved_by"]
    assert result["approved_by"] != getpass.getuser()
    entry = rs.audit_entries(store, sid)[-1]
    assert entry["action"] == "approve" and entry["operator"] == "Grace Hopper"
    assert entry["details"]["note"] == "Checked the recordings" and entry["details"]["against_recommendation"] == []


@pytest.mark.parametrize("name", ["", "   ", "operator", "CLI"])
def test_approval_without_a_real_name_is_refused_and_writes_nothing(store, name):
    sid = _scored(store)
    before = len(rs.audit_entries(store, sid))
    with pytest.raises(UserError, match="assessor's name") as err:
        service.approve(store, sid, assessor=name)
    assert err.value.field == "by"
    assert rs.get_result(store, sid)["decision"] == "pending" and len(rs.audit_entries(store, sid)) == before


def test_approved_scores_are_locked_and_nothing_is_written(store):
    sid = _scored(store)
    service.approve(store, sid, assessor="Grace Hopper")
    scores_before, audit_before = len(rs.list_scores(store, sid)), len(rs.audit_entries(store, sid))
    with pytest.raises(UserError, match="locked: Grace Hopper signed this session off") as err:
        service.override_score(store, sid, dimension="Communication", score=2, reason="Too quiet", operator="alan")
    assert err.value.field == "session" and "reopen" in str(err.value)
    with pytest.raises(UserError, match="locked"):
        service.add_human_score(store, sid, dimension="Communication", score=2, operator="alan")
    with pytest.raises(UserError, match="locked"):
        service.score_session(store, sid, operator="alan")
    assert len(rs.list_scores(store, sid)) == scores_before and len(rs.audit_entries(store, sid)) == audit_before
    assert rs.get_result(store, sid)["decision"] == "approved"


def test_reopen_needs_a_reason_is_audited_and_needs_a_new_approval(store):
    sid = _scored(store)
    with pytest.raises(UserError, match="nothing to reopen"):
        service.reopen(store, sid, reason="Second look at answer two", operator="Alan Turing")
    service.approve(store, sid, assessor="Grace Hopper")
    with pytest.raises(UserError, match="reason"):
        service.reopen(store, sid, reason="  ", operator="Alan Turing")
    with pytest.raises(UserError, match="assessor's name"):
        service.reopen(store, sid, reason="Second look at answer two", operator=" ")
    data = service.reopen(store, sid, reason="Second look at answer two", operator="Alan Turing")
    assert data["result"]["decision"] == "pending" and data["result"]["approved_by"] is None
    entry = rs.audit_entries(store, sid)[-1]
    assert entry["action"] == "reopen" and entry["operator"] == "Alan Turing"
    assert entry["details"]["reason"] == "Second look at answer two"
    assert entry["details"]["approved_by"] == "Grace Hopper" and entry["details"]["approved_at"]
    service.override_score(store, sid, dimension="Communication", score=3, reason="Too quiet", operator="Alan Turing")
    data = service.approve(store, sid, assessor="Alan Turing")
    assert data["result"]["approved_by"] == "Alan Turing"
    assert [a["action"] for a in data["audit"]][-4:] == ["approve", "reopen", "override", "approve"]


def test_a_recommendation_against_the_result_is_stated_and_recorded_at_sign_off(store):
    sid = _scored(store, logic='dimension("Communication") >= 9 -> hire\nelse -> no_hire')
    data = service.review_data(store, sid)
    assert data["result"]["recommendation"] == "no_hire" and data["result"]["passed"] is True
    note = data["sign_off"]["disagreement"]
    assert note and "“No hire”" in note and "“Pass”" in note and data["sign_off"]["against"] == [note]
    service.approve(store, sid, assessor="Grace Hopper")
    assert rs.audit_entries(store, sid)[-1]["details"]["against_recommendation"] == [note]


def test_an_override_that_moves_the_result_is_stated(store):
    sid = _scored(store, answers=(WEAK,))
    assert service.review_data(store, sid)["sign_off"]["against"] == []
    for dim in ("Problem solving", "Communication"):
        service.override_score(store, sid, dimension=dim, score=9, reason="Answered well in the follow-up call",
                               operator="grace")
    sign_off = service.review_data(store, sid)["sign_off"]
    moved = sign_off["override_moved"]
    assert moved and "without them it is" in moved and "Does not pass" in moved and "9.0 of 10 · Hire · Pass" in moved
    assert moved in sign_off["against"] and "no_hire" not in moved
    service.approve(store, sid, assessor="Grace Hopper")
    assert moved in rs.audit_entries(store, sid)[-1]["details"]["against_recommendation"]
