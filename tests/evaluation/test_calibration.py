"""Calibration files: one-line validation errors (exit 2, nothing written) and real runs with the embedded model."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core.errors import UserError
from desktop_app.evaluation.calibration import load_calibration, run_calibration

STRONG = ("Our payment API double-charged customers when clients retried after a timeout. I designed idempotency "
          "keys stored in PostgreSQL with a unique constraint, so a retried request returns the first result. "
          "I load-tested it at 3,000 requests a second and duplicates dropped to zero.")
WEAK = "I am not sure. I would probably ask the team and see what they think."
MIDDLE = ("I would put a queue in front of the service so spikes are smoothed out, and add a cache for reads. "
          "I used Redis for that in my last job and it helped.")
OFF_TOPIC = "My favourite holiday was in Portugal, the food was lovely and the beaches were quiet."
QUESTION = "Tell me about a system you designed to stay correct under retries or failures."


def _items() -> list[dict]:
    return [
        {"id": "a1", "preset": "hiring", "question": QUESTION, "answer": STRONG,
         "ratings": {"System design": 5, "Technical depth": 4}},
        {"id": "a2", "preset": "hiring", "question": QUESTION, "answer": WEAK,
         "ratings": {"System design": 1, "Technical depth": 1}},
        {"id": "a3", "preset": "hiring", "question": QUESTION, "answer": MIDDLE,
         "ratings": {"System design": 3, "Technical depth": 2}},
        {"id": "a4", "preset": "hiring", "question": QUESTION, "answer": OFF_TOPIC,
         "ratings": {"system design": 1, "Technical depth": 1}},
    ]


def _write_json(path: Path, items: list[dict] | None = None, **top) -> Path:
    path.write_text(json.dumps({"version": 1, "scale": "1-5", "items": _items() if items is None else items, **top}),
                    encoding="utf-8")
    return path


def _write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(["id,preset,question,answer,dimension,rating", *lines]) + "\n", encoding="utf-8")
    return path


def _error(path: Path, **kw) -> str:
    with pytest.raises(UserError) as info:
        load_calibration(path, **kw)
    text = str(info.value)
    assert "\n" not in text
    return text


# ------------------------------------------------------------------ loading


def test_a_valid_json_file_loads_with_rubric_spellings(tmp_path):
    calibration = load_calibration(_write_json(tmp_path / "c.json"))
    assert [i.id for i in calibration.items] == ["a1", "a2", "a3", "a4"]
    assert calibration.items[3].dimensions == ["System design", "Technical depth"]  # spelled as in the rubric
    assert calibration.rating_count == 8
    assert list(calibration.profiles) == ["preset hiring"]


def test_the_shipped_calibration_set_is_valid():
    from desktop_app.paths import RESOURCES_DIR

    calibration = load_calibration(RESOURCES_DIR / "calibration" / "presets.json")
    assert set(calibration.profiles) == {"preset hiring", "preset training", "preset mock_interview"}
    assert calibration.rating_count >= len(calibration.items) > 0


def test_a_valid_csv_file_groups_rows_by_id(tmp_path):
    path = _write_csv(tmp_path / "c.csv", [
        'b1,training,How would you calm an upset customer?,"I listen first, then say sorry and fix it.",Empathy,4',
        'b1,training,How would you calm an upset customer?,"I listen first, then say sorry and fix it.",De-escalation,3',
        "b2,mock_interview,Why this role?,Because I like it.,Structure,2",
    ])
    calibration = load_calibration(path)
    assert [(i.id, i.ratings) for i in calibration.items] == [
        ("b1", (("Empathy", 4), ("De-escalation", 3))), ("b2", (("Structure", 2),))]
    assert set(calibration.profiles) == {"preset training", "preset mock_interview"}


@pytest.mark.parametrize("change, expected", [
    (lambda items: items[1]["ratings"].update({"Charm": 3}),
     "c.json: items[1] (id 'a2').ratings.Charm: 'Charm' is not a dimension of preset hiring (System design, "),
    (lambda items: items[0]["ratings"].update({"System design": 6}),
     "c.json: items[0] (id 'a1').ratings.System design: 6 must be a whole number from 1 to 5"),
    (lambda items: items[0]["ratings"].update({"System design": 2.5}),
     "items[0] (id 'a1').ratings.System design: 2.5 must be a whole number from 1 to 5"),
    (lambda items: items[0]["ratings"].update({"System design": True}), "must be a whole number from 1 to 5"),
    (lambda items: items[2].pop("answer"), "c.json: items[2] (id 'a3').answer: is required and must be non-empty text"),
    (lambda items: items[2].update(answer="   "), "items[2] (id 'a3').answer: is required"),
    (lambda items: items[3].update(preset="sales"), "items[3] (id 'a4').preset: 'sales' is not a preset (hiring, "),
    (lambda items: items[3].update(profile="X"), "items[3] (id 'a4').preset: give either a preset or a profile"),
    (lambda items: items[1].update(id="a1"), "items[1] (id 'a1').id: is used twice, ids must be unique"),
    (lambda items: items[1].pop("id"), "items[1].id: is required"),
    (lambda items: items[0].update(rating={"System design": 3}), "items[0] (id 'a1').rating: unknown field"),
    (lambda items: items[0].update(ratings={}), "items[0] (id 'a1').ratings: must be an object"),
])
def test_json_errors_name_the_file_item_field_and_rule(tmp_path, change, expected):
    items = _items()
    change(items)
    assert expected in _error(_write_json(tmp_path / "c.json", items))


def test_bad_json_and_bad_top_level_fields(tmp_path):
    bad = tmp_path / "c.json"
    bad.write_text('{"version": 1, "items": [', encoding="utf-8")
    assert _error(bad).startswith("c.json: invalid JSON at line 1 column")
    assert _error(_write_json(tmp_path / "c.json", version=2)) == "c.json: version: must be 1"
    assert "c.json: scale: must be '1-5'" in _error(_write_json(tmp_path / "c.json", scale="0-10"))
    assert _error(_write_json(tmp_path / "c.json", [])) == "c.json: items: must be a non-empty list"
    assert "must be a .json or .csv file" in _error(tmp_path / "c.yaml")
    assert _error(tmp_path / "missing.json").endswith("missing.json: file not found")


@pytest.mark.parametrize("lines, expected", [
    (["c1,hiring,Q?,An answer.,Charm,3"], "c.csv: row 2 (id 'c1').dimension: 'Charm' is not a dimension of preset hiring"),
    (["c1,hiring,Q?,An answer.,Ownership,7"], "c.csv: row 2 (id 'c1').rating: 7 must be a whole number from 1 to 5"),
    (["c1,hiring,Q?,An answer.,Ownership,"], "c.csv: row 2 (id 'c1').rating: empty must be a whole number from 1 to 5"),
    (["c1,hiring,Q?,,Ownership,3"], "c.csv: row 2 (id 'c1').answer: is required"),
    (["c1,hiring,Q?,An answer.,Ownership,3", "c1,hiring,Q?,Another answer.,Communication,3"],
     "c.csv: row 3 (id 'c1').answer: differs from row 2 of the same id"),
    (["c1,hiring,Q?,An answer.,Ownership,3", "c1,hiring,Q?,An answer.,ownership,4"],
     "c.csv: row 3 (id 'c1').dimension: 'Ownership' is rated twice for this id"),
    (["c1,,Q?,An answer.,Ownership,3"], "c.csv: row 2 (id 'c1').preset: give either a preset or a profile"),
    ([], "c.csv: has no rows after the header"),
])
def test_csv_errors_name_the_row_id_field_and_rule(tmp_path, lines, expected):
    assert expected in _error(_write_csv(tmp_path / "c.csv", lines))


def test_csv_rows_are_counted_as_a_spreadsheet_shows_them(tmp_path):
    path = _write_csv(tmp_path / "c.csv", ['c1,hiring,Q?,"A first line.\nA second line.",Ownership,3',
                                           "c2,hiring,Q?,Another answer.,Ownership,0"])
    assert "c.csv: row 3 (id 'c2').rating: 0 must be a whole number" in _error(path)


def test_csv_missing_column_is_named(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,preset,question,answer,rating\nc1,hiring,Q?,A.,3\n", encoding="utf-8")
    assert _error(path) == "c.csv: dimension: column is missing (need id, preset or profile, question, answer, " \
                           "dimension, rating)"


def test_a_profile_is_found_in_the_data_folder_database(demo_store, tmp_path):
    from desktop_app.store import setup

    items = [{"id": "p1", "profile": "Senior Engineering Interviewer", "question": QUESTION, "answer": STRONG,
              "ratings": {"Ownership": 4}}]
    path = _write_json(tmp_path / "c.json", items)
    lookup = lambda name: setup.get(demo_store, "profile", name).obj  # noqa: E731
    assert load_calibration(path, profile_lookup=lookup).items[0].profile_key == "profile Senior Engineering Interviewer"
    items[0]["profile"] = "Nobody"
    text = _error(_write_json(tmp_path / "c.json", items), profile_lookup=lookup)
    assert text == "c.json: items[0] (id 'p1').profile: no profile with id or name 'Nobody'"


def test_cli_errors_are_one_line_exit_2_and_write_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    items = _items()
    items[0]["ratings"]["System design"] = 9
    cases = [
        [str(_write_json(tmp_path / "c.json", items))],
        [str(_write_csv(tmp_path / "c.csv", ["c1,hiring,Q?,An answer.,Charm,3"]))],
        [str(_write_json(tmp_path / "ok.json")), "--limit", "0"],
        [str(tmp_path / "nothing.json")],
    ]
    for argv in cases:
        code = main(["--data-dir", str(data), "calibrate", *argv])
        err = capsys.readouterr().err
        assert code == 2 and err.startswith("viva: ") and err.count("\n") == 1, (argv, err)
    assert not data.exists()


# ------------------------------------------------------------------ with the embedded model


@pytest.fixture
def shared_model(monkeypatch, scoring_llm):
    """`viva calibrate` loads the model through commands.scoring.load_llm; here it gets the session's loaded one."""
    monkeypatch.setattr("desktop_app.commands.scoring.load_llm", lambda ctx: scoring_llm)
    return scoring_llm


