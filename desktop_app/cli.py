"""The `viva` command line: a thin layer over the same operations the GUI calls."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from desktop_app.core.errors import UserError
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
            from desktop_app.store.db import Store

            self.paths.ensure()
            self._store = Store.open(self.paths)
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


# Modules under desktop_app/commands each add their sub-commands with register(subparsers).
COMMAND_MODULES = ("setup", "sessions", "bundle", "models", "interview", "scoring", "calibrate")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser."""
    import importlib

    parser = argparse.ArgumentParser(prog="viva", description="Offline AI interviews: setup, run, score, print.")
    parser.add_argument("--data-dir", help="data folder (default: VIVA_DATA_DIR or the user-data folder)")
    parser.add_argument("--json", action="store_true", dest="as_json", help="machine-readable output")
    parser.add_argument("--operator", default=None, help="name recorded in the audit log")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"desktop_app.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"desktop_app.commands.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parses, runs, turns UserError into one line and exit code 2."""
    import os

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "command", None) is None:
        from desktop_app.app import run_gui

        return run_gui(data_dir=args.data_dir)
    ctx = Context(
        paths=DataPaths.resolve(args.data_dir),
        as_json=args.as_json or getattr(args, "sub_json", False),
        operator=args.operator or os.environ.get("VIVA_OPERATOR") or os.environ.get("USER") or "operator",
    )
    try:
        result = args.handler(ctx, args)
        return int(result or 0)
    except UserError as exc:
        print(f"viva: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("viva: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and friends
        sys.stderr.close()
        return 0
    finally:
        ctx.close()


def add_json_flag(p: argparse.ArgumentParser) -> None:
    """Lets `--json` follow the sub-command as well as precede it."""
    p.add_argument("--json", action="store_true", dest="sub_json", help="machine-readable output")


if __name__ == "__main__":
    raise SystemExit(main())
