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
    assert code == 0 and "Problem solving" in out and "decision pending" in out
    code, out, _ = _run(data_dir, "review", "override", sid, "--dimension", "Communication", "--score", "8",
                        "--reason", "Heard clearly in person", capsys=capsys)
    assert code == 0 and "override 8" in out
    code, out, _ = _run(data_dir, "review", "approve", sid, capsys=capsys)
    assert code == 0 and "decision approved by grace" in out
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
    code, _, err = main(["--data-dir", str(data_dir), "--operator", "operator", "review", "approve", sid]), None, capsys.readouterr().err
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
