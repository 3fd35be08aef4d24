"""Lists benchmark: the Sessions and Participants lists loaded the way the GUI loads them, paged against the old full fetch.

Builds 20,000 participants and 50,000 sessions (with results) through the store's own tables, then times the
operations the list pages run on the store worker: the first page (with its COUNT), the next page, a search, and
the old full fetch (every row, filtered in Python) as the baseline. Prints median ms, the ratio new/old and the
peak Python memory of each call. Figures only: nothing here asserts a time.
Usage: python benchmarks/lists.py [--scale 1.0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.store import setup
from desktop_app.store.db import Store, now_iso, to_json
from desktop_app.store.sessions import list_sessions
from desktop_app.ui import session_ops
from desktop_app.ui.operations import list_rows

FIRST = ("Ada", "Bo", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ivo", "Jun", "Kofi", "Lena", "Mateo")
LAST = ("Okafor", "Silva", "Novak", "Tanaka", "Muller", "Haddad", "Kowalski", "Larsen", "Moreau", "Quinn")
TAGS = ["senior", "junior", "remote", "onsite", "referral", "graduate", "contract", "priority"]
STATUSES = ("completed",) * 6 + ("scheduled", "cancelled", "failed", "in_progress")


def build(store: Store, scale: float, rng: random.Random) -> dict:
    """Participants, three-stage pipelines and sessions with results, spread over a year; returns names to look up."""
    n_participants, n_sessions = int(20_000 * scale), int(50_000 * scale)
    profile = setup.save(store, "profile", {"name": "Bench", "rubric": [{"name": "A", "weight": 100}]})
    templates = [setup.save(store, "template", {"name": f"Role {i}", "skills": ["Go", "SQL"]}) for i in range(8)]
    stages = [[setup.save(store, "stage", {"template": t.id, "name": name, "agent_profile": profile.id, "order": k}).id
               for k, name in enumerate(("Screen", "Technical", "Final"))] for t in templates]
    now = now_iso()
    people = []
    with store.transaction():
        rows, tag_rows = [], []
        for i in range(n_participants):
            pid, t = str(uuid.uuid4()), i % len(templates)
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
            tags = rng.sample(TAGS, 2)
            body = {"name": name, "email": f"p{i}@example.org", "template": templates[t].id,
                    "external_id": f"ATS-{i}", "tags": tags}
            rows.append((pid, templates[t].id, name, f"p{i}@example.org", f"p{i}@example.org", f"ATS-{i}",
                         to_json(body), now, now))
            tag_rows += [(pid, tag) for tag in tags]
            people.append((pid, t, name))
        store.conn.executemany(
            "INSERT INTO participants (id, template_id, name, email, email_key, external_id, body, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        store.conn.executemany("INSERT INTO participant_tags (participant_id, tag) VALUES (?, ?)", tag_rows)
    start = datetime.now(UTC) - timedelta(days=365)
    with store.transaction():
        srows, rrows = [], []
        for j in range(n_sessions):
            pid, t, _name = people[j % len(people)]
            sid, status = str(uuid.uuid4()), rng.choice(STATUSES)
            when = (start + timedelta(seconds=j * 600 + rng.randint(0, 599))).isoformat(timespec="microseconds")
            srows.append((sid, pid, stages[t][(j // len(people)) % 3], status, "live_ai_interview", when, when))
            if status == "completed":
                overall = round(rng.uniform(1, 10), 1)
                rrows.append((sid, overall, "hire" if overall >= 6 else "no_hire", int(overall >= 6),
                              rng.choice(("pending", "approved")), when))
        store.conn.executemany("INSERT INTO sessions (id, participant_id, stage_id, status, mode, created_at,"
                               " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", srows)
        store.conn.executemany("INSERT INTO results (session_id, overall, recommendation, passed, decision,"
                               " updated_at) VALUES (?, ?, ?, ?, ?, ?)", rrows)
    store.execute("ANALYZE")
    # A name far down the alphabet: it is not on the first page, so finding it needs the whole table.
    deep = max(people, key=lambda p: p[2].casefold())[2]
    return {"deep_name": deep}


def old_session_rows(store: Store, search: str = "") -> list[dict]:
    """What the Sessions list did before paging: every session (limit 1,000,000), searched in Python."""
    rows = list_sessions(store, limit=1_000_000)
    words = search.casefold().split()
    return [r for r in rows if all(w in " ".join(str(r.get(k) or "") for k in (
        "participant", "template", "stage", "external_id", "status", "recommendation")).casefold() for w in words)]


def old_participant_rows(store: Store, search: str = "") -> list[dict]:
    """What the Participants list did before paging: every participant, each template's whole pipeline overview."""
    rows = list_rows(store, "participant", search=search or None)
    standing = {}
    for template_id in {r["template_id"] for r in rows}:
        # The pipeline overview as it was: every session of the template through list_sessions(limit=1,000,000).
        stages = session_ops._stages(store, template_id)
        every = list_sessions(store, template=template_id, limit=1_000_000)
        people = setup.list_records(store, "participant", template=template_id, include_archived=False)
        for person in session_ops._standings(stages, every, people):
            standing[person["id"]] = person
    return [r for r in rows if not r["archived"] and r["id"] in standing]


