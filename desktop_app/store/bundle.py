"""Whole setups as one bundle: profiles, templates, stages and participants, referenced by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.core.errors import UserError
from desktop_app.core.presets import with_role
from desktop_app.core.validation import dump_document, load_document
from desktop_app.store import setup
from desktop_app.store.db import Store

BUNDLE_VERSION = 1
SECTIONS = (("profiles", "profile"), ("templates", "template"), ("stages", "stage"), ("participants", "participant"))


def export_bundle(store: Store, *, template: str | None = None) -> dict[str, Any]:
    """The setup as a dict; references are names so the bundle reads well and imports anywhere."""
    names = {
        "profile": {r["id"]: r["name"] for r in store.query("SELECT id, name FROM profiles")},
        "template": {r["id"]: r["name"] for r in store.query("SELECT id, name FROM templates")},
    }
    out: dict[str, Any] = {"viva_bundle": BUNDLE_VERSION}
    template_id = setup.resolve_id(store, "template", template) if template else None
    for section, kind in SECTIONS:
        items = []
        table = setup.TABLES[kind]
        sql = f"SELECT id FROM {table}"
        params: tuple = ()
        if template_id and kind in ("stage", "participant"):
            sql += " WHERE template_id = ?"
            params = (template_id,)
        elif template_id and kind == "template":
            sql += " WHERE id = ?"
            params = (template_id,)
        elif template_id and kind == "profile":
            sql += " WHERE id IN (SELECT profile_id FROM stages WHERE template_id = ?)"
            params = (template_id,)
        # rowid breaks ties in insertion order: an index SQLite may read the rows through must not reorder them.
        sql += " ORDER BY position, rowid" if kind == "stage" else " ORDER BY name, rowid"
        for row in store.query(sql, params):
            obj = setup.get(store, kind, row["id"]).obj.dump()
            if kind == "stage":
                obj["template"] = names["template"][obj["template"]]
                obj["agent_profile"] = names["profile"][obj["agent_profile"]]
            if kind == "participant":
                obj["template"] = names["template"][obj["template"]]
                obj["resume"] = None  # the text travels; the copied file stays in its data folder
            items.append(obj)
        out[section] = items
    return out


def write_bundle(store: Store, path: str | Path, *, template: str | None = None) -> dict[str, int]:
    """Writes the bundle as JSON or YAML (by extension), atomically; returns counts."""
    data = export_bundle(store, template=template)
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(dump_document(data, target), encoding="utf-8")
    tmp.replace(target)
    return {section: len(data[section]) for section, _ in SECTIONS}


def import_bundle(store: Store, data: Any, *, source: str = "bundle", operator: str = "operator") -> dict[str, int]:
    """Creates every object of a bundle in one transaction: all of it, or none of it."""
    if not isinstance(data, dict):
        raise UserError("must be a mapping with profiles, templates, stages and participants", source=source)
    unknown = set(data) - {s for s, _ in SECTIONS} - {"viva_bundle"}
    if unknown:
        raise UserError("unknown section", source=source, field=sorted(unknown)[0])
    counts: dict[str, int] = {}
    with store.transaction():
        for section, kind in SECTIONS:
            items = data.get(section) or []
            if not isinstance(items, list):
                raise UserError("must be a list", source=source, field=section)
            if kind == "stage":
                items = sorted(items, key=lambda s: (isinstance(s, dict) and s.get("order") or 0))
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    raise UserError("must be a mapping", source=source, field=f"{section}[{i}]")
                try:
                    # A preset's role block belongs to the example setup: a whole-bundle import keeps it.
                    setup.save(store, kind, with_role(item), operator=operator)
                except UserError as exc:
                    field = f"{section}[{i}]" + (f".{exc.field}" if exc.field else "")
                    raise UserError(exc.rule, source=source, field=field) from None
            counts[section] = len(items)
        store.audit(operator, "import", "bundle", None, source=Path(source).name, **counts)
    return counts


def import_file(store: Store, path: str | Path, *, operator: str = "operator") -> dict[str, int]:
    """Reads and imports a JSON or YAML bundle file."""
    return import_bundle(store, load_document(path), source=Path(path).name, operator=operator)
