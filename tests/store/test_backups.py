"""Backups (store/backups.py): real SQLite files, real zips, an injected clock."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.core.errors import UserError
from desktop_app.paths import DataPaths
from desktop_app.store import backups
from desktop_app.store.backups import DatabaseDamaged
from desktop_app.store.db import Store
from tests.conftest import db_snapshot

T0 = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)  # a Wednesday


def _fill(data_dir: Path, n: int, tag: str = "first") -> None:
    """n committed audit rows, one transaction."""
    store = Store.open(data_dir)
    try:
        with store.transaction():
            for i in range(n):
                store.audit("test", tag, "row", str(i), pad="x" * 100)
    finally:
        store.close()


def _rows(data_dir: Path, action: str | None = None) -> int:
    conn = sqlite3.connect(data_dir / "viva.sqlite3")
    try:
        sql, params = ("SELECT count(*) FROM audit_log", ()) if action is None else (
            "SELECT count(*) FROM audit_log WHERE action = ?", (action,))
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def _audio(data_dir: Path, name: str, payload: bytes) -> Path:
    p = data_dir / "audio" / "session-1" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(payload)
    return p


def _db_in_zip(zip_path: Path, tmp_path: Path) -> sqlite3.Connection:
    out = tmp_path / f"check-{zip_path.stem}.sqlite3"
    with zipfile.ZipFile(zip_path) as z:
        out.write_bytes(z.read(backups.DB_MEMBER))
    return sqlite3.connect(out)


def _corrupt(database: Path) -> None:
    """Overwrites a page in the middle of the file, as a failing disk would."""
    data = bytearray(database.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    data[middle:middle + 4096] = b"\x5a" * 4096
    database.write_bytes(bytes(data))


# ------------------------------------------------------------------ taking backups


def test_backup_while_another_connection_writes_holds_only_committed_rows(data_dir, tmp_path):
    _fill(data_dir, 200)
    writer = sqlite3.connect(data_dir / "viva.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.executemany("INSERT INTO audit_log (at, operator, action, object_kind, object_id, details)"
                       " VALUES ('t', 'w', 'uncommitted', 'row', ?, '{}')", [(str(i),) for i in range(500)])
    try:
        path = backups.take_backup(DataPaths(data_dir), kind="manual", now=T0)
    finally:
        writer.execute("COMMIT")
        writer.close()
    conn = _db_in_zip(path, tmp_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'first'").fetchone()[0] == 200
        assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'uncommitted'").fetchone()[0] == 0
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # self-contained, no -wal needed
    finally:
        conn.close()
    assert _rows(data_dir, "uncommitted") == 500  # the writer was not disturbed
    assert path.parent == data_dir / "backups" and path.name == "viva-manual-20260520-120000.zip"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_backup_holds_audio_and_a_manifest(data_dir):
    _fill(data_dir, 3)
    _audio(data_dir, "0001-candidate.wav", b"RIFF-one")
    path = backups.take_backup(DataPaths(data_dir), now=T0)
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert z.read("audio/session-1/0001-candidate.wav") == b"RIFF-one"
    assert manifest["format"] == "viva-backup" and manifest["files"] == 1 and manifest["migrations"]


def test_a_damaged_database_is_never_kept_as_a_backup(data_dir):
    _fill(data_dir, 500)
    paths = DataPaths(data_dir)
    good = backups.take_backup(paths, kind="auto", now=T0 - timedelta(days=3))
    _corrupt(paths.database)
    with pytest.raises(DatabaseDamaged, match="viva restore"):
        backups.take_backup(paths, kind="auto", now=T0)
    assert [b.path for b in backups.list_backups(paths)] == [good]


# ------------------------------------------------------------------ rotation


def test_rotation_keeps_the_newest_then_one_a_day_week_and_month():
    # Every 6 hours from 1 January to now (Wednesday 20 May 2026, 12:00).
    times = []
    t = datetime(2026, 1, 1, tzinfo=UTC)
    while t <= T0:
        times.append(t)
        t += timedelta(hours=6)
    kept = sorted(backups.to_keep(times, T0))

    def at(month, day, hour=18):
        return datetime(2026, month, day, hour, tzinfo=UTC)

    latest = {at(5, 20, 12), at(5, 20, 6), at(5, 20, 0)}
    daily = {at(5, 20, 12)} | {at(5, d) for d in range(14, 20)}  # today and the 6 days before
    weekly = {at(5, 20, 12), at(5, 17), at(5, 10), at(5, 3)}  # this week, then the Sundays before
    monthly = {at(5, 20, 12), at(4, 30), at(3, 31), at(2, 28), at(1, 31)}  # January is within 6 months
    assert kept == sorted(latest | daily | weekly | monthly)
    assert len(kept) == 3 + 6 + 2 + 4  # Sunday 17 May is also a daily one


def test_backup_if_due_takes_one_a_day_and_rotates_only_automatic_backups(data_dir, monkeypatch):
    monkeypatch.setenv(backups.ENV_SWITCH, "1")
    _fill(data_dir, 3)
    paths = DataPaths(data_dir)
    manual = backups.take_backup(paths, kind="manual", now=T0 - timedelta(days=400))
    taken = []
    for hours in range(0, 24 * 40, 12):  # 40 simulated days, asked twice a day
        now = T0 + timedelta(hours=hours)
        path = backups.backup_if_due(paths, now=now)
        if path is not None:
            taken.append(now)
    assert len(taken) == 40  # once a day, not twice
    end = T0 + timedelta(hours=24 * 40 - 12)
    auto = {b.taken_at for b in backups.list_backups(paths) if b.kind == "auto"}
    assert auto == backups.to_keep(taken, taken[-1])  # as rotated after the last backup taken
    assert manual.exists()  # never rotated
    # Not due an hour after the newest; due after a session once an hour has passed.
    assert backups.backup_if_due(paths, now=end + timedelta(minutes=30)) is None
    assert backups.backup_if_due(paths, due_after=backups.DUE_AFTER_SESSION, now=end + timedelta(hours=2))


def test_backup_if_due_is_off_with_the_switch_and_without_a_database(data_dir, monkeypatch):
    paths = DataPaths(data_dir)
    monkeypatch.setenv(backups.ENV_SWITCH, "1")
    assert backups.backup_if_due(paths, now=T0) is None  # no database yet
    _fill(data_dir, 1)
    monkeypatch.setenv(backups.ENV_SWITCH, "0")
    assert backups.backup_if_due(paths, now=T0) is None
    assert not paths.backups.exists() or not any(paths.backups.iterdir())


@pytest.mark.logs_errors
def test_a_failing_automatic_backup_is_logged_not_raised(data_dir, monkeypatch, no_logged_errors):
    monkeypatch.setenv(backups.ENV_SWITCH, "1")
    _fill(data_dir, 500)
    _corrupt(data_dir / "viva.sqlite3")
    assert backups.backup_if_due(DataPaths(data_dir), now=T0) is None
    assert any("automatic backup" in r.getMessage() for r in no_logged_errors)


# ------------------------------------------------------------------ restore


def test_restore_round_trip_brings_back_rows_and_audio_and_keeps_a_safety_copy(data_dir, tmp_path):
    paths = DataPaths(data_dir)
    _fill(data_dir, 50)
    kept = _audio(data_dir, "0001-candidate.wav", b"RIFF-original")
    before = db_snapshot(paths.database)
    backup = backups.take_backup(paths, out=tmp_path / "mine.zip", now=T0)
    # Later changes: more rows, a recording deleted, another added.
    _fill(data_dir, 7, tag="later")
    kept.unlink()
    later = _audio(data_dir, "0002-candidate.wav", b"RIFF-later")

    result = backups.restore(paths, backup, now=T0 + timedelta(hours=1))

    assert db_snapshot(paths.database) == before
    assert kept.read_bytes() == b"RIFF-original" and not later.exists()
    assert Store.open(data_dir).integrity_check() == "ok"
    assert result.safety_backup is not None and result.safety_backup.name.startswith("viva-before-restore-")
    with zipfile.ZipFile(result.safety_backup) as z:  # the state restore replaced
        assert z.read("audio/session-1/0002-candidate.wav") == b"RIFF-later"
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".viva-restore-")]


def test_restore_replaces_a_damaged_database(data_dir):
    paths = DataPaths(data_dir)
    _fill(data_dir, 500)
    good = backups.take_backup(paths, kind="auto", now=T0)
    before = db_snapshot(paths.database)
    _corrupt(paths.database)
    with pytest.raises(DatabaseDamaged) as err:
        Store.open(data_dir)
    assert f"viva restore {good} --yes" in str(err.value)
    result = backups.restore(paths, good, now=T0 + timedelta(hours=1))
    assert db_snapshot(paths.database) == before
    assert result.safety_backup is not None
    with zipfile.ZipFile(result.safety_backup) as z:  # the damaged bytes are kept, not lost
        assert "damaged/viva.sqlite3" in z.namelist()
    with pytest.raises(UserError, match="damaged database"):  # and such a copy is never restored
        backups.restore(paths, result.safety_backup)


def _not_a_backup(tmp_path: Path, kind: str) -> Path:
    p = tmp_path / f"{kind}.zip"
    if kind == "text":
        p.write_text("hello", encoding="utf-8")
    elif kind == "no-manifest":
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("viva.sqlite3", b"")
    elif kind == "escape":
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("manifest.json", json.dumps({"format": "viva-backup", "version": 1}))
            z.writestr("viva.sqlite3", b"")
            z.writestr("audio/../../evil.txt", b"x")
    return p


@pytest.mark.parametrize("kind", ["text", "no-manifest", "escape", "corrupt-db", "foreign-db"])
def test_restore_refuses_what_is_not_a_good_backup_and_writes_nothing(data_dir, tmp_path, kind):
    paths = DataPaths(data_dir)
    _fill(data_dir, 500)
    audio = _audio(data_dir, "0001-candidate.wav", b"RIFF-now")
    if kind == "corrupt-db":
        source = DataPaths(tmp_path / "other")
        _fill(source.root, 500)
        bad = backups.take_backup(source, out=tmp_path / "bad.zip", now=T0)
        with zipfile.ZipFile(bad) as z:
            members = {n: z.read(n) for n in z.namelist()}
        db = bytearray(members["viva.sqlite3"])
        middle = (len(db) // 4096 // 2) * 4096
        db[middle:middle + 4096] = b"\x5a" * 4096
        members["viva.sqlite3"] = bytes(db)
        with zipfile.ZipFile(bad, "w") as z:
            for n, data in members.items():
                z.writestr(n, data)
    elif kind == "foreign-db":
        other = tmp_path / "other.sqlite3"
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        bad = tmp_path / "foreign.zip"
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("manifest.json", json.dumps({"format": "viva-backup", "version": 1}))
            z.write(other, "viva.sqlite3")
    else:
        bad = _not_a_backup(tmp_path, kind)
    before = db_snapshot(paths.database)
    with pytest.raises(UserError) as err:
        backups.restore(paths, bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
    assert db_snapshot(paths.database) == before
    assert audio.read_bytes() == b"RIFF-now"
    assert not paths.backups.exists() or not any(paths.backups.iterdir())  # not even a safety backup
    assert not (tmp_path / "evil.txt").exists() and not (data_dir / "evil.txt").exists()


# ------------------------------------------------------------------ start-up check


def test_a_damaged_database_at_start_up_names_the_file_and_the_newest_good_backup(data_dir):
    paths = DataPaths(data_dir)
    _fill(data_dir, 500)
    older = backups.take_backup(paths, kind="auto", now=T0 - timedelta(days=2))
    newest = backups.take_backup(paths, kind="auto", now=T0)
    assert older != newest
    _corrupt(paths.database)
    with pytest.raises(DatabaseDamaged) as err:
        Store.open(data_dir)
    message = str(err.value)
    assert message.startswith(f"{paths.database}: the database is damaged")
    assert message.endswith(f"restore the newest backup with: viva restore {newest} --yes")
    assert "\n" not in message


def test_a_file_that_is_not_a_database_at_start_up_says_so(data_dir):
    (data_dir / "viva.sqlite3").write_bytes(b"this is not SQLite" * 300)
    with pytest.raises(DatabaseDamaged, match="no backup found"):
        Store.open(data_dir)


def test_quick_check_false_positive_of_sqlite_3_40_is_not_called_damage():
    # participant_tags' shape: a WITHOUT ROWID table whose PRIMARY KEY lists its columns in another order.
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a TEXT NOT NULL, b TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY (b, a)) WITHOUT ROWID")
    conn.execute("INSERT INTO t VALUES ('x', 'y')")
    assert backups.check_database(conn, "quick_check") == []
    assert backups.check_database(conn, "integrity_check") == []


def test_false_alarms_filling_quick_checks_limit_do_not_hide_real_damage(data_dir):
    # More false "NULL value" lines (one per tag) than quick_check's limit, then a real NULL in a NOT NULL
    # column of a later table (made by editing the schema, as damage would leave it).
    store = Store.open(data_dir)
    store.execute("PRAGMA foreign_keys=OFF")  # tags without participants: only the table's shape matters here
    with store.transaction():
        store.conn.executemany("INSERT INTO participant_tags (participant_id, tag) VALUES (?, ?)",
                               [(f"p{i:05d}", "cohort") for i in range(50)])
        store.execute("CREATE TABLE zz_damaged (c TEXT)")
        store.execute("INSERT INTO zz_damaged VALUES (NULL)")
    store.close()
    conn = sqlite3.connect(data_dir / "viva.sqlite3")
    try:
        assert backups.check_database(conn) == []
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE zz_damaged (c TEXT NOT NULL)'"
                     " WHERE name = 'zz_damaged'")
        conn.commit()
    finally:
        conn.close()
    conn = sqlite3.connect(data_dir / "viva.sqlite3")
    try:
        assert backups.check_database(conn) == ["NULL value in zz_damaged.c"]

        class FalseAlarmsFirst:
            """The same file, with quick_check's limit filled by false alarms (SQLite's order of tables is its
            hash table's, so which comes first cannot be arranged through the schema)."""

            def execute(self, sql: str):
                if sql == f"PRAGMA quick_check({backups._FIRST_ASK})":
                    return [("NULL value in participant_tags.participant_id",)] * backups._FIRST_ASK
                return conn.execute(sql)

        assert backups.check_database(FalseAlarmsFirst()) == ["NULL value in zz_damaged.c"]  # type: ignore[arg-type]
    finally:
        conn.close()
    with pytest.raises(DatabaseDamaged, match="zz_damaged"):
        Store.open(data_dir)
