"""The Sessions and Participants lists with more than a page of rows: first page, more on scrolling, search, counts."""

from __future__ import annotations

from desktop_app.store import lists, sessions, setup
from tests.ui.conftest import rows_of, run, wait_idle

MANY = 450  # more than two pages of lists.PAGE_SIZE


def add_people(store, n: int) -> None:
    """`n` participants of the first example template, each with a session scheduled at its first stage."""
    template = setup.list_records(store, "template")[0]["id"]
    stage = setup.list_records(store, "stage", template=template)[0]["id"]
    with store.transaction():
        for i in range(n):
            person = setup.save(store, "participant", {"name": f"Bulk {i:03d}", "email": f"bulk{i}@example.org",
                                                       "template": template})
            sessions.schedule_session(store, person.id, stage)


def scroll_to_the_end(qtbot, ctx, page, total: int) -> None:
    """Scrolls to the bottom until every row is loaded (each scroll to the end fetches the next page)."""
    for _ in range(total // lists.PAGE_SIZE + 2):
        page.table.scrollToBottom()
        wait_idle(qtbot, ctx)
        if len(rows_of(page)) == total:
            return


def test_participants_list_pages_scrolls_searches_and_counts(qtbot, demo_gui):
    ctx, window = demo_gui
    run(ctx, lambda s: add_people(s, MANY))
    total = run(ctx, lambda s: lists.count_participants(s))
    assert total > 2 * lists.PAGE_SIZE
    page = window.show_page("participant")
    page.refresh()
    wait_idle(qtbot, ctx)
    assert len(rows_of(page)) == lists.PAGE_SIZE, "only the first page is loaded"
    assert page.count_label.text() == f"{total} participants", "the count is of every participant, not the page"
    assert page.table.source.canFetchMore()

    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: len(rows_of(page)) == 2 * lists.PAGE_SIZE)
    scroll_to_the_end(qtbot, ctx, page, total)
    loaded = rows_of(page)
    assert len(loaded) == len({r["id"] for r in loaded}) == total, "each row once"
    assert not page.table.source.canFetchMore()
    assert {r["state"] for r in loaded if r["name"].startswith("Bulk")} == {"scheduled"}

    page.search.setText("Bulk 449")  # far past the first page
    qtbot.waitUntil(lambda: [r["name"] for r in rows_of(page)] == ["Bulk 449"])
    assert page.count_label.text() == "1 participant match the search and filters"
    page.search.setText("Bulk 4")
    qtbot.waitUntil(lambda: len(rows_of(page)) == 50)
    assert page.count_label.text() == "50 participants match the search and filters"


def test_sessions_list_pages_scrolls_searches_and_counts(qtbot, demo_gui):
    ctx, window = demo_gui
    run(ctx, lambda s: add_people(s, MANY))
    total = run(ctx, lambda s: lists.count_sessions(s))
    page = window.show_page("session")
    page.refresh()
    wait_idle(qtbot, ctx)
    first = rows_of(page)
    assert len(first) == lists.PAGE_SIZE and page.count_label.text() == f"{total} sessions"
    assert first[0]["participant"] == "Bulk 449", "newest first"

    scroll_to_the_end(qtbot, ctx, page, total)
    loaded = rows_of(page)
    assert len(loaded) == len({r["id"] for r in loaded}) == total

    page.search.setText("bulk 000")  # the oldest session: on the last page
    qtbot.waitUntil(lambda: [r["participant"] for r in rows_of(page)] == ["Bulk 000"])
    assert page.count_label.text() == "1 session match the search and filters"

    status_box = page.filters["status"]
    page.search.setText("")
    qtbot.waitUntil(lambda: status_box.findData("cancelled") >= 0)
    status_box.setCurrentIndex(status_box.findData("cancelled"))
    qtbot.waitUntil(lambda: page.count_label.text() == "0 sessions match the search and filters")
    status_box.setCurrentIndex(status_box.findData("scheduled"))
    qtbot.waitUntil(lambda: page.count_label.text() == f"{total} sessions match the search and filters")
    assert len(rows_of(page)) == lists.PAGE_SIZE

    exported: list[list[str]] = []
    page.export_requested.connect(exported.append)
    page.export()
    wait_idle(qtbot, ctx)
    assert len(exported[0]) == total, "export takes every matching session, also those not loaded"
