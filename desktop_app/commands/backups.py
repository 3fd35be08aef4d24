"""`viva backup [--out FILE]`, `viva backup list` and `viva restore FILE --yes`."""

from __future__ import annotations

import argparse

from desktop_app.commands import format_table
from desktop_app.commands.context import Context, add_json_flag
from desktop_app.core.errors import UserError
from desktop_app.store import backups


def do_backup(ctx: Context, args: argparse.Namespace) -> int:
    if args.action == "list":
        if args.out:
            raise UserError("`viva backup list` takes no --out", field="--out")
        rows = [b.as_dict() for b in backups.list_backups(ctx.paths)]
        ctx.emit(rows, lambda: format_table(rows, ["taken_at", "kind", "bytes", "path"],
                                            empty=f"(no backups in {ctx.paths.backups})"))
        return 0
    path = backups.take_backup(ctx.paths, kind="manual", out=args.out)
    ctx.emit({"path": str(path)}, str(path))
    return 0


def do_restore(ctx: Context, args: argparse.Namespace) -> int:
    if not args.yes:
        raise UserError(f"restoring replaces the database and recordings in {ctx.paths.root}; "
                        "add --yes to go ahead (a safety backup of the current state is taken first)",
                        source=args.file, field="--yes")
    result = backups.restore(ctx.paths, args.file)
    safety = f"; the previous state is in {result.safety_backup}" if result.safety_backup else ""
    ctx.emit(result.as_dict(), f"restored {result.restored_from} ({result.files} files){safety}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Adds backup and restore."""
    p = sub.add_parser("backup", help="back up the database and recordings into one .zip; `backup list` lists them")
    p.add_argument("action", nargs="?", choices=["list"], help="list the backups in the data folder")
    p.add_argument("--out", help="the .zip to write (default: a new file in the data folder's backups folder)")
    p.set_defaults(handler=do_backup)
    add_json_flag(p)
    r = sub.add_parser("restore", help="replace the database and recordings with a backup's (needs --yes)")
    r.add_argument("file")
    r.add_argument("--yes", action="store_true", help="confirm: the current state is backed up, then replaced")
    r.set_defaults(handler=do_restore)
    add_json_flag(r)
