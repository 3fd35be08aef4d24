"""The `viva` command line for setup: create/list/show/update/delete, sessions, bundles, errors."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import db_snapshot


def write(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data) if path.suffix in (".yaml", ".yml") else json.dumps(data))
    return path


PROFILE = {"name": "Coach", "rubric": [{"name": "Structure", "weight": 50}, {"name": "Clarity", "weight": 50}]}


def test_init_demo_prints_setup_and_is_repeatable(viva, data_dir):
    r = viva("init", "--demo")
    assert r.code == 0
    for text in ("Senior Backend Engineer", "Customer Service Readiness", "Graduate Mock Interview",
                 "Screen", "Technical", "Final", "Upset Customer Roleplay", "Dana Whitfield"):
        assert text in r.out
    assert (data_dir / "viva.sqlite3").exists()
    again = viva("--json", "init", "--demo")
    assert again.code == 0 and again.json()["loaded"] == {}
    assert len(viva("template", "list", "--json").json()) == 3


def test_crud_cycle_with_json(viva, tmp_path):
    r = viva("profile", "create", "--file", str(write(tmp_path / "p.yaml", PROFILE)), "--json")
    assert r.code == 0, r.err
    created = r.json()
    assert created["name"] == "Coach" and len(created["id"]) == 36
    plain = viva("template", "create", "--file", str(write(tmp_path / "t.json", {"name": "Grad"})))
    assert plain.code == 0 and len(plain.out.strip()) == 36  # without --json, just the new id
    assert viva("stage", "create", "--file", str(write(tmp_path / "s.yaml", {
        "template": "Grad", "name": "Round 1", "agent_profile": "Coach", "pass_threshold": 5}))).code == 0
    listed = viva("profile", "list", "--json").json()
    assert [p["name"] for p in listed] == ["Coach"]
    shown = viva("profile", "show", "Coach", "--json").json()
    assert shown["rubric"][0]["name"] == "Structure"
    updated = viva("profile", "update", created["id"], "--file",
                   str(write(tmp_path / "p2.yaml", {**PROFILE, "persona": "Riley"})), "--json")
    assert updated.code == 0 and updated.json()["persona"] == "Riley"
    assert "STRUCTURE" not in viva("profile", "list").out and "Coach" in viva("profile", "list").out
    refused = viva("profile", "delete", "Coach")
    assert refused.code == 2 and "used by stage 'Round 1'" in refused.err
    assert viva("stage", "delete", "Round 1").code == 0
    assert viva("profile", "delete", "Coach", "--json").json() == {"deleted": created["id"], "kind": "profile"}


def test_errors_are_one_line_exit_2_and_write_nothing(viva, tmp_path, data_dir):
    viva("init", "--demo")
    before = db_snapshot(data_dir / "viva.sqlite3")
    bad = write(tmp_path / "profile.yaml", {"name": "X", "rubric": [{"name": "A", "weight": 60}, {"name": "B", "weight": 35}]})
    cases = [
        (("profile", "create", "--file", str(bad)), f"{bad}: rubric: weights sum to 95, must be 100"),
        (("profile", "create", "--file", str(tmp_path / "missing.yaml")), "missing.yaml: file not found"),
        (("participant", "create", "--file", str(write(tmp_path / "pp.json", {
            "name": "Z", "email": "DANA.WHITFIELD@example.org", "template": "Senior Backend Engineer"}))),
         "email: DANA.WHITFIELD@example.org is already used"),
        (("session", "schedule", "--participant", "Dana Whitfield", "--stage", "Upset customer call"), "stage"),
        (("profile", "show", "Nobody"), "no profile with id or name 'Nobody'"),
    ]
    for args, expected in cases:
        r = viva(*args)
        assert r.code == 2, args
        assert expected in r.err and r.err.count("\n") == 1 and "Traceback" not in r.err
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    r = viva("profile", "create", "--file", str(broken))
    assert r.code == 2 and "broken.yaml: invalid YAML at line" in r.err
    assert db_snapshot(data_dir / "viva.sqlite3") == before


def test_camel_case_profile_file(viva, tmp_path):
    camel = {"name": "Imported", "useCase": "training", "rubric": [{"name": "Empathy", "weight": 100}],
             "behavior": {"probingDepth": "high"}, "scoring": {"scoringMethod": "rule_based", "scale": "0-5"},
             "context": {"organizationContext": "Acme", "scenarioContext": "Angry caller"},
             "scorecard": {"includeTranscript": False}}
    r = viva("profile", "create", "--file", str(write(tmp_path / "camel.json", camel)), "--json")
    assert r.code == 0, r.err
    p = r.json()
    assert p["behavior"]["probing_depth"] == "high" and p["scoring"]["method"] == "rule_based"
    assert p["context"]["scenario"] == "Angry caller" and p["scorecard"]["include_transcript"] is False


def test_sessions_from_cli(viva):
    viva("init", "--demo")
    s = viva("session", "schedule", "--participant", "Dana Whitfield", "--stage", "Screen", "--json").json()
    assert s["status"] == "scheduled" and s["mode"] == "live_ai_interview"
    listed = viva("session", "list", "--json").json()
    assert [x["id"] for x in listed] == [s["id"]] and listed[0]["participant"] == "Dana Whitfield"
    shown = viva("session", "show", s["id"], "--json").json()
    assert shown["turns"] == [] and shown["stage_id"] == s["stage_id"]
    assert "no turns yet" in viva("session", "show", s["id"]).out
    assert viva("participant", "list", "--tag", "senior", "--json").json()[0]["name"] == "Dana Whitfield"
    assert viva("participant", "list", "--tag", "nobody", "--json").json() == []
    person = viva("participant", "show", "Dana Whitfield", "--json").json()
    assert [x["id"] for x in person["sessions"]] == [s["id"]]


def test_export_import_into_empty_folder(viva, tmp_path, capsys):
    from desktop_app.cli import main

    viva("init", "--demo")
    out = tmp_path / "setup.yaml"
    assert viva("export", str(out)).code == 0
    other = tmp_path / "other"
    capsys.readouterr()
    assert main(["--data-dir", str(other), "import", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"profiles": 3, "templates": 3, "stages": 5, "participants": 3}
    again = tmp_path / "again.yaml"
    assert main(["--data-dir", str(other), "export", str(again)]) == 0
    assert yaml.safe_load(again.read_text()) == yaml.safe_load(out.read_text())


def test_data_dir_from_environment(tmp_path, monkeypatch, capsys):
    from desktop_app.cli import main

    monkeypatch.setenv("VIVA_DATA_DIR", str(tmp_path / "envdata"))
    assert main(["init", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["data_dir"] == str(tmp_path / "envdata")
    assert (tmp_path / "envdata" / "viva.sqlite3").exists()


def test_every_command_is_documented_in_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    from desktop_app.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    missing = [f"viva {name}" for name in sub.choices if f"viva {name}" not in readme]
    assert not missing, f"README.md does not mention: {missing}"


STRICT = {"name": "Strict", "rubric": [{"name": "Structure", "weight": 100}],
          "scoring": {"recommendation_logic": "overall >= 8 -> hire\nelse -> no_hire"}}


def test_a_pass_mark_that_disagrees_with_the_recommendation_is_a_warning_not_an_error(viva, tmp_path):
    assert viva("profile", "create", "--file", str(write(tmp_path / "p.yaml", STRICT))).code == 0
    assert viva("template", "create", "--file", str(write(tmp_path / "t.yaml", {"name": "Grad"}))).code == 0
    stage = write(tmp_path / "s.yaml", {"template": "Grad", "name": "Round 1", "agent_profile": "Strict",
                                        "pass_threshold": 6})
    r = viva("stage", "create", "--file", str(stage), "--json")
    assert r.code == 0 and r.json()["pass_threshold"] == 6, "the stage is saved"
    assert r.err.splitlines() == [
        f"warning: {stage}: Stage “Round 1”: Overall scores from 6 to just under 8 pass the stage (pass mark 6) "
        "but the profile recommends “No hire” for them."]
    # Fixing the logic in the profile clears it; breaking it again through an update warns again.
    agree = write(tmp_path / "p2.yaml", {**STRICT, "scoring": {"recommendation_logic": "overall >= 6 -> hire; else -> no_hire"}})
    fixed = viva("profile", "update", "Strict", "--file", str(agree))
    assert fixed.code == 0 and fixed.err == ""
    worse = write(tmp_path / "p3.yaml", {**STRICT, "scoring": {"recommendation_logic": "overall >= 5 -> hire; else -> no_hire"}})
    r = viva("profile", "update", "Strict", "--file", str(worse))
    assert r.code == 0
    assert r.err.strip() == (f"warning: {worse}: Stage “Round 1”: Overall scores from 5 to just under 6 fail the "
                             "stage (pass mark 6) but the profile recommends “Hire” for them.")


def test_importing_a_bundle_warns_about_each_disagreeing_stage(viva, tmp_path):
    bundle = write(tmp_path / "b.yaml", {
        "profiles": [STRICT], "templates": [{"name": "Grad"}],
        "stages": [{"template": "Grad", "name": "Easy", "agent_profile": "Strict", "order": 0, "pass_threshold": 0},
                   {"template": "Grad", "name": "Fair", "agent_profile": "Strict", "order": 1, "pass_threshold": 8}]})
    r = viva("import", str(bundle))
    assert r.code == 0 and r.out.startswith("imported 1 profiles, 1 templates, 2 stages")
    assert r.err.splitlines() == [
        f"warning: {bundle}: Stage “Easy”: A pass mark of 0 passes everyone, whatever they say: raise it (for example "
        "to 6 of 10). Overall scores from 0 to just under 8 pass the stage (pass mark 0) but the profile recommends "
        "“No hire” for them."]
    assert viva("init", "--demo").err == "", "the shipped presets agree with themselves"


def test_importing_a_preset_file_keeps_its_example_role(viva):
    from desktop_app.core.presets import preset_path

    r = viva("import", str(preset_path("hiring")))
    assert r.code == 0 and r.err == ""
    shown = viva("profile", "show", "Senior Engineering Interviewer", "--json").json()
    assert shown["persona"] == "Alex, a senior engineer at Northwind Systems."
    assert shown["context"]["domain"].startswith("Backend engineering")
    assert "role" not in shown
