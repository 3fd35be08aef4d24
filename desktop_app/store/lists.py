"""The Sessions and Participants lists one page at a time (keyset paging), with their counts, filtered in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.store import setup
from desktop_app.store.db import Store

PAGE_SIZE = 200


@dataclass(frozen=True)
class Page:
    """One page of list rows and the cursor of the next (None at the end)."""

    rows: list[dict[str, Any]]
    next: tuple[str, str] | None


def _like(text: str) -> str:
    """A LIKE pattern for text anywhere, with % and _ taken literally (ESCAPE '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _words(search: str | None) -> list[str]:
    """LIKE patterns, one per word: a row must contain every word."""
    return [_like(word) for word in (search or "").split()]


# ------------------------------------------------------------------ sessions

_SESSION_FROM = (
    " FROM sessions s JOIN participants p ON p.id = s.participant_id JOIN stages st ON st.id = s.stage_id"
    " JOIN templates t ON t.id = st.template_id LEFT JOIN results r ON r.session_id = s.id"
)
# What a search looks in: the names shown in the list, the external id, the status and the recommendation in words;
# each word must be in one of them. Every condition reads only the sessions row, the names through IN (subquery),
# which SQLite builds once per query: the COUNT needs no join, and the small tables are searched once, not per row.
_SESSION_WORD = (
    "(s.participant_id IN (SELECT id FROM participants WHERE name LIKE ? ESCAPE '\\' OR external_id LIKE ? ESCAPE '\\')"
    " OR s.stage_id IN (SELECT st.id FROM stages st JOIN templates t ON t.id = st.template_id"
    " WHERE st.name LIKE ? ESCAPE '\\' OR t.name LIKE ? ESCAPE '\\')"
    " OR replace(s.status, '_', ' ') LIKE ? ESCAPE '\\'"
    " OR s.id IN (SELECT session_id FROM results WHERE replace(recommendation, '_', ' ') LIKE ? ESCAPE '\\'))"
)


def session_filters(store: Store, *, participant: str | None = None, stage: str | None = None,
                    template: str | None = None, status: str | None = None,
                    search: str | None = None) -> tuple[list[str], list[Any]]:
    """SQL conditions (on sessions as `s`) and their parameters for the sessions lists' filters and search."""
    where: list[str] = []
    params: list[Any] = []
    if participant:
        where.append("s.participant_id = ?")
        params.append(setup.get(store, "participant", participant).id)
    if stage:
        where.append("s.stage_id = ?")
        params.append(setup.get(store, "stage", stage).id)
    if template:
        where.append("s.stage_id IN (SELECT id FROM stages WHERE template_id = ?)")
        params.append(setup.resolve_id(store, "template", template))
    if status:
        where.append("s.status = ?")
        params.append(status)
    for pattern in _words(search):
        where.append(_SESSION_WORD)
        params += [pattern] * _SESSION_WORD.count("?")
    return where, params


def session_page(store: Store, *, participant: str | None = None, stage: str | None = None,
                 template: str | None = None, status: str | None = None, search: str | None = None,
                 after: tuple[str, str] | None = None, limit: int = PAGE_SIZE) -> Page:
    """Session summaries newest first, `limit` at a time from after the cursor `after` (created_at, id)."""
    where, params = session_filters(store, participant=participant, stage=stage, template=template, status=status,
                                   search=search)
    if after is not None:
        # A row value compares (created_at, id) as one key, which the sessions_created_id index walks.
        where.append("(s.created_at, s.id) < (?, ?)")
        params += list(after)
    sql = (
        "SELECT s.id, s.status, s.mode, s.attempt, s.created_at, s.started_at, s.ended_at, s.participant_id,"
        " p.name AS participant, p.external_id, st.id AS stage_id, st.name AS stage, t.name AS template,"
        " r.overall, r.recommendation, r.decision, r.passed" + _SESSION_FROM
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY s.created_at DESC, s.id DESC LIMIT ?"
    rows = store.query(sql, (*params, limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, (rows[-1]["created_at"], rows[-1]["id"]) if more else None)


def count_sessions(store: Store, *, participant: str | None = None, stage: str | None = None,
                   template: str | None = None, status: str | None = None, search: str | None = None) -> int:
    """How many sessions match the filters (a COUNT over the sessions table alone, no rows fetched)."""
    where, params = session_filters(store, participant=participant, stage=stage, template=template, status=status,
                                   search=search)
    sql = "SELECT count(*) AS n FROM sessions s" + (" WHERE " + " AND ".join(where) if where else "")
    return store.query_value(sql, params)


def session_ids(store: Store, **filters: Any) -> list[str]:
    """Every matching session id, newest first (for exporting what the list shows, all pages of it)."""
    where, params = session_filters(store, participant=filters.get("participant"), stage=filters.get("stage"),
                                   template=filters.get("template"), status=filters.get("status"),
                                   search=filters.get("search"))
    sql = "SELECT s.id FROM sessions s" + (" WHERE " + " AND ".join(where) if where else "")
    return [r["id"] for r in store.query(sql + " ORDER BY s.created_at DESC, s.id DESC", params)]


# ------------------------------------------------------------------ participants


def _participant_where(store: Store, *, template: str | None, tag: str | None, search: str | None,
                       include_archived: bool) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if template:
        where.append("x.template_id = ?")
        params.append(setup.resolve_id(store, "template", template, field="template"))
    if tag:
        where.append("x.id IN (SELECT participant_id FROM participant_tags WHERE tag = ?)")
        params.append(tag)
    if search and search.strip():
        # The whole text as one phrase, as before paging: the body holds ids too, so single words would match noise.
        pattern = _like(search.strip())
        where.append("(x.name LIKE ? ESCAPE '\\' OR x.body LIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    if not include_archived:
        where.append("x.archived = 0")
    return where, params


def participant_page(store: Store, *, template: str | None = None, tag: str | None = None, search: str | None = None,
                     include_archived: bool = False, after: tuple[str, str] | None = None,
                     limit: int = PAGE_SIZE) -> Page:
    """Participant summaries (setup.summary plus `archived`) by name, `limit` at a time after the cursor (name, id)."""
    where, params = _participant_where(store, template=template, tag=tag, search=search,
                                       include_archived=include_archived)
    if after is not None:
        # The participants_name index holds (name COLLATE NOCASE, id): the row value walks it from the cursor.
        where.append("(x.name COLLATE NOCASE, x.id) > (?, ?)")
        params += list(after)
    sql = "SELECT x.* FROM participants x" + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY x.name COLLATE NOCASE, x.id LIMIT ?"
    found = store.query(sql, (*params, limit + 1))
    more = len(found) > limit
    found = found[:limit]
    rows = [{**setup.summary("participant", r), "archived": bool(r["archived"])} for r in found]
    return Page(rows, (found[-1]["name"], found[-1]["id"]) if more else None)


def count_participants(store: Store, *, template: str | None = None, tag: str | None = None,
                       search: str | None = None, include_archived: bool = False) -> int:
    """How many participants match the filters (a COUNT, no rows fetched)."""
    where, params = _participant_where(store, template=template, tag=tag, search=search,
                                       include_archived=include_archived)
    sql = "SELECT count(*) AS n FROM participants x" + (" WHERE " + " AND ".join(where) if where else "")
    return store.query_value(sql, params)


_STANDING_COLUMNS = ("SELECT s.id, s.participant_id, s.stage_id, s.status, s.created_at, r.overall, r.recommendation,"
                     " r.decision, r.passed FROM sessions s LEFT JOIN results r ON r.session_id = s.id")


def template_sessions(store: Store, template_id: str) -> list[dict[str, Any]]:
    """Every session at a template's stages with its result, newest first (the pipeline overview reads these)."""
    return store.query(_STANDING_COLUMNS + " JOIN stages st ON st.id = s.stage_id WHERE st.template_id = ?"
                       " ORDER BY s.created_at DESC, s.id DESC", (template_id,))


def sessions_of(store: Store, participant_ids: list[str]) -> list[dict[str, Any]]:
    """Every session of these participants with its result, newest first (their standing is read from these)."""
    if not participant_ids:
        return []
    marks = ", ".join("?" for _ in participant_ids)
    return store.query(_STANDING_COLUMNS + f" WHERE s.participant_id IN ({marks}) ORDER BY s.created_at DESC, s.id DESC",
                       participant_ids)
