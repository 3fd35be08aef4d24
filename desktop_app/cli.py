"""The `viva` command line: a thin layer over the same operations the GUI calls."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from desktop_app.commands.context import Context, add_json_flag
from desktop_app.core.errors import UserError
from desktop_app.paths import DataPaths

__all__ = ["Context", "add_json_flag", "build_parser", "main"]


# Modules under desktop_app/commands each add their sub-commands with register(subparsers).
COMMAND_MODULES = ("setup", "sessions", "bundle", "models", "interview", "scoring", "calibrate", "backups")


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


def main(argv: Sequence[str] | None = None, *, open_gui: Callable[[str | None], int] | None = None) -> int:
    """Runs one sub-command: parses, runs, turns UserError into one line and exit code 2.

    With no sub-command, `open_gui(data_dir)` opens the GUI (the `viva` entry point, desktop_app.main, passes
    it); without it the help is printed.
    """
    import os

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "command", None) is None:
        if open_gui is None:
            parser.print_help()
            return 0
        return open_gui(args.data_dir)
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


if __name__ == "__main__":
    raise SystemExit(main())
