"""The scoring CLI end to end on a real data folder: one-line errors, exit 2, nothing written."""

from __future__ import annotations

import csv
import json

from desktop_app.cli import main
from desktop_app.store import results as rs
from desktop_app.store.db import Store
from tests.evaluation.helpers import STRONG, WEAK, add_session, make_world


def _run(data_dir, *argv, capsys):
    code = main(["--data-dir", str(data_dir), "--operator", "grace", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def store_result(data_dir, sid):
    store = Store.open(data_dir)
    try:
        return rs.get_result(store, sid)
    finally:
        store.close()


def _world(data_dir, **kw):
    store = Store.open(data_dir)
    world = make_world(store, **kw)
    sid = add_session(store, world, [STRONG, WEAK])
    store.close()
    return world, sid


def test_score_show_override_approve_export(data_dir, tmp_path, capsys):
    world, sid = _world(data_dir)
    code, out, _ = _run(data_dir, "score", sid, "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["result"]["decision"] == "pending"
    code, out, _ = _run(data_dir, "review", "show", sid, capsys=capsys)
    assert code == 0 and "Problem solving" in out and "not yet signed off" in out
    code, out, _ = _run(data_dir, "review", "override", sid, "--dimension", "Communication", "--score", "8",
                        "--reason", "Heard clearly in person", capsys=capsys)
    assert code == 0 and "override 8" in out
    code, out, _ = _run(data_dir, "review", "approve", sid, "--by", "Grace Hopper", capsys=capsys)
    assert code == 0 and "signed off by Grace Hopper" in out
    csv_path, json_path = tmp_path / "r.csv", tmp_path / "r.json"
    assert _run(data_dir, "results", "export", "--csv", str(csv_path), capsys=capsys)[0] == 0
    assert _run(data_dir, "results", "export", "--json", str(json_path), "--template", world["template"], capsys=capsys)[0] == 0
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert rows[0]["external_id"] == "ATS-1" and rows[0]["decision"] == "approved"
    assert rows[0]["score: Communication"] == "8.0"
    assert json.loads(json_path.read_text())[0]["external_id"] == "ATS-1"
    pdf = tmp_path / "card.pdf"
    assert _run(data_dir, "scorecard", sid, "--pdf", str(pdf), "--paper", "letter", capsys=capsys)[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    store = Store.open(data_dir)
    actions = [a["action"] for a in rs.audit_entries(store, sid)]
    store.close()
    assert {"score", "override", "approve", "export_scorecard"} <= set(actions)
    assert store_result(data_dir, sid)["approved_by"] == "Grace Hopper"


def test_errors_are_one_line_exit_2_and_write_nothing(data_dir, tmp_path, capsys):
    _, sid = _world(data_dir)
    code, _, err = _run(data_dir, "scorecard", sid, "--pdf", str(tmp_path / "x.pdf"), capsys=capsys)
    assert code == 2 and err.count("\n") == 1 and "not been scored" in err and not (tmp_path / "x.pdf").exists()
    _run(data_dir, "score", sid, capsys=capsys)
    cases = [
        ("review", "override", sid, "--dimension", "Charm", "--score", "3", "--reason", "x"),
        ("review", "override", sid, "--dimension", "Communication", "--score", "30", "--reason", "x"),
        ("review", "show", "no-such-session"),
        ("scorecard", sid, "--pdf", str(tmp_path / "missing" / "x.pdf")),
        ("results", "export", "--csv", str(tmp_path / "missing" / "x.csv")),
    ]
    for argv in cases:
        code, _, err = _run(data_dir, *argv, capsys=capsys)
        assert code == 2 and err.count("\n") == 1, (argv, err)
    assert not (tmp_path / "missing").exists()
    code, _, err = _run(data_dir, "review", "approve", sid, "--by", "operator", capsys=capsys)
    assert code == 2 and "assessor's name" in err


def test_writing_onto_a_folder_is_a_one_line_error(data_dir, tmp_path, capsys):
    _, sid = _world(data_dir)
    _run(data_dir, "score", sid, capsys=capsys)
    (tmp_path / "folder.pdf").mkdir()
    (tmp_path / "folder.csv").mkdir()
    for argv in (("scorecard", sid, "--pdf", str(tmp_path / "folder.pdf")),
                 ("results", "export", "--csv", str(tmp_path / "folder.csv"))):
        code, _, err = _run(data_dir, *argv, capsys=capsys)
        assert code == 2 and err.count("\n") == 1 and "cannot write" in err, err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_approve_needs_by_and_a_missing_or_blank_name_writes_nothing(data_dir, capsys):
    _, sid = _world(data_dir)
    assert _run(data_dir, "score", sid, capsys=capsys)[0] == 0
    store = Store.open(data_dir)
    audit_before = len(rs.audit_entries(store, sid))
    store.close()
    for argv in (("review", "approve", sid), ("review", "approve", sid, "--by", "   ")):
        code, out, err = _run(data_dir, *argv, capsys=capsys)
        assert code == 2 and out == "" and err.count("\n") == 1, (argv, err)
        assert err.startswith("viva: by:") and "--by NAME" in err, err
    result = store_result(data_dir, sid)
    assert result["decision"] == "pending" and result["approved_by"] is None
    store = Store.open(data_dir)
    assert len(rs.audit_entries(store, sid)) == audit_before
    store.close()


def test_approved_scores_are_locked_until_reopened_with_a_reason(data_dir, capsys):
    _, sid = _world(data_dir)
    _run(data_dir, "score", sid, capsys=capsys)
    assert _run(data_dir, "review", "approve", sid, "--by", "Grace Hopper", capsys=capsys)[0] == 0
    override = ("review", "override", sid, "--dimension", "Communication", "--score", "8", "--reason", "Heard it")
    code, _, err = _run(data_dir, *override, capsys=capsys)
    assert code == 2 and err.count("\n") == 1 and "locked" in err and "Grace Hopper" in err
    code, _, err = _run(data_dir, "review", "reopen", sid, "--by", "Alan Turing", capsys=capsys)
    assert code == 2 and "reason" in err and store_result(data_dir, sid)["decision"] == "approved"
    code, out, _ = _run(data_dir, "review", "reopen", sid, "--by", "Alan Turing", "--reason",
                        "The second answer was misheard", capsys=capsys)
    assert code == 0 and "not yet signed off" in out
    assert _run(data_dir, *override, capsys=capsys)[0] == 0
    store = Store.open(data_dir)
    reopened = [a for a in rs.audit_entries(store, sid) if a["action"] == "reopen"]
    store.close()
    assert len(reopened) == 1 and reopened[0]["operator"] == "Alan Turing"
    assert reopened[0]["details"]["reason"] == "The second answer was misheard"
    assert reopened[0]["details"]["approved_by"] == "Grace Hopper"


def test_scorecard_default_name_carries_participant_and_stage(data_dir, tmp_path, capsys, monkeypatch):
    _, sid = _world(data_dir)
    _run(data_dir, "score", sid, capsys=capsys)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(data_dir, "scorecard", sid, capsys=capsys)
    # The participant is "Ada <b>Lovelace</b> & Co": '<' and '>' are illegal in Windows file names.
    expected = tmp_path / "Ada b Lovelace b & Co - Round 1 - scorecard.pdf"
    assert code == 0 and expected.read_bytes().startswith(b"%PDF"), (out, list(tmp_path.iterdir()))