@pytest.mark.models
def test_viva_calibrate_rates_a_four_item_file_with_the_embedded_model(shared_model, tmp_path, capsys):
    path = _write_json(tmp_path / "c.json")
    data_dir = tmp_path / "data"
    code = main(["--data-dir", str(data_dir), "calibrate", str(path), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    report = json.loads(out)
    assert report["items_in_file"] == 4 and report["items_rated"] == 4 and not report["cancelled"]
    assert [d["dimension"] for d in report["dimensions"]] == ["System design", "Technical depth"]
    assert report["pooled"]["n"] == 8 and report["missing"] == []
    for d in report["dimensions"] + [report["pooled"]]:
        assert sum(map(sum, d["confusion"])) == d["n"]
        assert d["qwk"] is None or -1 <= d["qwk"] <= 1
        assert d["spearman"] is None or -1 <= d["spearman"] <= 1
        assert 0 <= d["mad"] <= 4 and d["mad_0_10"] == pytest.approx(d["mad"] * 2.5)
    assert {p["item_id"] for p in report["pairs"]} == {"a1", "a2", "a3", "a4"}
    assert all(1 <= p["model"] <= 5 for p in report["pairs"])

    code = main(["--data-dir", str(data_dir), "calibrate", str(path), "--limit", "1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "on c.json: 1 of 4 item(s), 2 rating(s)" in out
    assert "dimension" in out and "QWK" in out and "Spearman" in out and "MAD 0-10" in out
    assert "System design: rows human 1-5, columns model 1-5" in out and "  h5 " in out


@pytest.mark.models
def test_cancelling_reports_the_items_rated_so_far(scoring_llm, tmp_path):
    calibration = load_calibration(_write_json(tmp_path / "c.json"))
    cancel = threading.Event()
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, text: str) -> None:
        seen.append((done, total, text))
        if done == 1:
            cancel.set()  # after the first item: the judge stops at its next model call

    report = run_calibration(scoring_llm, calibration, progress=progress, cancel=cancel)
    assert report.cancelled and report.items_rated == 1
    assert {p.item_id for p in report.pairs} == {"a1"} and report.pooled.n == 2
    assert seen[0][:2] == (0, 4)

    cancel.set()
    nothing = run_calibration(scoring_llm, calibration, cancel=cancel)
    assert nothing.cancelled and nothing.items_rated == 0 and nothing.pooled.n == 0 and nothing.pooled.qwk is None
