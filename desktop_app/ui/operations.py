"""Named operations on setup records, run on the store worker; each returns what it changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.core import presets
from desktop_app.core.errors import UserError
from desktop_app.core.models import MODELS
from desktop_app.core.validation import parse_model
from desktop_app.store import bundle, checks, lists, setup
from desktop_app.store.db import Store
from desktop_app.ui.changes import OpChanges, Outcome, changes
from desktop_app.ui.vocab import PRESETS

KIND_LABEL = {"profile": "profile", "template": "template", "stage": "stage", "participant": "participant"}


# ------------------------------------------------------------------ reads


def list_rows(store: Store, kind: str, *, template: str | None = None, tag: str | None = None,
              search: str | None = None, include_archived: bool = True) -> list[dict[str, Any]]:
    """Rows for a list view, with names in place of ids and an `archived` flag."""
    rows = setup.list_records(store, kind, template=template or None, tag=tag or None, search=search or None,
                              include_archived=include_archived)
    if kind in ("profile", "participant") and include_archived:
        live = {r["id"] for r in setup.list_records(store, kind, template=template or None, tag=tag or None,
                                                     search=search or None, include_archived=False)}
        for r in rows:
            r["archived"] = r["id"] not in live
    if kind == "template":
        for r in rows:
            r["archived"] = r["status"] == "archived"
    if kind in ("stage", "participant"):
        names = template_names(store)
        for r in rows:
            r["template"] = names.get(r["template_id"], "?")
    if kind == "stage":
        profiles = {p["id"]: p["name"] for p in setup.list_records(store, "profile")}
        for r in rows:
            r["profile"] = profiles.get(r["profile_id"], "?")
    return rows


def template_names(store: Store) -> dict[str, str]:
    """Template id -> name."""
    return {r["id"]: r["name"] for r in setup.list_records(store, "template")}


def choices(store: Store, kind: str, *, template: str | None = None) -> list[tuple[str, str]]:
    """(id, name) pairs for combo boxes."""
    return [(r["id"], r["name"]) for r in setup.list_records(store, kind, template=template or None)]


def profile_scales(store: Store) -> dict[str, str]:
    """Profile id -> scoring scale, so a stage editor can bound its threshold."""
    return {r["id"]: r["scale"] for r in setup.list_records(store, "profile")}


def tag_choices(store: Store) -> list[str]:
    """Every tag in use, sorted."""
    tags = {t for r in setup.list_records(store, "participant") for t in r.get("tags", [])}
    return sorted(tags, key=str.casefold)


def load_record(store: Store, kind: str, record_id: str) -> dict[str, Any]:
    """One object as a dict with its id and timestamps."""
    return setup.get(store, kind, record_id).to_dict()


def preset_bundle(preset: str) -> dict[str, Any]:
    """A whole preset setup, every example role kept, read from resources/presets (no database)."""
    return presets.load_preset(preset)


PRESET_KEY = "_preset"


def preset_object(preset: str, kind: str) -> dict[str, Any]:
    """Starting values for a new profile or template from a preset: role-neutral, with the preset under `_preset`.

    The editor reads `_preset` ({"preset", "label", "kind", "about", "item"}) to offer keeping the example role.
    """
    key = presets.preset_key(preset)
    item = presets.preset_item(key, kind)
    data = presets.start_from(item, kind)
    data[PRESET_KEY] = {"preset": key, "label": PRESETS.get(key, key.replace("_", " ").title()), "kind": kind,
                        "about": presets.about_role(item), "item": item}
    return data


def unique_name(store: Store, kind: str, name: str) -> str:
    """`name`, or `name (copy)`, `name (copy 2)`... whichever is free."""
    taken = {r["name"].casefold() for r in setup.list_records(store, kind)}
    if name.casefold() not in taken:
        return name
    base = f"{name} (copy)"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate, n = f"{name} (copy {n})", n + 1
    return candidate


# ------------------------------------------------------------------ writes


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in setup.META_KEYS}


__all__ = ["OpChanges", "Outcome", "changes"]  # re-exported for the store-side callers


def save_warnings(store: Store, kind: str, data: dict[str, Any], record_id: str | None = None) -> list[str]:
    """What saving `data` would leave in disagreement: stages whose pass mark contradicts their profile's
    recommendation (read only; the editor shows them before it saves)."""
    obj = parse_model(MODELS[kind], _plain(data))
    return checks.pass_mark_warnings(store, obj, record_id)


def save_record(store: Store, kind: str, data: dict[str, Any], record_id: str | None = None) -> Outcome:
    """Creates or replaces an object; undo deletes the new one or restores the old values."""
    previous = _plain(setup.get(store, kind, record_id).obj.dump()) if record_id else None
    record = setup.save(store, kind, _plain(data), record_id=record_id)
    label = f"{KIND_LABEL[kind]} {record.obj.name!r}"
    if previous is None:
        return Outcome(record.to_dict(), changes(kind, ids=(record.id,)),
                       lambda s: delete_record(s, kind, record.id), f"Create {label}")
    return Outcome(record.to_dict(), changes(kind, ids=(record.id,)),
                   lambda s: save_record(s, kind, previous, record.id), f"Edit {label}")


def duplicate_record(store: Store, kind: str, record_id: str) -> Outcome:
    """A copy under a free name; a template's copy gets copies of its stages."""
    if kind == "participant":
        raise UserError("participants cannot be duplicated (emails are unique); create a new one")
    source = setup.get(store, kind, record_id)
    data = _plain(source.obj.dump())
    data["name"] = unique_name(store, kind, source.obj.name)
    if kind == "stage":
        data["order"] = len(setup.list_records(store, "stage", template=data["template"]))
    with store.transaction():
        record = setup.save(store, kind, data)
        if kind == "template":
            for stage in setup.list_records(store, "stage", template=source.id):
                body = _plain(setup.get(store, "stage", stage["id"]).obj.dump())
                setup.save(store, "stage", {**body, "template": record.id})
    touched = ("template", "stage") if kind == "template" else (kind,)
    return Outcome(record.to_dict(), changes(*touched, ids=(record.id,)),
                   lambda s: _delete_with_stages(s, kind, record.id), f"Duplicate {KIND_LABEL[kind]} {source.obj.name!r}")


