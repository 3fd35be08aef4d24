"""What every sub-command is given: the data folder, the output mode and the store, opened on first use.

It lives below `cli.py` so that the command modules never import the module that loads them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop_app.paths import DataPaths


@dataclass
class Context:
    """What every command gets: the data folder, output mode and lazily opened store."""

    paths: DataPaths
    as_json: bool = False
    operator: str = "cli"
    _store: Any = field(default=None, repr=False)

    @property
    def store(self):
        """The database, opened (and migrated) on first use."""
        if self._store is None:
            from desktop_app.store.backups import backup_if_due
            from desktop_app.store.db import Store

            self.paths.ensure()
            self._store = Store.open(self.paths)  # refuses a damaged database, naming the backup to restore
            backup_if_due(self.paths)  # once a day; logs a failure, never raises
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def emit(self, data: Any, text: str | Callable[[], str] | None = None) -> None:
        """Prints `data` as JSON with --json, otherwise the readable text."""
        if self.as_json:
            print(json.dumps(data, indent=2, default=str, ensure_ascii=False))
        elif text is not None:
            print(text() if callable(text) else text)


def warn(source: str, warnings: list[str]) -> None:
    """Prints each warning as one line on stderr, naming the file; the exit code is the caller's to keep."""
    for text in warnings:
        print(f"warning: {source}: {text}", file=sys.stderr)


def add_json_flag(p: argparse.ArgumentParser) -> None:
    """Lets `--json` follow the sub-command as well as precede it."""
    p.add_argument("--json", action="store_true", dest="sub_json", help="machine-readable output")
