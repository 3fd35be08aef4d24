"""Named operations on the four setup concepts: profiles, templates, stages, participants."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.errors import InUse, NotFound, UserError
from desktop_app.core.models import (
    MODELS,
    AgentProfile,
    EvaluationStage,
    EvaluationTemplate,
    Participant,
    check_threshold_on_scale,
)
from desktop_app.core.validation import parse_model
from desktop_app.store.db import Store, from_json, new_id, now_iso, to_json

TABLES = {"profile": "profiles", "template": "templates", "stage": "stages", "participant": "participants"}
META_KEYS = ("id", "created_at", "updated_at", "createdAt", "updatedAt", "template_id", "profile_id")


@dataclass(frozen=True)
class Record:
    """A stored object: its id, validated value and timestamps."""

    kind: str
    id: str
    obj: Any
    created_at: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        """The object as JSON-ready dict with its id and timestamps."""
        return {"id": self.id, **self.obj.dump(), "created_at": self.created_at, "updated_at": self.updated_at}


def _table(kind: str) -> str:
    if kind not in TABLES:
        raise UserError(f"unknown kind {kind!r}")
    return TABLES[kind]


def _record(kind: str, row: dict[str, Any]) -> Record:
    model = MODELS[kind]
    obj = model.model_validate(from_json(row["body"]))
    return Record(kind, row["id"], obj, row["created_at"], row["updated_at"])


def get(store: Store, kind: str, ref: str, *, template_id: str | None = None) -> Record:
    """An object by id, or by its unique name (case-insensitive)."""
    table = _table(kind)
    row = store.query_one(f"SELECT * FROM {table} WHERE id = ?", (ref,))
    if row is None:
        sql = f"SELECT * FROM {table} WHERE name = ? COLLATE NOCASE"
        params: tuple = (ref,)
        if template_id and kind in ("stage", "participant"):
            sql += " AND template_id = ?"
            params += (template_id,)
        rows = store.query(sql + " LIMIT 3", params)
        if len(rows) > 1:
            raise UserError(f"name {ref!r} matches several {kind}s; use the id", field=kind)
        row = rows[0] if rows else None
    if row is None:
        raise NotFound(f"no {kind} with id or name {ref!r}", field=kind)
    return _record(kind, row)


def resolve_id(store: Store, kind: str, ref: str, *, field: str | None = None) -> str:
    """The id of the object `ref` names; UserError naming the field otherwise."""
    try:
        return get(store, kind, ref).id
    except NotFound:
        raise UserError(f"no {kind} with id or name {ref!r}", field=field or kind) from None


def _strip_meta(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in META_KEYS}


def _check_stage(store: Store, stage: EvaluationStage, *, stage_id: str | None, source: str | None) -> tuple[str, str]:
    template_id = resolve_id(store, "template", stage.template, field="template")
    profile_id = resolve_id(store, "profile", stage.agent_profile, field="agent_profile")
    profile = get(store, "profile", profile_id).obj
    try:
        check_threshold_on_scale(stage, profile)
    except ValueError as exc:
        raise UserError(str(exc), source=source, field="pass_threshold") from None
    count = store.query_value(
        "SELECT count(*) AS n FROM stages WHERE template_id = ? AND id IS NOT ?", (template_id, stage_id)
    )
    if stage.order > count:
        raise UserError(
            f"{stage.order} leaves a gap: the template has {count} other stage(s), order must be 0..{count}",
            source=source, field="order",
        )
    clash = store.query_one(
        "SELECT id FROM stages WHERE template_id = ? AND name = ? COLLATE NOCASE AND id IS NOT ?",
        (template_id, stage.name, stage_id),
    )
    if clash:
        raise UserError(f"{stage.name!r} is already a stage of this template, names must be unique", source=source, field="name")
    return template_id, profile_id


def _place_stage(store: Store, template_id: str, stage_id: str, order: int) -> None:
    """Moves a stage to `order`, shifting the others so orders stay 0..n-1."""
    others = [r["id"] for r in store.query(
        "SELECT id FROM stages WHERE template_id = ? AND id != ? ORDER BY position, created_at", (template_id, stage_id)
    )]
    others.insert(min(order, len(others)), stage_id)
    # Two passes avoid transient clashes if a unique index on position is ever added.
    for pos, sid in enumerate(others):
        store.execute("UPDATE stages SET position = ? WHERE id = ?", (-1 - pos, sid))
    for pos, sid in enumerate(others):
        store.execute("UPDATE stages SET position = ?, body = json_set(body, '$.order', ?) WHERE id = ?", (pos, pos, sid))


def _check_participant(store: Store, person: Participant, *, participant_id: str | None, source: str | None) -> str:
    template_id = resolve_id(store, "template", person.template, field="template")
    clash = store.query_one(
        "SELECT name FROM participants WHERE template_id = ? AND email_key = ? AND id IS NOT ?",
        (template_id, person.email.casefold(), participant_id),
    )
    if clash:
        raise UserError(
            f"{person.email} is already used by {clash['name']!r} in this template, emails must be unique per template",
            source=source, field="email",
        )
    return template_id


def _store_resume(store: Store, person: Participant, participant_id: str, source: str | None) -> Participant:
    """Copies a resume file into the data folder and stores its text."""
    from desktop_app.core.resume import extract_resume_text

    if not person.resume or store.paths is None:
        return person
    src = Path(person.resume).expanduser()
    if source and not src.is_absolute():
        src = Path(source).parent / src
    dest_dir = store.paths.resumes / participant_id
    if src.resolve().parent == dest_dir.resolve():
        return person
    try:
        text = extract_resume_text(src)
    except UserError as exc:
        raise exc.with_source(source) if source else exc
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / src.name
    shutil.copyfile(src, dest)
    return person.model_copy(update={"resume": str(dest), "resume_text": text})


def _write(store: Store, kind: str, obj: AgentProfile | EvaluationTemplate | EvaluationStage | Participant,
           record_id: str, *, created: str, extra: dict[str, Any]) -> None:
    table = _table(kind)
    row = {"id": record_id, "name": obj.name, "body": to_json(obj.dump()), "created_at": created, "updated_at": now_iso(), **extra}
    cols = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" for _ in row)
    store.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))


def save(store: Store, kind: str, data: dict[str, Any], *, record_id: str | None = None, source: str | None = None,
         operator: str = "operator") -> Record:
    """Creates (record_id None) or replaces an object from a dict; one transaction."""
    obj = parse_model(MODELS[kind], _strip_meta(data), source)
    return save_object(store, kind, obj, record_id=record_id, source=source, operator=operator)


def save_object(store: Store, kind: str, obj: Any, *, record_id: str | None = None, source: str | None = None,
                operator: str = "operator") -> Record:
    """Creates or replaces a validated object, enforcing cross-object rules; one transaction."""
    with store.transaction():
        created = now_iso()
        if record_id is not None:
            existing = store.query_one(f"SELECT created_at FROM {_table(kind)} WHERE id = ?", (record_id,))
            if existing is None:
                raise NotFound(f"no {kind} with id {record_id!r}")
            created = existing["created_at"]
        new = record_id is None
        record_id = record_id or new_id()
        clash = store.query_one(
            f"SELECT id FROM {_table(kind)} WHERE name = ? COLLATE NOCASE AND id != ?", (obj.name, record_id)
        ) if kind in ("profile", "template") else None
        if clash:
            raise UserError(f"{obj.name!r} is already taken, {kind} names must be unique", source=source, field="name")
        extra: dict[str, Any] = {}
        if kind == "profile":
            extra = {"archived": int(obj.archived)}
            if not new:
                _check_profile_thresholds(store, record_id, obj, source)
        elif kind == "template":
            extra = {"use_case": obj.use_case, "status": obj.status}
        elif kind == "stage":
            template_id, profile_id = _check_stage(store, obj, stage_id=None if new else record_id, source=source)
            obj = obj.model_copy(update={"template": template_id, "agent_profile": profile_id})
            extra = {"template_id": template_id, "profile_id": profile_id, "position": obj.order}
        elif kind == "participant":
            template_id = _check_participant(store, obj, participant_id=None if new else record_id, source=source)
            obj = _store_resume(store, obj.model_copy(update={"template": template_id}), record_id, source)
            extra = {"template_id": template_id, "email": obj.email, "email_key": obj.email.casefold(),
                     "external_id": obj.external_id, "archived": int(obj.archived)}
        if kind == "stage" and not new:
            # INSERT OR REPLACE would delete the row and trip RESTRICT on its sessions.
            store.execute(
                "UPDATE stages SET template_id=?, profile_id=?, name=?, body=?, updated_at=? WHERE id=?",
                (extra["template_id"], extra["profile_id"], obj.name, to_json(obj.dump()), now_iso(), record_id),
            )
        elif new:
            _write(store, kind, obj, record_id, created=created, extra=extra)
        else:
            sets = {"name": obj.name, "body": to_json(obj.dump()), "updated_at": now_iso(), **extra}
            store.execute(
                f"UPDATE {_table(kind)} SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                (*sets.values(), record_id),
            )
        if kind == "stage":
            _place_stage(store, extra["template_id"], record_id, obj.order)
        if kind == "participant":
            store.execute("DELETE FROM participant_tags WHERE participant_id = ?", (record_id,))
            store.conn.executemany(
                "INSERT INTO participant_tags (participant_id, tag) VALUES (?, ?)", [(record_id, t) for t in obj.tags]
            )
        store.audit(operator, "create" if new else "update", kind, record_id, name=obj.name)
        return get(store, kind, record_id)


def _check_profile_thresholds(store: Store, profile_id: str, profile: AgentProfile, source: str | None) -> None:
    """A profile's new scale must still hold every stage threshold that uses it."""
    for row in store.query("SELECT name, body FROM stages WHERE profile_id = ?", (profile_id,)):
        stage = EvaluationStage.model_validate(from_json(row["body"]))
        try:
            check_threshold_on_scale(stage, profile)
        except ValueError:
            raise UserError(
                f"scale {profile.scoring.scale} does not hold stage {row['name']!r}'s pass_threshold {stage.pass_threshold:g}",
                source=source, field="scoring.scale",
            ) from None


