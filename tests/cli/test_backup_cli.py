"""`viva backup`, `viva backup list`, `viva restore` and the start-up check, run in-process."""

from __future__ import annotations

from pathlib import Path

from desktop_app.store import backups
from tests.conftest import db_snapshot


def _init(viva, data_dir: Path) -> None:
    assert viva("init").code == 0
    assert viva("participant", "list").code == 0  # opens the store: the database exists


def _corrupt(database: Path) -> None:
    data = bytearray(database.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    data[middle:middle + 4096] = b"\x5a" * 4096
    database.write_bytes(bytes(data))


def test_backup_prints_the_path_and_list_shows_it(viva, data_dir, tmp_path):
    _init(viva, data_dir)
    made = viva("backup")
    assert made.code == 0, made.err
    path = Path(made.out.strip())
    assert path.parent == data_dir / "backups" and path.name.startswith("viva-manual-") and path.exists()
    out = viva("backup", "--out", str(tmp_path / "copy.zip"), "--json")
    assert out.code == 0 and out.json()["path"] == str(tmp_path / "copy.zip")
    listed = viva("backup", "list", "--json")
    assert [row["path"] for row in listed.json()] == [str(path)]


def test_restore_without_yes_exits_2_and_writes_nothing(viva, data_dir):
    _init(viva, data_dir)
    backup = Path(viva("backup").out.strip())
    before = db_snapshot(data_dir / "viva.sqlite3")
    result = viva("restore", str(backup))
    assert result.code == 2
    assert result.err.count("\n") == 1 and str(backup) in result.err and "--yes" in result.err
    assert db_snapshot(data_dir / "viva.sqlite3") == before
    assert [b.path for b in backups.list_backups(backups.DataPaths(data_dir))] == [backup]  # no safety copy


def test_restore_of_a_non_backup_exits_2(viva, data_dir, tmp_path):
    _init(viva, data_dir)
    bogus = tmp_path / "notes.zip"
    bogus.write_text("not a zip", encoding="utf-8")
    result = viva("restore", str(bogus), "--yes")
    assert result.code == 2 and result.err == f"viva: {bogus}: not a Viva backup (not a zip file)\n"


def test_restore_round_trip_through_the_cli(viva, data_dir):
    _init(viva, data_dir)
    backup = Path(viva("backup").out.strip())
    before = db_snapshot(data_dir / "viva.sqlite3")
    assert viva("init", "--demo").code == 0  # changes the setup
    assert db_snapshot(data_dir / "viva.sqlite3") != before
    result = viva("restore", str(backup), "--yes", "--json")
    assert result.code == 0, result.err
    assert Path(result.json()["safety_backup"]).name.startswith("viva-before-restore-")
    assert db_snapshot(data_dir / "viva.sqlite3") == before


def test_a_damaged_database_gives_one_line_naming_the_backup_to_restore(viva, data_dir):
    _init(viva, data_dir)
    assert viva("init", "--demo").code == 0  # a few pages, so the damage lands in a table
    backup = Path(viva("backup").out.strip())
    _corrupt(data_dir / "viva.sqlite3")
    result = viva("participant", "list")
    assert result.code == 2
    assert result.err.startswith(f"viva: {data_dir / 'viva.sqlite3'}: the database is damaged")
    assert result.err.endswith(f"viva restore {backup} --yes\n") and result.err.count("\n") == 1
    # ...and the command it names works.
    assert viva("restore", str(backup), "--yes").code == 0
    assert viva("participant", "list").code == 0


def test_commands_take_the_daily_automatic_backup(viva, data_dir, monkeypatch):
    monkeypatch.setenv(backups.ENV_SWITCH, "1")
    assert viva("init").code == 0
    assert viva("participant", "list").code == 0
    kinds = [b.kind for b in backups.list_backups(backups.DataPaths(data_dir))]
    assert kinds == ["auto"]
    assert viva("participant", "list").code == 0  # not due again the same day
    assert len(backups.list_backups(backups.DataPaths(data_dir))) == 1
