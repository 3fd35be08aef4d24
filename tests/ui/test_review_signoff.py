"""The review window's sign-off on a real data folder: a named assessor, a confirmation against the
recommendation, locked scores after approval, and reopening with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.evaluation import service
from desktop_app.store import results as rs
from desktop_app.ui.review.signoff import ReopenDialog, SignOffDialog
from tests.evaluation.helpers import STRONG, STRONG_2, add_session, make_world
from tests.ui.conftest import run, wait_idle

DISAGREEING = 'dimension("Communication") >= 9 -> hire\nelse -> no_hire'


def _scored_session(ctx, **world_options) -> str:
    def build(store):
        world = make_world(store, **world_options)
        sid = add_session(store, world, [STRONG, STRONG_2])
        service.score_session(store, sid, operator="grace")
        return sid

    return run(ctx, build)


def _open_review(qtbot, ctx, window, sid):
    review = window.open_review(sid)
    qtbot.waitUntil(lambda: review.data is not None and review.data["result"] is not None, timeout=10_000)
    wait_idle(qtbot, ctx)
    return review


def test_sign_off_needs_a_name_confirms_against_the_recommendation_and_locks_scores(qtbot, gui, monkeypatch):
    monkeypatch.delenv("VIVA_OPERATOR", raising=False)
    ctx, window = gui
    sid = _scored_session(ctx, logic=DISAGREEING)
    review = _open_review(qtbot, ctx, window, sid)

    # The headline is in words and the two rules' disagreement is said plainly.
    assert review.scores.overall.text().endswith("of 10 · No hire · Pass"), review.scores.overall.text()
    assert "no_hire" not in review.scores.overall.text()
    assert not review.scores.warning.isHidden() and "“No hire”" in review.scores.warning.text()
    assert review.scorecard.default_name == "Ada b Lovelace b & Co - Round 1 - scorecard.pdf"
    assert review.override_button.isEnabled() and review.rescore_button.isEnabled()

    qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
    dialog = review.last_dialog
    assert isinstance(dialog, SignOffDialog) and dialog.isVisible()
    assert dialog.name.text() == "" and not dialog.ok.isEnabled(), "no name is offered: never the OS account"
    qtbot.keyClicks(dialog.name, "   ")
    assert not dialog.ok.isEnabled() and "Type your name" in dialog.message.text()
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Ada Assessor")
    qtbot.keyClicks(dialog.note, "Read both answers twice")
    assert dialog.ok.isEnabled()

    # Against the recommendation the assessor is asked again, with the difference stated; "no" keeps it open.
    asked: list[dict] = []
    monkeypatch.setattr("desktop_app.ui.review.signoff.confirm",
                        lambda parent, title, text, **kw: asked.append({"title": title, **kw}) or False)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "against the recommendation" in asked[0]["title"]
    assert "“No hire”" in asked[0]["informative"] and "“Pass”" in asked[0]["informative"]
    assert dialog.isVisible()
    wait_idle(qtbot, ctx)
    assert run(ctx, lambda s: rs.get_result(s, sid))["decision"] == "pending"

    monkeypatch.setattr("desktop_app.ui.review.signoff.confirm", lambda *a, **k: asked.append(k) or True)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.decision.text().startswith("Approved by Ada Assessor"), timeout=10_000)
    wait_idle(qtbot, ctx)
    result = run(ctx, lambda s: rs.get_result(s, sid))
    assert result["decision"] == "approved" and result["approved_by"] == "Ada Assessor"
    entry = run(ctx, lambda s: rs.audit_entries(s, sid))[-1]
    assert entry["details"]["note"] == "Read both answers twice" and entry["details"]["against_recommendation"]

    # Locked: no override, no rescoring, no second approval; the name is offered next time.
    assert not review.override_button.isEnabled() and not review.rescore_button.isEnabled()
    assert review.approve_button.isHidden() and review.reopen_button.isEnabled()
    assert "reopen" in review.override_button.toolTip()
    assert ctx.assessor_default() == "Ada Assessor"

    # Reopening asks why, is audited, and unlocks the scores for a new approval.
    qtbot.mouseClick(review.reopen_button, Qt.MouseButton.LeftButton)
    reopen = review.last_dialog
    assert isinstance(reopen, ReopenDialog) and reopen.name.text() == "Ada Assessor" and not reopen.ok.isEnabled()
    qtbot.keyClicks(reopen.reason, "The second answer was misheard")
    assert reopen.ok.isEnabled()
    qtbot.mouseClick(reopen.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.decision.text() == "Waiting for sign-off.", timeout=10_000)
    wait_idle(qtbot, ctx)
    assert review.override_button.isEnabled() and review.approve_button.isEnabled()
    entry = run(ctx, lambda s: rs.audit_entries(s, sid))[-1]
    assert entry["action"] == "reopen" and entry["operator"] == "Ada Assessor"
    assert entry["details"]["reason"] == "The second answer was misheard"


def test_signing_with_the_recommendation_asks_no_second_question(qtbot, gui, monkeypatch):
    ctx, window = gui
    sid = _scored_session(ctx)
    review = _open_review(qtbot, ctx, window, sid)
    assert review.scores.warning.isHidden()
    monkeypatch.setattr("desktop_app.ui.review.signoff.confirm",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("asked without a reason")))
    qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
    dialog = review.last_dialog
    qtbot.keyClicks(dialog.name, "Ada Assessor")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.decision.text().startswith("Approved by Ada Assessor"), timeout=10_000)
    wait_idle(qtbot, ctx)
    assert run(ctx, lambda s: rs.get_result(s, sid))["approved_by"] == "Ada Assessor"
