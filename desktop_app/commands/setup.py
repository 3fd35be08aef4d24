"""`viva init` and create/list/show/update/delete for profiles, templates, stages and participants."""

from __future__ import annotations

import argparse

from desktop_app.commands import format_table
from desktop_app.commands.context import Context, add_json_flag, warn
from desktop_app.core.presets import load_preset, preset_names
from desktop_app.core.validation import load_document
from desktop_app.store import bundle, checks, setup

LIST_COLUMNS = {
    "profile": ("id", "name", "use_case", "scale", "method", "dimensions"),
    "template": ("id", "name", "use_case", "status", "duration_minutes", "mode"),
    "stage": ("id", "order", "name", "type", "pass_threshold", "on_completion", "allow_retry"),
    "participant": ("id", "name", "email", "external_id", "tags"),
}


def init(ctx: Context, args: argparse.Namespace) -> int:
    """Creates the data folder and database; --demo loads the three presets."""
    store = ctx.store
    counts: dict[str, int] = {}
    if args.demo:
        have = {r["name"].casefold() for r in store.query("SELECT name FROM templates")}
        with store.transaction():
            for preset in preset_names():
                data = load_preset(preset)
                if any(t["name"].casefold() in have for t in data.get("templates", [])):
                    continue  # already loaded: init --demo is safe to repeat
                for key, n in bundle.import_bundle(store, data, source=f"{preset}.yaml", operator=ctx.operator).items():
                    counts[key] = counts.get(key, 0) + n
                warn(f"{preset}.yaml", checks.bundle_warnings(store, data))
    summary = {"data_dir": str(ctx.paths.root), "database": str(ctx.paths.database), "loaded": counts}

    def text() -> str:
        lines = [f"Data folder: {ctx.paths.root}"]
        if args.demo:
            for kind in ("profile", "template", "stage", "participant"):
                lines += ["", f"{kind.title()}s:", format_table(setup.list_records(store, kind), LIST_COLUMNS[kind])]
        return "\n".join(lines)

    ctx.emit(summary, text)
    return 0


def _create(kind: str):
    def handler(ctx: Context, args: argparse.Namespace) -> int:
        record = setup.save(ctx.store, kind, load_document(args.file), source=args.file, operator=ctx.operator)
        ctx.emit(record.to_dict(), record.id)
        warn(args.file, checks.pass_mark_warnings(ctx.store, record.obj, record.id))
        return 0
    return handler


def _update(kind: str):
    def handler(ctx: Context, args: argparse.Namespace) -> int:
        current = setup.get(ctx.store, kind, args.id)
        record = setup.save(ctx.store, kind, load_document(args.file), record_id=current.id, source=args.file,
                            operator=ctx.operator)
        ctx.emit(record.to_dict(), f"updated {record.id}")
        warn(args.file, checks.pass_mark_warnings(ctx.store, record.obj, record.id))
        return 0
    return handler


def _show(kind: str):
    def handler(ctx: Context, args: argparse.Namespace) -> int:
        record = setup.get(ctx.store, kind, args.id)
        data = record.to_dict()
        if kind == "participant":
            from desktop_app.store.sessions import list_sessions

            data["sessions"] = list_sessions(ctx.store, participant=record.id)
        if kind == "template":
            data["stages"] = setup.list_records(ctx.store, "stage", template=record.id)
        import yaml

        ctx.emit(data, lambda: yaml.safe_dump(data, sort_keys=False, allow_unicode=True).rstrip())
        return 0
    return handler


def _list(kind: str):
    def handler(ctx: Context, args: argparse.Namespace) -> int:
        rows = setup.list_records(ctx.store, kind, template=getattr(args, "template", None), tag=getattr(args, "tag", None),
                                  search=args.search)
        ctx.emit(rows, lambda: format_table(rows, LIST_COLUMNS[kind]))
        return 0
    return handler


def _delete(kind: str):
    def handler(ctx: Context, args: argparse.Namespace) -> int:
        record = setup.delete(ctx.store, kind, args.id, operator=ctx.operator)
        ctx.emit({"deleted": record.id, "kind": kind}, f"deleted {kind} {record.id}")
        return 0
    return handler


def register(sub: argparse._SubParsersAction) -> None:
    """Adds init and the four concept command groups."""
    p = sub.add_parser("init", help="create the data folder and database")
    p.add_argument("--demo", action="store_true", help="load the hiring, training and mock-interview presets")
    add_json_flag(p)
    p.set_defaults(handler=init)
    for kind in ("profile", "template", "stage", "participant"):
        group = sub.add_parser(kind, help=f"manage {kind}s").add_subparsers(dest="action", metavar="ACTION", required=True)
        c = group.add_parser("create", help=f"create a {kind} from a JSON or YAML file")
        c.add_argument("--file", required=True)
        c.set_defaults(handler=_create(kind))
        ls = group.add_parser("list", help=f"list {kind}s")
        ls.add_argument("--search", help="text in the name or fields")
        if kind in ("stage", "participant"):
            ls.add_argument("--template", help="template id or name")
        if kind == "participant":
            ls.add_argument("--tag")
        ls.set_defaults(handler=_list(kind))
        s = group.add_parser("show", help=f"show one {kind}")
        s.add_argument("id", help="id or unique name")
        s.set_defaults(handler=_show(kind))
        u = group.add_parser("update", help=f"replace a {kind} with a file's contents")
        u.add_argument("id", help="id or unique name")
        u.add_argument("--file", required=True)
        u.set_defaults(handler=_update(kind))
        d = group.add_parser("delete", help=f"delete a {kind}" + (" and all their data" if kind == "participant" else ""))
        d.add_argument("id", help="id or unique name")
        d.set_defaults(handler=_delete(kind))
        for q in (c, ls, s, u, d):
            add_json_flag(q)
