"""The SQLite store: connection, pragmas, migrations and transactions."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop_app.paths import DataPaths
from desktop_app.store.backups import DatabaseDamaged, check_database, recovery_hint
from desktop_app.store.schema import MIGRATIONS


def now_iso() -> str:
    """The current UTC time, ISO 8601 with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_id() -> str:
    """A random UUID as text."""
    return str(uuid.uuid4())


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def from_json(text: str | None, default: Any = None) -> Any:
    return default if text is None or text == "" else json.loads(text)


class Store:
    """One open database. A connection belongs to the thread that opened it."""

    def __init__(self, conn: sqlite3.Connection, paths: DataPaths | None):
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.paths = paths
        self._owner = threading.get_ident()

    @classmethod
    def open(cls, paths: DataPaths | Path | str, *, check_same_thread: bool = True) -> Store:
        """Opens (creating if needed) and migrates the database of a data folder."""
        if not isinstance(paths, DataPaths):
            paths = DataPaths(Path(paths))
        paths.root.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(paths.database), timeout=30, check_same_thread=check_same_thread)
        conn.row_factory = sqlite3.Row
        store = cls(conn, paths)
        try:
            store._configure()
            store._quick_check()
            store.migrate()
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.DatabaseError) and _is_damage(exc):
                raise _damaged(paths, f"the database is damaged ({exc})") from None
            raise
        return store

    def _quick_check(self) -> None:
        """SQLite's quick_check (page structure, no index contents): a damaged file is named at once, with the
        backup to restore, rather than failing later in the middle of a user's action."""
        problems = check_database(self.conn, "quick_check")
        if problems:
            assert self.paths is not None
            raise _damaged(self.paths, "the database is damaged (quick_check: " + "; ".join(problems) + ")")

    def _configure(self) -> None:
        c = self.conn
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=FULL")
        c.execute("PRAGMA foreign_keys=ON")
        c.execute("PRAGMA busy_timeout=30000")

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit of work; nested calls become savepoints. Commits durably."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        # IMMEDIATE takes the write lock up front, so two writers wait rather than deadlock.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # ------------------------------------------------------------ migrations

    def migrate(self) -> list[str]:
        """Applies the migrations not yet recorded; returns their names."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        applied = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        done: list[str] = []
        for name, sql in MIGRATIONS:
            if name in applied:
                continue
            with self.transaction():
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, now_iso()))
            done.append(name)
        if done:
            self.conn.execute(f"PRAGMA user_version={len(MIGRATIONS)}")
        return done

    # ------------------------------------------------------------ helpers

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Rows as dicts."""
        return [dict(r) for r in self.conn.execute(sql, params)]

    def query_one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def query_value(self, sql: str, params: Any = ()) -> Any:
        """The first column of the row a query must return: an aggregate (count, max) or a row known to exist."""
        row = self.conn.execute(sql, params).fetchone()
        if row is None:
            raise LookupError(f"the query returned no row: {sql}")
        return row[0]

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def audit(self, operator: str, action: str, object_kind: str, object_id: str | None, **details: Any) -> None:
        """Appends to the audit log (inside the caller's transaction)."""
        self.conn.execute(
            "INSERT INTO audit_log (at, operator, action, object_kind, object_id, details) VALUES (?, ?, ?, ?, ?, ?)",
            (now_iso(), operator, action, object_kind, object_id, to_json(details)),
        )

    def integrity_check(self) -> str:
        """"ok", or the problems SQLite's integrity_check finds (through the one checker, store/backups.py)."""
        return "; ".join(check_database(self.conn, "integrity_check")) or "ok"


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """A damaged or foreign file, as opposed to a lock or a missing folder (OperationalError)."""
    return not isinstance(exc, sqlite3.OperationalError) or "malformed" in str(exc)


def _damaged(paths: DataPaths, what: str) -> DatabaseDamaged:
    return DatabaseDamaged(f"{what}; {recovery_hint(paths)}", source=str(paths.database))


def _split_sql(sql: str) -> list[str]:
    """Splits a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf: list[str] = []
    for line in sql.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            buf = []
    if "".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
