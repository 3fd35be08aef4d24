"""The store on real SQLite files: pragmas, migrations, rules across objects, atomicity, erasure."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.errors import InUse, UserError
from desktop_app.core.transcript import Turn
from desktop_app.store import bundle, sessions, setup
from desktop_app.store.db import Store
from desktop_app.store.schema import MIGRATIONS
from tests.conftest import db_snapshot

PROFILE = {"name": "Interviewer", "rubric": [{"name": "Skill", "weight": 70}, {"name": "Clarity", "weight": 30}],
           "scoring": {"scale": "0-10"}}
TEMPLATE = {"name": "Backend", "skills": ["Go", "SQL"]}


def seed(store: Store) -> dict[str, str]:
    """One profile, template, two stages and a participant."""
    p = setup.save(store, "profile", PROFILE)
    t = setup.save(store, "template", TEMPLATE)
    s0 = setup.save(store, "stage", {"template": "Backend", "name": "Screen", "agent_profile": "Interviewer", "order": 0,
                                     "pass_threshold": 5})
    s1 = setup.save(store, "stage", {"template": t.id, "name": "Final", "agent_profile": p.id, "order": 1,
                                     "pass_threshold": 7})
    person = setup.save(store, "participant", {"name": "Ann Lee", "email": "ann@example.org", "template": "Backend",
                                               "tags": ["senior", "remote"]})
    return {"profile": p.id, "template": t.id, "stage0": s0.id, "stage1": s1.id, "participant": person.id}


def test_pragmas_and_migrations(store: Store):
    assert store.query_one("PRAGMA journal_mode")["journal_mode"] == "wal"
    assert store.query_one("PRAGMA synchronous")["synchronous"] == 2  # FULL
    assert store.query_one("PRAGMA foreign_keys")["foreign_keys"] == 1
    names = [r["name"] for r in store.query("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == sorted(name for name, _ in MIGRATIONS)
    assert store.migrate() == []  # reopening applies nothing twice


def test_ids_are_uuids_and_timestamps_set(store: Store):
    ids = seed(store)
    rec = setup.get(store, "profile", ids["profile"])
    assert len(rec.id) == 36 and rec.id.count("-") == 4
    assert rec.created_at and rec.updated_at >= rec.created_at


def test_references_by_name_or_id(store: Store):
    ids = seed(store)
    stage = setup.get(store, "stage", ids["stage0"]).obj
    assert stage.template == ids["template"] and stage.agent_profile == ids["profile"]
    with pytest.raises(UserError, match="agent_profile: no profile with id or name 'Nobody'"):
        setup.save(store, "stage", {"template": "Backend", "name": "X", "agent_profile": "Nobody", "order": 2})


def test_threshold_must_lie_on_profile_scale(store: Store):
    seed(store)
    with pytest.raises(UserError, match=r"stage\.yaml: pass_threshold: 11 is off the profile's scale 0-10"):
        setup.save(store, "stage", {"template": "Backend", "name": "X", "agent_profile": "Interviewer", "order": 2,
                                    "pass_threshold": 11}, source="stage.yaml")


def test_profile_scale_change_must_keep_thresholds(store: Store):
    ids = seed(store)
    with pytest.raises(UserError, match="scoring.scale: scale 0-5 does not hold stage"):
        setup.save(store, "profile", {**PROFILE, "scoring": {"scale": "0-5"}}, record_id=ids["profile"])


def test_stage_orders_stay_contiguous(store: Store):
    ids = seed(store)
    with pytest.raises(UserError, match="order: 5 leaves a gap"):
        setup.save(store, "stage", {"template": "Backend", "name": "Gap", "agent_profile": "Interviewer", "order": 5})
    # Inserting at 1 shifts Final to 2.
    setup.save(store, "stage", {"template": "Backend", "name": "Technical", "agent_profile": "Interviewer", "order": 1})
    names = [r["name"] for r in setup.list_records(store, "stage", template="Backend")]
    assert names == ["Screen", "Technical", "Final"]
    assert [r["order"] for r in setup.list_records(store, "stage", template="Backend")] == [0, 1, 2]
    setup.delete(store, "stage", ids["stage0"])
    assert [(r["name"], r["order"]) for r in setup.list_records(store, "stage", template="Backend")] == [
        ("Technical", 0), ("Final", 1)]
    assert setup.get(store, "stage", "Final").obj.order == 1


def test_email_unique_per_template_case_insensitive(store: Store):
    seed(store)
    with pytest.raises(UserError, match="email: ANN@example.org is already used by 'Ann Lee'"):
        setup.save(store, "participant", {"name": "Other", "email": "ANN@example.org", "template": "Backend"})
    setup.save(store, "template", {"name": "Frontend"})
    setup.save(store, "participant", {"name": "Ann Lee", "email": "ann@example.org", "template": "Frontend"})


def test_names_unique(store: Store):
    seed(store)
    with pytest.raises(UserError, match="name: 'interviewer' is already taken"):
        setup.save(store, "profile", {**PROFILE, "name": "interviewer"})


def test_failed_command_leaves_every_row(store: Store, data_dir: Path):
    seed(store)
    before = db_snapshot(data_dir / "viva.sqlite3")
    bad_bundle = {
        "profiles": [{**PROFILE, "name": "New one"}],
        "templates": [{"name": "New template"}],
        "stages": [{"template": "New template", "name": "S", "agent_profile": "New one", "pass_threshold": 99}],
    }
    with pytest.raises(UserError, match=r"b\.json: stages\[0\]\.pass_threshold"):
        bundle.import_bundle(store, bad_bundle, source="b.json")
    assert db_snapshot(data_dir / "viva.sqlite3") == before


def test_delete_in_use_is_refused_naming_users(store: Store):
    ids = seed(store)
    with pytest.raises(InUse, match="profile 'Interviewer' is used by stage 'Screen' of template 'Backend'"):
        setup.delete(store, "profile", ids["profile"])
    with pytest.raises(InUse, match="template 'Backend' is used by stage 'Screen'"):
        setup.delete(store, "template", "Backend")
    sessions.schedule_session(store, ids["participant"], ids["stage0"])
    with pytest.raises(InUse, match="1 session"):
        setup.delete(store, "stage", ids["stage0"])


def test_erasing_a_participant_removes_everything(store: Store, data_dir: Path, tmp_path: Path):
    ids = seed(store)
    resume = tmp_path / "cv.txt"
    resume.write_text("Ten years of Go.\n\nPostgreSQL tuning.")
    person = setup.save(store, "participant", {"name": "Bo", "email": "bo@example.org", "template": "Backend",
                                               "resume": str(resume), "tags": ["x"]})
    assert person.obj.resume_text.startswith("Ten years of Go.")
    s = sessions.schedule_session(store, person.id, ids["stage0"])
    sessions.set_status(store, s.id, "in_progress")
    audio_dir = store.paths.session_audio(s.id)
    audio_dir.mkdir(parents=True)
    (audio_dir / "turn-0000.wav").write_bytes(b"RIFF")
    sessions.add_turn(store, Turn(s.id, -1, "candidate", "I tuned PostgreSQL", 0.0, 3.0,
                                  audio_path=str(audio_dir / "turn-0000.wav")))
    store.execute("INSERT INTO scores (id, session_id, dimension, source, rater, score, created_at) VALUES"
                  " ('x', ?, 'Skill', 'ai', 'm', 5, 'now')", (s.id,))
    setup.delete(store, "participant", person.id)
    for table, col in [("participants", "id"), ("sessions", "participant_id"), ("participant_tags", "participant_id")]:
        assert store.query(f"SELECT * FROM {table} WHERE {col} = ?", (person.id,)) == []
    assert store.query("SELECT * FROM turns WHERE session_id = ?", (s.id,)) == []
    assert store.query("SELECT * FROM scores WHERE session_id = ?", (s.id,)) == []
    assert sessions.search_turns(store, "PostgreSQL") == []
    assert not audio_dir.exists() and not (store.paths.resumes / person.id).exists()
    # The audit log keeps the fact of erasure, without the person's details.
    entry = store.query_one("SELECT * FROM audit_log WHERE action = 'delete' AND object_id = ?", (person.id,))
    assert entry is not None and "Bo" not in entry["details"] and "bo@example.org" not in entry["details"]


def test_audit_log_is_append_only(store: Store):
    seed(store)
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.execute("UPDATE audit_log SET operator = 'x'")


def test_turns_are_indexed_for_full_text_search(store: Store):
    ids = seed(store)
    s = sessions.schedule_session(store, ids["participant"], ids["stage0"])
    sessions.add_turn(store, Turn(s.id, -1, "interviewer", "Tell me about replication.", 0, 2))
    sessions.add_turn(store, Turn(s.id, -1, "candidate", "We used logical replication in PostgreSQL.", 2, 8))
    hits = sessions.search_turns(store, "replication postgresql")
    assert [(h["idx"], h["speaker"]) for h in hits] == [(1, "candidate")]
    assert [t.index for t in sessions.list_turns(store, s.id)] == [0, 1]


def test_session_schedule_rules(store: Store):
    ids = seed(store)
    s = sessions.schedule_session(store, "Ann Lee", "Screen")
    assert s.status == "scheduled" and s.mode == "live_ai_interview" and s.attempt == 1
    with pytest.raises(UserError, match="already has session"):
        sessions.schedule_session(store, ids["participant"], ids["stage0"])
    with pytest.raises(UserError, match="status: cannot move from scheduled to completed"):
        sessions.set_status(store, s.id, "completed")
    sessions.set_status(store, s.id, "in_progress")
    done = sessions.set_status(store, s.id, "completed")
    assert done.started_at and done.ended_at
    with pytest.raises(UserError, match="does not allow a retry"):
        sessions.schedule_session(store, ids["participant"], ids["stage0"])
