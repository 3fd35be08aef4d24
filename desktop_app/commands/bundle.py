"""`viva import FILE` and `viva export FILE`: whole setups as JSON or YAML bundles."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.commands.context import Context, add_json_flag, warn
from desktop_app.core.validation import load_document
from desktop_app.store import bundle, checks


def do_import(ctx: Context, args: argparse.Namespace) -> int:
    data = load_document(args.file)
    counts = bundle.import_bundle(ctx.store, data, source=Path(args.file).name, operator=ctx.operator)
    ctx.emit(counts, "imported " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    warn(args.file, checks.bundle_warnings(ctx.store, data))
    return 0


def do_export(ctx: Context, args: argparse.Namespace) -> int:
    counts = bundle.write_bundle(ctx.store, args.file, template=args.template)
    with ctx.store.transaction():
        ctx.store.audit(ctx.operator, "export", "bundle", None, file=str(args.file), **counts)
    ctx.emit(counts, f"exported to {args.file}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Adds import and export."""
    p = sub.add_parser("import", help="import a setup bundle (JSON or YAML), all or nothing")
    p.add_argument("file")
    p.set_defaults(handler=do_import)
    add_json_flag(p)
    e = sub.add_parser("export", help="export the setup as a bundle (.json, .yaml)")
    e.add_argument("file")
    e.add_argument("--template", help="only this template, its stages, profiles and participants")
    e.set_defaults(handler=do_export)
    add_json_flag(e)