def _delete_with_stages(store: Store, kind: str, record_id: str) -> Outcome:
    with store.transaction():
        if kind == "template":
            for stage in setup.list_records(store, "stage", template=record_id):
                setup.delete(store, "stage", stage["id"])
        return delete_record(store, kind, record_id)


def set_archived(store: Store, kind: str, record_id: str, archived: bool) -> Outcome:
    """Archives or restores a profile, template or participant (hidden from pickers, kept for history)."""
    data = _plain(setup.get(store, kind, record_id).obj.dump())
    if kind == "template":
        data["status"] = "archived" if archived else "active"
    else:
        data["archived"] = archived
    outcome = save_record(store, kind, data, record_id)
    verb = "Archive" if archived else "Restore"
    outcome.name = f"{verb} {KIND_LABEL[kind]} {data['name']!r}"
    return outcome


def delete_record(store: Store, kind: str, record_id: str) -> Outcome:
    """Deletes an object; undo re-creates it unless a participant took sessions with them."""
    record = setup.get(store, kind, record_id)
    data = _plain(record.obj.dump())
    had_sessions = kind == "participant" and bool(_session_count(store, record.id))
    setup.delete(store, kind, record.id)
    if kind == "participant":
        data["resume"] = None  # the copied file went with them; its text is kept
    undo = None if had_sessions else (lambda s: save_record(s, kind, data))
    touched = (kind, "session") if kind == "participant" else (kind,)
    return Outcome(record.id, changes(*touched, ids=(record.id,)), undo, f"Delete {KIND_LABEL[kind]} {record.obj.name!r}")


def _session_count(store: Store, participant_id: str) -> int:
    return lists.count_sessions(store, participant=participant_id)


