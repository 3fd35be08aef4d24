"""Backups of a data folder: the database, the recordings and the résumés, in one zip file per backup.

Format: one `.zip` holding `manifest.json`, `viva.sqlite3` and the `audio/` and `resumes/` folders. One file
because it can be written atomically (a temporary name, then one rename), checked before anything is touched,
copied onto a stick as it is, and deleted by rotation in one step; a folder could be seen half-written and
half-deleted. The database in it is made with SQLite's online backup API (`Connection.backup`) from a reading
connection, never by copying the live file, so it is one consistent committed state even while another
connection is writing, and it is checked (`PRAGMA quick_check`) before the zip is kept. Recordings are stored
uncompressed (PCM barely compresses and deflating it would cost minutes of CPU on a 2-core laptop); the
database is deflated at level 1.

Names are `viva-KIND-YYYYMMDD-HHMMSS.zip` in UTC, with KIND one of `auto` (taken by Viva on its own and
rotated), `manual` (`viva backup`) and `before-restore` (the safety copy `viva restore` takes first). Only
`auto` backups are ever deleted by rotation; the others are the user's to delete.

Nothing here imports Qt: the CLI, the GUI's start-up thread and the interview runner call `backup_if_due`,
which logs a failure and never raises, so a backup problem never breaks the user's action.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from desktop_app.core.errors import UserError
from desktop_app.paths import DataPaths, fsync_dir
from desktop_app.store.schema import MIGRATIONS

log = logging.getLogger(__name__)

FORMAT = "viva-backup"
FORMAT_VERSION = 1
DB_MEMBER = "viva.sqlite3"
MANIFEST_MEMBER = "manifest.json"
# The folders of user files a backup holds besides the database (names relative to the data folder).
FILE_FOLDERS = ("audio", "resumes")

# Rotation of automatic backups, as Anki keeps its own: the newest few whatever their age (several a day
# when interviews follow each other), then the newest of each of the last days, weeks and months. At most
# 3 + 7 + 4 + 6 = 20 files, usually fewer since one file can stand for its day, week and month at once.
KEEP_LATEST = 3  # the newest automatic backups, kept whatever their age
KEEP_DAILY = 7  # the newest of each of the last 7 days (today included)
KEEP_WEEKLY = 4  # the newest of each of the last 4 weeks (Monday to Sunday, this week included)
KEEP_MONTHLY = 6  # the newest of each of the last 6 calendar months (this month included)

# When an automatic backup is due: on opening the store once the newest backup is a day old, and after a
# completed interview once it is an hour old (an interview's recordings cannot be made again, but a day of
# back-to-back interviews should not copy the recordings after each one).
DUE_ON_OPEN = timedelta(days=1)
DUE_AFTER_SESSION = timedelta(hours=1)
# Set to 0 to switch automatic backups off (the test suite does, except the tests of backups themselves).
ENV_SWITCH = "VIVA_AUTO_BACKUP"

KINDS = ("auto", "manual", "before-restore")
_NAME = re.compile(r"^viva-(auto|manual|before-restore)-(\d{8}-\d{6})(?:-(\d+))?\.zip$")
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupFile:
    """One backup in the backups folder, as its name describes it."""

    path: Path
    kind: str
    taken_at: datetime  # UTC

    def as_dict(self) -> dict:
        return {"path": str(self.path), "kind": self.kind, "taken_at": self.taken_at.isoformat(),
                "bytes": self.path.stat().st_size if self.path.exists() else None}


class DatabaseDamaged(UserError):
    """The database fails SQLite's checks; the message says which backup to restore."""


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------ listing


def list_backups(paths: DataPaths) -> list[BackupFile]:
    """The backups in the data folder's backups folder, newest first."""
    found: list[BackupFile] = []
    folder = paths.backups
    if not folder.is_dir():
        return found
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if m and p.is_file():
            taken = datetime.strptime(m.group(2), _STAMP).replace(tzinfo=UTC)
            found.append(BackupFile(p, m.group(1), taken))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def newest_backup(paths: DataPaths, *, restorable_only: bool = True) -> BackupFile | None:
    """The newest backup (of any kind); by default only one whose database can be restored."""
    for b in list_backups(paths):
        if not restorable_only:
            return b
        try:
            _read_manifest(b.path)
        except UserError:
            continue
        return b
    return None