def measure(fn, repeat: int) -> tuple[float, float, float, int]:
    """Median and max ms of `fn` over `repeat` runs, its peak traced Python memory in MB, and its row count."""
    fn()  # warm the page cache like a user's second visit
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    tracemalloc.start()
    result = fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    rows = result["rows"] if isinstance(result, dict) else result
    return statistics.median(times), max(times), peak, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 20k participants, 50k sessions")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure")
    parser.add_argument("--keep", help="build in this folder and keep it")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="viva-bench-lists-"))
    store = Store.open(folder)
    t0 = time.perf_counter()
    found = build(store, args.scale, random.Random(11))
    build_s = time.perf_counter() - t0
    counts = {t: store.query_one(f"SELECT count(*) AS n FROM {t}")["n"] for t in ("participants", "sessions")}
    deep = found["deep_name"]
    first_sessions = session_ops.session_list_page(store)
    first_people = session_ops.participant_list_page(store)
    pairs = [
        ("sessions: first page + count", lambda: session_ops.session_list_page(store),
         lambda: old_session_rows(store)),
        ("sessions: next page", lambda: session_ops.session_list_page(store, after=first_sessions["next"]),
         lambda: old_session_rows(store)),
        ("sessions: search 'hire' + count", lambda: session_ops.session_list_page(store, search="hire"),
         lambda: old_session_rows(store, "hire")),
        ("participants: first page + count", lambda: session_ops.participant_list_page(store),
         lambda: old_participant_rows(store)),
        ("participants: next page", lambda: session_ops.participant_list_page(store, after=first_people["next"]),
         lambda: old_participant_rows(store)),
        ("participants: search (row past page 1)", lambda: session_ops.participant_list_page(store, search=deep),
         lambda: old_participant_rows(store, deep)),
    ]
    print(f"rows: {counts['participants']:,} participants, {counts['sessions']:,} sessions (built in {build_s:.0f} s)")
    print(f"{'list operation (as the GUI runs it)':40} {'new ms':>8} {'max':>7} {'MB':>6} {'rows':>6} | "
          f"{'old ms':>8} {'max':>7} {'MB':>6} {'rows':>6} | {'new/old':>7}")
    figures = {}
    for name, new, old in pairs:
        n_med, n_max, n_mb, n_rows = measure(new, args.repeat)
        o_med, o_max, o_mb, o_rows = measure(old, args.repeat)
        figures[name] = {"new_ms": round(n_med, 2), "old_ms": round(o_med, 2), "ratio": round(n_med / o_med, 4),
                         "new_peak_mb": round(n_mb, 2), "old_peak_mb": round(o_mb, 2)}
        print(f"{name:40} {n_med:8.1f} {n_max:7.1f} {n_mb:6.1f} {n_rows:6d} | {o_med:8.1f} {o_max:7.1f} {o_mb:6.1f}"
              f" {o_rows:6d} | {n_med / o_med:7.3f}")
    print(f"counts shown: {first_sessions['total']:,} sessions, {first_people['total']:,} participants")
    print(json.dumps(figures))
    store.close()


if __name__ == "__main__":
    main()