def delete_impact(store: Store, kind: str, record_id: str) -> str:
    """A sentence for the confirmation dialog: what else goes, and whether it can be undone."""
    if kind == "participant":
        n = _session_count(store, record_id)
        if n:
            return f"Their {n} session(s), recordings and scores are deleted too. This cannot be undone."
    return "You can undo this with Ctrl+Z."


def reorder_stages(store: Store, template_id: str, stage_ids: list[str]) -> Outcome:
    """Saves a new stage order (0..n-1 in list order); one transaction; undo restores the old order."""
    current = [r["id"] for r in setup.list_records(store, "stage", template=template_id)]
    if sorted(current) != sorted(stage_ids):
        raise UserError("the stage list changed meanwhile; refresh and try again", field="order")
    with store.transaction():
        for order, stage_id in enumerate(stage_ids):
            body = _plain(setup.get(store, "stage", stage_id).obj.dump())
            if body["order"] != order:
                setup.save(store, "stage", {**body, "order": order}, record_id=stage_id)
    return Outcome(stage_ids, changes("stage", ids=tuple(stage_ids)),
                   lambda s: reorder_stages(s, template_id, current), "Reorder stages")


def import_bundle_file(store: Store, path: str) -> Outcome:
    """Imports a JSON/YAML setup bundle: all of it or nothing."""
    counts = bundle.import_file(store, path)
    return Outcome(counts, changes("profile", "template", "stage", "participant"), None, f"Import {Path(path).name}")


def export_bundle_file(store: Store, path: str, template: str | None = None) -> dict[str, int]:
    """Writes the setup (or one template's) as a bundle file; returns counts."""
    return bundle.write_bundle(store, path, template=template or None)


def load_preset(store: Store, preset: str) -> Outcome:
    """Loads a whole preset setup (profile, template, stages, example participant) unless present."""
    key = presets.preset_key(preset)
    data = preset_bundle(key)
    label = PRESETS.get(key, key.replace("_", " ")).lower()
    have = {r["name"].casefold() for r in setup.list_records(store, "template")}
    if any(t["name"].casefold() in have for t in data.get("templates", [])):
        raise UserError(f"the {label} example is already loaded")
    counts = bundle.import_bundle(store, data, source=f"{key}.yaml")
    return Outcome(counts, changes("profile", "template", "stage", "participant"), None, f"Load {label} example")


# ------------------------------------------------------------------ getting started


SETUP_ORDER = ("profile", "template", "stage", "participant")


def setup_counts(store: Store) -> dict[str, int]:
    """How many interviewers, templates, stages and participants are in use (archived ones not counted)."""
    return {kind: len(setup.list_records(store, kind, include_archived=False)) if kind != "template"
            else sum(1 for r in setup.list_records(store, kind) if r["status"] != "archived")
            for kind in SETUP_ORDER}


def missing_for(store: Store, action: str, *, participant_id: str | None = None) -> str | None:
    """What must exist before `action` (core.wording.NEEDS) can succeed, or None when nothing is missing."""
    counts = setup_counts(store)
    if action in ("template", "stage") and not counts["profile"]:
        return "profile"
    if action in ("stage", "participant") and not counts["template"]:
        return "template"
    if action == "schedule" and participant_id:
        template = setup.get(store, "participant", participant_id).obj.template
        if not setup.list_records(store, "stage", template=template):
            return "stage"
    return None


def load_examples(store: Store) -> Outcome:
    """Loads every example set not loaded yet (one transaction); the value counts what was added."""
    added: dict[str, int] = {}
    have = {r["name"].casefold() for r in setup.list_records(store, "template")}
    with store.transaction():
        for preset in PRESETS:
            data = preset_bundle(preset)
            if any(t["name"].casefold() in have for t in data.get("templates", [])):
                continue  # already loaded: loading again adds nothing
            for key, n in bundle.import_bundle(store, data, source=f"{preset}.yaml").items():
                added[key] = added.get(key, 0) + n
    return Outcome(added, changes("profile", "template", "stage", "participant"), None, "Load the example set")
