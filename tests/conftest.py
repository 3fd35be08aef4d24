"""Shared fixtures: real SQLite data folders in temporary directories, the CLI run in-process."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the user's real data folder.
os.environ.pop("VIVA_DATA_DIR", None)
# No automatic backups in the data folders of other tests (tests/store/test_backups.py switches them on).
os.environ["VIVA_AUTO_BACKUP"] = "0"

_HERE = Path(__file__).parent
pytest_plugins = [p for p in ("tests.fixtures_engines",) if (_HERE / (p.split(".")[-1] + ".py")).exists()]


class _ErrorRecords(logging.Handler):
    """Keeps every ERROR (or worse) logged by the app's own loggers, from any thread."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "viva" or record.name.split(".")[0] in ("desktop_app", "viva"):
            self.records.append(record)


_ERRORS = _ErrorRecords()
logging.getLogger().addHandler(_ERRORS)


@pytest.fixture(autouse=True)
def no_logged_errors(request):
    """Fails a test during which desktop_app logged an error: code that logs and carries on (the runner's
    callbacks, the GUI's workers) would otherwise let a broken handler pass. A test that provokes such an
    error on purpose says so with @pytest.mark.logs_errors and checks the record itself."""
    _ERRORS.records.clear()
    yield _ERRORS.records
    if request.node.get_closest_marker("logs_errors") is None and _ERRORS.records:
        lines = [f"{r.name}: {r.getMessage()}" + (f" ({r.exc_info[1]!r})" if r.exc_info else "") for r in _ERRORS.records]
        _ERRORS.records.clear()
        pytest.fail("desktop_app logged errors during the test:\n" + "\n".join(lines), pytrace=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder."""
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def store(data_dir: Path):
    """A migrated store on a fresh SQLite file."""
    from desktop_app.store.db import Store

    s = Store.open(data_dir)
    yield s
    s.close()


@pytest.fixture
def demo_store(data_dir: Path):
    """A store with the three demo presets loaded through the CLI."""
    from desktop_app.cli import main
    from desktop_app.store.db import Store

    assert main(["--data-dir", str(data_dir), "init", "--demo", "--json"]) == 0
    s = Store.open(data_dir)
    yield s
    s.close()


class CliResult:
    """Exit code and output of one in-process `viva` run."""

    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def viva(data_dir: Path, capsys):
    """Runs `viva --data-dir DATA ARGS...` in-process and returns a CliResult."""
    from desktop_app.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(["--data-dir", str(data_dir), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def db_snapshot(path: Path) -> dict:
    """Every row of every user table, to compare before/after a failed command."""
    import sqlite3

    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'")]
    snap = {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
    conn.close()
    return snap
