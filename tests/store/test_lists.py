"""List paging on real SQLite: keyset pages cover every row once, filters run in SQL, counts are COUNTs."""

from __future__ import annotations

from desktop_app.store import lists, sessions, setup
from desktop_app.store.db import Store
from desktop_app.ui import session_ops
from tests.store.test_store import seed


def people(store: Store, template: str, n: int, *, prefix: str = "Person") -> list[str]:
    """`n` participants in one transaction, each with a scheduled session at the template's first stage."""
    stage = setup.list_records(store, "stage", template=template)[0]["id"]
    ids = []
    with store.transaction():
        for i in range(n):
            person = setup.save(store, "participant", {"name": f"{prefix} {i:03d}", "email": f"{prefix}{i}@example.org",
                                                       "template": template, "tags": ["even" if i % 2 else "odd"]})
            sessions.schedule_session(store, person.id, stage)
            ids.append(person.id)
    return ids


def walk(fetch) -> list[dict]:
    """Every row of a paged list, page after page."""
    rows, after = [], None
    while True:
        page = fetch(after)
        rows += page.rows
        if page.next is None:
            return rows
        after = page.next


def test_pages_cover_every_row_once_in_order(store: Store):
    ids = seed(store)
    people(store, ids["template"], 23)
    all_sessions = walk(lambda after: lists.session_page(store, after=after, limit=5))
    assert len(all_sessions) == len({r["id"] for r in all_sessions}) == 23 == lists.count_sessions(store)
    keys = [(r["created_at"], r["id"]) for r in all_sessions]
    assert keys == sorted(keys, reverse=True)
    all_people = walk(lambda after: lists.participant_page(store, after=after, limit=4))
    assert [r["name"] for r in all_people] == sorted((r["name"] for r in all_people), key=str.casefold)
    assert len({r["id"] for r in all_people}) == 24 == lists.count_participants(store)


def test_search_and_filters_run_over_the_whole_table(store: Store):
    ids = seed(store)
    people(store, ids["template"], 30)
    page = lists.participant_page(store, search="Person 029", limit=5)
    assert [r["name"] for r in page.rows] == ["Person 029"] and page.next is None
    assert lists.count_participants(store, tag="odd") == 15 + 0  # Ann Lee has other tags
    assert lists.count_sessions(store, search="029 PERSON") == 1, "every word, in any order, any case"
    assert lists.count_sessions(store, search="person 02") == 11, "020-029 and 002"
    assert lists.count_sessions(store, search="%") == 0, "a % in the search is a literal character"
    assert [r["participant"] for r in lists.session_page(store, search="Person 000").rows] == ["Person 000"]


def test_the_indexes_serve_the_keyset_orders(store: Store):
    seed(store)
    plan = " ".join(r["detail"] for r in store.query(
        "EXPLAIN QUERY PLAN SELECT id FROM sessions s WHERE (s.created_at, s.id) < (?, ?)"
        " ORDER BY s.created_at DESC, s.id DESC LIMIT 10", ("z", "z")))
    assert "sessions_created_id" in plan and "TEMP B-TREE" not in plan
    plan = " ".join(r["detail"] for r in store.query(
        "EXPLAIN QUERY PLAN SELECT id FROM participants x WHERE (x.name COLLATE NOCASE, x.id) > (?, ?)"
        " ORDER BY x.name COLLATE NOCASE, x.id LIMIT 10", ("a", "a")))
    assert "participants_name" in plan and "TEMP B-TREE" not in plan


def test_participant_pages_carry_standing_and_a_standing_filter_pages_too(store: Store):
    ids = seed(store)
    people(store, ids["template"], 12)
    first = session_ops.participant_list_page(store)
    assert first["total"] == 13 and first["next"] is None
    assert {r["state"] for r in first["rows"]} == {"scheduled", "not_started"}
    scheduled = session_ops.participant_list_page(store, state="scheduled")
    assert scheduled["total"] == 12 and len(scheduled["rows"]) == 12
    assert session_ops.participant_list_page(store, state="not_started")["total"] == 1
    assert session_ops.session_list_page(store, search="Person 011")["total"] == 1