def recovery_hint(paths: DataPaths) -> str:
    """How to recover a damaged database: the restore command of the newest backup, or where none was found."""
    newest = newest_backup(paths)
    if newest is None:
        return f"no backup found in {paths.backups}; keep a copy of the folder and recover what you can with sqlite3's .recover"
    return f"restore the newest backup with: viva restore {newest.path} --yes"


# ------------------------------------------------------------------ taking a backup


def _snapshot_database(database: Path, target: Path) -> list[str]:
    """Copies the database into `target` with the online backup API; checks it; returns its migration names.

    Raises DatabaseDamaged if the copy fails SQLite's checks (a damaged database is never kept as a backup,
    so it can never rotate a good backup away).
    """
    src = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        dst = sqlite3.connect(str(target))
        try:
            # pages=-1: one step, under one read transaction, so the copy is one committed state.
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            problems = check_database(dst, "quick_check")
            if problems:
                raise DatabaseDamaged(f"the database fails SQLite's quick_check ({'; '.join(problems)})",
                                      source=str(database))
            return _migration_names(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "malformed" not in str(exc):
            raise
        raise DatabaseDamaged(f"the database cannot be read ({exc})", source=str(database)) from None
    finally:
        src.close()


_NULL_VALUE = re.compile(r"^NULL value in ([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")


def check_database(conn: sqlite3.Connection, pragma: str = "quick_check", limit: int = 3) -> list[str]:
    """Up to `limit` problems SQLite's quick_check or integrity_check finds, one line each; empty if sound.

    SQLite 3.40 (Debian 12's, which Python links here) reports "NULL value in participant_tags.participant_id"
    from quick_check, once per row, on a sound WITHOUT ROWID table whose PRIMARY KEY lists its columns in
    another order than the table does; integrity_check does not. Such a line is kept only if a query finds the
    NULL, so a sound database is never called damaged; and since those lines count towards the pragma's limit
    of reported errors, a pass they filled is run again without a limit, so they cannot hide real damage.
    Raises sqlite3.DatabaseError if the file cannot be read at all.
    """
    if pragma not in ("quick_check", "integrity_check"):
        raise ValueError(pragma)
    confirmed: dict[tuple[str, str], bool] = {}

    def real(line: str) -> bool:
        m = _NULL_VALUE.match(line)
        if m is None:
            return True
        key = (m.group(1), m.group(2))
        if key not in confirmed:
            try:
                # typeof(), not IS NULL: SQLite answers "c IS NULL" on a NOT NULL column without reading it.
                sql = f'SELECT 1 FROM "{key[0]}" WHERE typeof("{key[1]}") = \'null\' LIMIT 1'
                confirmed[key] = conn.execute(sql).fetchone() is not None
            except sqlite3.OperationalError:
                confirmed[key] = True
        return confirmed[key]

    # Ask for many lines at once: a database with thousands of tags then still takes one pass, not two.
    asked = max(int(limit), _FIRST_ASK)
    while True:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}({asked})")]
        if rows == ["ok"]:
            return []
        lines = [ln.strip() for r in rows for ln in r.splitlines() if ln.strip() and "***" not in ln]
        problems = [ln for ln in lines if real(ln)]
        if problems or len(lines) < asked or asked >= _NO_LIMIT:
            return problems[:limit]
        asked = _NO_LIMIT  # every reported line was a false alarm and the limit was reached: look at all


_FIRST_ASK = 10_000
_NO_LIMIT = 2**31 - 1


def _migration_names(conn: sqlite3.Connection) -> list[str]:
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM schema_migrations"))
    except sqlite3.OperationalError:
        return []


def _user_files(paths: DataPaths) -> Iterable[tuple[Path, str]]:
    """(file, name in the zip) of every file under the backed-up folders."""
    for folder in FILE_FOLDERS:
        base = paths.root / folder
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            if p.is_file() and not p.is_symlink():
                yield p, f"{folder}/{p.relative_to(base).as_posix()}"