def _users(store: Store, kind: str, record_id: str) -> list[str]:
    if kind == "profile":
        return [f"stage {r['name']!r} of template {r['t']!r}" for r in store.query(
            "SELECT s.name, t.name AS t FROM stages s JOIN templates t ON t.id = s.template_id WHERE s.profile_id = ?",
            (record_id,))]
    if kind == "template":
        stages = [f"stage {r['name']!r}" for r in store.query(
            "SELECT name FROM stages WHERE template_id = ? ORDER BY position", (record_id,))]
        people = [f"participant {r['name']!r}" for r in store.query(
            "SELECT name FROM participants WHERE template_id = ? LIMIT 20", (record_id,))]
        return stages + people
    if kind == "stage":
        n = store.query_value("SELECT count(*) AS n FROM sessions WHERE stage_id = ?", (record_id,))
        return [f"{n} session(s)"] if n else []
    return []


def delete(store: Store, kind: str, ref: str, *, operator: str = "operator") -> Record:
    """Deletes an object; refuses when it is in use; a participant takes all their data with them."""
    with store.transaction():
        record = get(store, kind, ref)
        users = _users(store, kind, record.id)
        if users:
            more = f" (and {len(users) - 3} more)" if len(users) > 3 else ""
            raise InUse(f"{kind} {record.obj.name!r} is used by {', '.join(users[:3])}{more}; delete or move those first")
        session_ids = [r["id"] for r in store.query("SELECT id FROM sessions WHERE participant_id = ?", (record.id,))] \
            if kind == "participant" else []
        if kind == "stage":
            template_id = store.query_value("SELECT template_id FROM stages WHERE id = ?", (record.id,))
        store.execute(f"DELETE FROM {_table(kind)} WHERE id = ?", (record.id,))
        if kind == "stage":
            remaining = [r["id"] for r in store.query(
                "SELECT id FROM stages WHERE template_id = ? ORDER BY position", (template_id,))]
            for pos, sid in enumerate(remaining):
                store.execute("UPDATE stages SET position = ?, body = json_set(body, '$.order', ?) WHERE id = ?", (pos, pos, sid))
        # The audit entry keeps ids and counts only: no personal data survives an erasure.
        store.audit(operator, "delete", kind, record.id, sessions=len(session_ids))
    if kind == "participant" and store.paths is not None:
        for sid in session_ids:
            shutil.rmtree(store.paths.session_audio(sid), ignore_errors=True)
        shutil.rmtree(store.paths.resumes / record.id, ignore_errors=True)
    return record


