"""`viva report fairness` on a real SQLite data folder: rates by group, latest attempt, CSV, one-line errors."""

from __future__ import annotations

import csv

import pytest

from desktop_app.store import results as rs
from desktop_app.store import sessions, setup
from desktop_app.store.db import Store
from desktop_app.store.reports import stage_outcomes
from tests.conftest import db_snapshot
from tests.evaluation.helpers import RUBRIC


def _scored(store: Store, participant: str, stage: str, passed: bool) -> str:
    """Schedules, completes and records a result for one session."""
    rec = sessions.schedule_session(store, participant, stage)
    sessions.set_status(store, rec.id, "in_progress")
    sessions.set_status(store, rec.id, "completed")
    with store.transaction():
        rs.save_result(store, rec.id, overall=7.0 if passed else 3.0, recommendation="hire" if passed else "no_hire",
                       passed=passed, needs_review=False, signals=[], feedback={}, flags=[], details={})
    return rec.id


def build_world(store: Store) -> dict:
    """A template with two stages; group A passes 4 of 5 at Screen, group B 3 of 5 (B4 on a retake), two untagged."""
    profile = setup.save(store, "profile", {"name": "Panel", "use_case": "hiring", "rubric": RUBRIC,
                                            "scoring": {"method": "rule_based"}})
    template = setup.save(store, "template", {"name": "Analyst", "use_case": "hiring"})
    other = setup.save(store, "template", {"name": "Other role", "use_case": "hiring"})
    screen = setup.save(store, "stage", {"template": template.id, "name": "Screen", "agent_profile": profile.id,
                                         "order": 0, "pass_threshold": 5, "allow_retry": True})
    final = setup.save(store, "stage", {"template": template.id, "name": "Final", "agent_profile": profile.id,
                                        "order": 1, "pass_threshold": 5})
    setup.save(store, "stage", {"template": other.id, "name": "Elsewhere", "agent_profile": profile.id, "order": 0,
                                "pass_threshold": 5})
    people = {}
    plan = [("A", [True, True, True, True, False]), ("B", [True, True, False, False, False]), (None, [True, False])]
    for group, outcomes in plan:
        for n, passed in enumerate(outcomes):
            tags = ["onsite"] + ([f"group:{group}"] if group else [])
            person = setup.save(store, "participant", {
                "name": f"{group or 'X'}{n}", "email": f"{(group or 'x').lower()}{n}@example.com",
                "template": template.id, "tags": tags})
            people[f"{group or 'X'}{n}"] = person.id
            _scored(store, person.id, screen.id, passed)
    # B4 failed the screen once and passed the retake: only the latest attempt counts.
    _scored(store, people["B4"], screen.id, True)
    # Two finalists; and a completed session with no result, reported as not counted.
    _scored(store, people["A0"], final.id, True)
    _scored(store, people["B0"], final.id, False)
    unscored = sessions.schedule_session(store, people["A1"], final.id)
    sessions.set_status(store, unscored.id, "in_progress")
    sessions.set_status(store, unscored.id, "completed")
    return {"template": template.id, "screen": screen.id, "final": final.id, "other_stage": "Elsewhere",
            "people": people}


@pytest.fixture
def world(data_dir):
    """build_world in the data folder the `viva` fixture uses."""
    store = Store.open(data_dir)
    try:
        return build_world(store)
    finally:
        store.close()


def test_the_store_read_gives_the_latest_outcome_per_participant_and_stage_with_tags(data_dir, world):
    store = Store.open(data_dir)
    rows = stage_outcomes(store, world["template"], world["screen"])
    store.close()
    assert len(rows) == 12  # twelve people at the screen, B4 once despite two attempts
    b4 = [r for r in rows if r["participant_id"] == world["people"]["B4"]]
    assert len(b4) == 1 and b4[0]["passed"] is True and b4[0]["attempt"] == 2
    assert b4[0]["tags"] == ["group:B", "onsite"] and b4[0]["stage"] == "Screen"


def test_fairness_by_prefix_per_stage_as_json(viva, world):
    result = viva("report", "fairness", "--template", "Analyst", "--group-prefix", "group:", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert [s["stage"] for s in data["stages"]] == ["Screen", "Final"]
    screen = {g["group"]: g for g in data["stages"][0]["groups"]}
    assert (screen["A"]["n"], screen["A"]["passed"], screen["A"]["ratio"]) == (5, 4, 1.0)
    assert (screen["B"]["n"], screen["B"]["passed"]) == (5, 3)  # B4's retake passed
    assert screen["B"]["ratio"] == pytest.approx(0.75) and screen["B"]["flagged"] and screen["B"]["small"]
    assert (screen["unspecified"]["n"], screen["unspecified"]["passed"]) == (2, 1)
    assert data["stages"][0]["reference_group"] == "A"
    assert "B (n=5)" in data["stages"][0]["warning"] and "not proof of discrimination" in data["stages"][0]["warning"]
    final = {g["group"]: g for g in data["stages"][1]["groups"]}
    assert set(final) == {"A", "B"} and final["B"]["ratio"] == 0
    assert data["unscored_sessions"] == 1


def test_fairness_for_one_stage_by_explicit_tags_as_text_and_csv(viva, world, tmp_path, data_dir):
    out = tmp_path / "fair.csv"
    result = viva("report", "fairness", "--template", world["template"], "--stage", "screen", "--groups",
                  "group:A, group:B", "--csv", str(out))
    assert result.code == 0, result.err
    assert "Stage Screen: 12 outcome(s)" in result.out and "Stage Final" not in result.out
    assert "BELOW 0.8" in result.out and "small group" in result.out and "highest rate" in result.out
    assert "not proof of discrimination" in " ".join(result.out.split()) and f"wrote {out}" in result.out
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["group"], r["n"], r["passed"], r["below_four_fifths"]) for r in rows] == [
        ("group:A", "5", "4", "false"), ("group:B", "5", "3", "true"), ("unspecified", "2", "1", "true")]
    assert rows[0]["ratio"] == "1.0" and rows[1]["ratio"] == "0.75" and "screening statistic" in rows[0]["warning"]
    store = Store.open(data_dir)
    actions = [a["action"] for a in rs.audit_entries(store, world["template"])]
    store.close()
    assert "export_fairness" in actions


def test_errors_are_one_line_exit_2_and_write_nothing(viva, world, tmp_path, data_dir):
    before = db_snapshot(data_dir / "viva.sqlite3")
    cases = [
        ("--template", "Nope", "--group-prefix", "group:"),
        ("--template", "Analyst", "--stage", world["other_stage"], "--group-prefix", "group:"),
        ("--template", "Analyst", "--stage", "Nope", "--group-prefix", "group:"),
        ("--template", "Analyst", "--groups", " , "),
        ("--template", "Analyst", "--group-prefix", "  "),
        ("--template", "Analyst", "--group-prefix", "group:", "--csv", str(tmp_path / "missing" / "f.csv")),
    ]
    for argv in cases:
        result = viva("report", "fairness", *argv)
        assert result.code == 2 and result.err.startswith("viva: ") and result.err.count("\n") == 1, (argv, result.err)
    assert not (tmp_path / "missing").exists()
    assert db_snapshot(data_dir / "viva.sqlite3") == before
    with pytest.raises(SystemExit) as info:  # argparse: one of the two grouping options is required
        viva("report", "fairness", "--template", "Analyst")
    assert info.value.code == 2