def _free_name(folder: Path, kind: str, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime(_STAMP)
    path = folder / f"viva-{kind}-{stamp}.zip"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"viva-{kind}-{stamp}-{n}.zip"
    return path


def take_backup(paths: DataPaths, *, kind: str = "manual", out: Path | str | None = None,
                now: datetime | None = None, damaged_ok: bool = False) -> Path:
    """Writes one backup zip (into the backups folder, or to `out`) and returns its path.

    The file appears complete or not at all: it is written under a temporary name, synced, then renamed.
    With `damaged_ok` (the safety copy before a restore), a database the backup API cannot read is stored as
    raw bytes under `damaged/` instead, so nothing is lost; such a backup is refused by `restore`.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    now = now or _now()
    if not paths.database.exists():
        raise UserError("there is no database to back up yet", source=str(paths.database))
    if out is None:
        paths.backups.mkdir(parents=True, exist_ok=True)
        final = _free_name(paths.backups, kind, now)
    else:
        final = Path(out).expanduser().resolve()
        if final.suffix.lower() != ".zip":
            raise UserError("a backup is a .zip file", source=str(out), field="--out")
        if not final.parent.is_dir():
            raise UserError("the folder does not exist", source=str(final.parent), field="--out")
    folder = final.parent
    fd, tmp_db_name = tempfile.mkstemp(prefix=".viva-snapshot-", suffix=".sqlite3", dir=folder)
    os.close(fd)
    tmp_db = Path(tmp_db_name)
    tmp_zip = folder / f".{final.name}.partial"
    manifest: dict = {"format": FORMAT, "version": FORMAT_VERSION, "kind": kind, "created_at": now.isoformat(),
                      "database": DB_MEMBER, "folders": list(FILE_FOLDERS)}
    try:
        tmp_db.unlink()
        try:
            manifest["migrations"] = _snapshot_database(paths.database, tmp_db)
        except DatabaseDamaged as exc:
            if not damaged_ok:
                raise DatabaseDamaged(f"{exc.rule}; {recovery_hint(paths)}", source=exc.source) from None
            manifest["damaged"] = str(exc)
        files = 0
        with zipfile.ZipFile(tmp_zip, "w", allowZip64=True) as z:
            if "damaged" in manifest:
                for suffix in ("", "-wal", "-shm"):
                    raw = Path(str(paths.database) + suffix)
                    if raw.exists():
                        z.write(raw, f"damaged/{raw.name}", compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
            else:
                z.write(tmp_db, DB_MEMBER, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
            for path, name in _user_files(paths):
                try:
                    z.write(path, name, compress_type=zipfile.ZIP_STORED)
                    files += 1
                except FileNotFoundError:  # deleted (with its participant) while the backup ran
                    continue
            manifest["files"] = files
            z.writestr(MANIFEST_MEMBER, json.dumps(manifest, indent=2, sort_keys=True))
        with open(tmp_zip, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_zip, final)
        fsync_dir(folder)
    finally:
        tmp_db.unlink(missing_ok=True)
        tmp_zip.unlink(missing_ok=True)
    return final


# ------------------------------------------------------------------ rotation


def to_keep(taken: Iterable[datetime], now: datetime) -> set[datetime]:
    """Which automatic backups (by time taken, UTC) rotation keeps at `now`; pure, for tests and `rotate`."""
    newest_first = sorted(set(taken), reverse=True)
    keep = set(newest_first[:KEEP_LATEST])
    today = now.astimezone(UTC).date()

    def week(d: date) -> date:
        return d - timedelta(days=d.weekday())

    def month(d: date) -> int:
        return d.year * 12 + d.month - 1

    windows = (
        (lambda d: d, lambda b: (today - b).days < KEEP_DAILY),
        (week, lambda b: (week(today) - b).days < 7 * KEEP_WEEKLY),
        (month, lambda b: month(today) - b < KEEP_MONTHLY),
    )
    for bucket_of, within in windows:
        seen: set = set()
        for t in newest_first:  # newest first, so the first of each bucket is its newest
            bucket = bucket_of(t.date())
            if bucket in seen or not within(bucket):
                continue
            seen.add(bucket)
            keep.add(t)
    return keep


def rotate(paths: DataPaths, *, now: datetime | None = None) -> list[Path]:
    """Deletes the automatic backups rotation no longer keeps; returns them. Other kinds are never deleted."""
    now = now or _now()
    auto = [b for b in list_backups(paths) if b.kind == "auto"]
    keep = to_keep((b.taken_at for b in auto), now)
    deleted: list[Path] = []
    kept_times: set[datetime] = set()
    for b in auto:  # newest first; two files of the same second: keep the first only
        if b.taken_at in keep and b.taken_at not in kept_times:
            kept_times.add(b.taken_at)
            continue
        b.path.unlink(missing_ok=True)
        deleted.append(b.path)
    # Temporary files left by a backup that was killed, once surely not another one's work in progress.
    for p in paths.backups.glob(".*"):
        try:
            if now.timestamp() - p.stat().st_mtime > DUE_ON_OPEN.total_seconds():
                p.unlink()
        except OSError:
            pass
    return deleted


def auto_backups_enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def backup_if_due(paths: DataPaths, *, due_after: timedelta = DUE_ON_OPEN, now: datetime | None = None) -> Path | None:
    """Takes an automatic backup and rotates if the newest backup is older than `due_after`.

    Cheap when not due (one directory listing). Never raises: a failure is logged and the caller goes on.
    """
    if not auto_backups_enabled():
        return None
    now = now or _now()
    try:
        if not paths.database.exists():
            return None
        newest = newest_backup(paths, restorable_only=False)
        if newest is not None and now - newest.taken_at < due_after:
            return None
        path = take_backup(paths, kind="auto", now=now)
        rotate(paths, now=now)
        log.info("automatic backup written to %s", path)
        return path
    except Exception:
        log.exception("automatic backup of %s failed", paths.root)
        return None


# ------------------------------------------------------------------ restoring


def _read_manifest(path: Path) -> dict:
    """The manifest of a restorable Viva backup, or UserError naming the file and what is wrong."""
    source = str(path)
    if not path.is_file():
        raise UserError("no such file", source=source)
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if MANIFEST_MEMBER not in names:
                raise UserError("not a Viva backup (no manifest.json)", source=source)
            try:
                manifest = json.loads(z.read(MANIFEST_MEMBER))
            except ValueError:
                raise UserError("not a Viva backup (manifest.json is not JSON)", source=source) from None
    except zipfile.BadZipFile:
        raise UserError("not a Viva backup (not a zip file)", source=source) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UserError(f"not a Viva backup (manifest format is not {FORMAT!r})", source=source)
    if manifest.get("version") != FORMAT_VERSION:
        raise UserError(f"backup format version {manifest.get('version')!r} is not {FORMAT_VERSION}", source=source)
    if "damaged" in manifest:
        raise UserError(f"this backup holds a damaged database ({manifest['damaged']}) and cannot be restored",
                        source=source)
    if DB_MEMBER not in names:
        raise UserError(f"the backup has no {DB_MEMBER}", source=source)
    return manifest


def _safe_member(name: str) -> bool:
    parts = name.split("/")
    return (not name.startswith("/") and "\\" not in name and ".." not in parts
            and parts[0] in FILE_FOLDERS and len(parts) > 1)


def check_backup(path: Path | str, workdir: Path) -> tuple[dict, Path]:
    """Checks a backup without touching the data folder: its manifest, member names and database.

    Extracts the database into `workdir` and runs `PRAGMA integrity_check` on it there. Returns the manifest
    and the extracted database.
    """
    path = Path(path).expanduser().resolve()
    source = str(path)
    manifest = _read_manifest(path)
    db = workdir / DB_MEMBER
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name in (MANIFEST_MEMBER, DB_MEMBER) or name.endswith("/"):
                continue
            if not _safe_member(name):
                raise UserError(f"the backup holds an unexpected file {name!r}", source=source)
        try:
            with z.open(DB_MEMBER) as src, open(db, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except (zipfile.BadZipFile, OSError) as exc:  # a CRC mismatch: the zip was damaged after it was written
            raise UserError(f"the backup is damaged ({exc})", source=source) from None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            problems = check_database(conn, "integrity_check", limit=10)
            migrations = set(_migration_names(conn))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"the backup's database cannot be read ({exc})", source=source) from None
    if problems:
        raise UserError(f"the backup's database fails SQLite's integrity_check ({'; '.join(problems)})",
                        source=source)
    if not migrations:
        raise UserError("the backup's database is not a Viva database (no schema_migrations)", source=source)
    unknown = migrations - {name for name, _ in MIGRATIONS}
    if unknown:
        raise UserError(f"the backup was made by a newer Viva (unknown migrations {', '.join(sorted(unknown))})",
                        source=source)
    return manifest, db


def _database_usable(database: Path) -> bool:
    """Whether the current database opens and passes quick_check (else restore replaces the file)."""
    try:
        conn = sqlite3.connect(str(database), timeout=30)
        try:
            return not check_database(conn, "quick_check")
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "malformed" not in str(exc):
            raise
        return False


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_backup: Path | None
    files: int

    def as_dict(self) -> dict:
        return {"restored_from": str(self.restored_from),
                "safety_backup": str(self.safety_backup) if self.safety_backup else None, "files": self.files}


def restore(paths: DataPaths, backup: Path | str, *, now: datetime | None = None) -> RestoreResult:
    """Replaces the data folder's database, recordings and résumés with those of a backup.

    Order: check the backup's manifest and database, unpack its files into a temporary folder in the data
    folder (nothing else is written until all this passed), take a safety backup of the current state, copy
    the database in with the backup API, then swap the folders. A Viva window open on the same folder meanwhile
    keeps stale screens until it is reopened.
    """
    backup = Path(backup).expanduser().resolve()
    paths.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".viva-restore-", dir=paths.root) as work_name:
        work = Path(work_name)
        _manifest, extracted_db = check_backup(backup, work)
        # Unpack the files next, beside the data (a damaged recording or a full disk fails here, leaving nothing).
        staged = work / "files"
        files = 0
        try:
            with zipfile.ZipFile(backup) as z:
                for info in z.infolist():
                    if info.filename.endswith("/") or not _safe_member(info.filename):
                        continue
                    target = staged / info.filename
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with z.open(info) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                    files += 1
        except zipfile.BadZipFile as exc:  # a recording's CRC does not match: refused before the database changes
            raise UserError(f"the backup is damaged ({exc}); nothing was restored", source=str(backup)) from None
        except OSError as exc:  # a full disk, most likely
            raise UserError(f"cannot unpack the backup ({exc.strerror or exc}); nothing was restored",
                            source=str(backup)) from None
        safety = None
        if paths.database.exists():
            safety = take_backup(paths, kind="before-restore", now=now, damaged_ok=True)
        if paths.database.exists() and not _database_usable(paths.database):
            # A damaged file cannot take the backup API's copy; its bytes are in the safety backup.
            for suffix in ("", "-wal", "-shm"):
                Path(str(paths.database) + suffix).unlink(missing_ok=True)
        source_db = sqlite3.connect(f"file:{extracted_db}?mode=ro", uri=True)
        try:
            live_db = sqlite3.connect(str(paths.database), timeout=30)
            try:
                live_db.execute("PRAGMA busy_timeout=30000")
                source_db.backup(live_db, pages=-1)  # under the live file's write lock, in one step
            finally:
                live_db.close()
        finally:
            source_db.close()
        old = work / "old"
        old.mkdir()
        for folder in FILE_FOLDERS:
            live = paths.root / folder
            if live.exists():
                live.rename(old / folder)
            new = staged / folder
            if new.exists():
                new.rename(live)
            else:
                live.mkdir()
        fsync_dir(paths.root)
    return RestoreResult(backup, safety, files)