def list_records(store: Store, kind: str, *, template: str | None = None, tag: str | None = None,
                 search: str | None = None, include_archived: bool = True, limit: int | None = None) -> list[dict[str, Any]]:
    """Summaries for lists and tables, newest first except stages (pipeline order)."""
    table = _table(kind)
    where: list[str] = []
    params: list[Any] = []
    if template and kind in ("stage", "participant"):
        where.append("x.template_id = ?")
        params.append(resolve_id(store, "template", template, field="template"))
    if tag and kind == "participant":
        where.append("x.id IN (SELECT participant_id FROM participant_tags WHERE tag = ?)")
        params.append(tag)
    if search:
        where.append("(x.name LIKE ? OR x.body LIKE ?)")
        params += [f"%{search}%", f"%{search}%"]
    if not include_archived and kind in ("profile", "participant"):
        where.append("x.archived = 0")
    sql = f"SELECT x.* FROM {table} x"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY x.template_id, x.position" if kind == "stage" else " ORDER BY x.name COLLATE NOCASE"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [summary(kind, row) for row in store.query(sql, params)]


def summary(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """The columns shown in lists."""
    body = from_json(row["body"])
    out: dict[str, Any] = {"id": row["id"], "name": row["name"]}
    if kind == "profile":
        out |= {"use_case": body["use_case"], "scale": body["scoring"]["scale"], "method": body["scoring"]["method"],
                "dimensions": len(body["rubric"])}
    elif kind == "template":
        out |= {"use_case": row["use_case"], "status": row["status"], "duration_minutes": body["duration_minutes"],
                "mode": body["default_session_mode"]}
    elif kind == "stage":
        out |= {"template_id": row["template_id"], "order": row["position"], "type": body["type"],
                "profile_id": row["profile_id"], "pass_threshold": body["pass_threshold"],
                "on_completion": body["on_completion"], "allow_retry": body["allow_retry"]}
    elif kind == "participant":
        out |= {"email": row["email"], "template_id": row["template_id"], "external_id": row["external_id"],
                "tags": body.get("tags", [])}
    out["updated_at"] = row["updated_at"]
    return out
