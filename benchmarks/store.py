"""Store benchmark: 10,000 participants, 100,000 sessions, 1,000,000 turns; times the common queries.

Prints one table. Targets (2 cores): every list/show query <= 50 ms, full-text search <= 100 ms.
Usage: python benchmarks/store.py [--scale 1.0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.store import sessions, setup
from desktop_app.store.db import Store, now_iso, to_json

WORDS = ("design latency postgres replication queue kafka incident ownership customer refund team deadline "
         "shard cache index migration rollback metrics alert budget hiring mentor conflict priority tradeoff "
         "throughput retry idempotent ledger audit schema service golang python testing deploy canary").split()
TAGS = ["senior", "junior", "remote", "onsite", "referral", "graduate", "contract", "priority"]


def build(store: Store, scale: float, rng: random.Random) -> dict:
    """Fills the database with a realistic-looking spread of rows; returns ids to query."""
    n_participants, n_sessions, turns_per_session = int(10_000 * scale), int(100_000 * scale), 10
    profile = setup.save(store, "profile", {"name": "Bench", "rubric": [{"name": "A", "weight": 100}]})
    templates = [setup.save(store, "template", {"name": f"Role {i}", "skills": ["Go", "SQL"]}) for i in range(10)]
    stages = [setup.save(store, "stage", {"template": t.id, "name": "Screen", "agent_profile": profile.id})
              for t in templates]
    now = now_iso()
    people = []
    with store.transaction():
        rows, tag_rows = [], []
        for i in range(n_participants):
            pid = str(uuid.uuid4())
            t = i % len(templates)
            tags = rng.sample(TAGS, 2)
            body = {"name": f"Person {i}", "email": f"p{i}@example.org", "template": templates[t].id,
                    "external_id": f"ATS-{i}", "tags": tags}
            rows.append((pid, templates[t].id, f"Person {i}", f"p{i}@example.org", f"p{i}@example.org", f"ATS-{i}",
                         to_json(body), now, now))
            tag_rows += [(pid, tag) for tag in tags]
            people.append((pid, t))
        store.conn.executemany(
            "INSERT INTO participants (id, template_id, name, email, email_key, external_id, body, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        store.conn.executemany("INSERT INTO participant_tags (participant_id, tag) VALUES (?, ?)", tag_rows)
    session_ids = []
    for start in range(0, n_sessions, 10_000):
        with store.transaction():
            srows, trows = [], []
            for j in range(start, min(start + 10_000, n_sessions)):
                pid, t = people[j % len(people)]
                sid = str(uuid.uuid4())
                session_ids.append(sid)
                srows.append((sid, pid, stages[t].id, "completed", "live_ai_interview", now, now))
                for k in range(turns_per_session):
                    text = " ".join(rng.choices(WORDS, k=rng.randint(6, 30)))
                    trows.append((str(uuid.uuid4()), sid, k, "candidate" if k % 2 else "interviewer", "answer", text,
                                  k * 10.0, k * 10.0 + 8, "{}", now))
            store.conn.executemany(
                "INSERT INTO sessions (id, participant_id, stage_id, status, mode, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", srows)
            store.conn.executemany(
                "INSERT INTO turns (id, session_id, idx, speaker, kind, text, started_at, ended_at, meta, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", trows)
    store.execute("ANALYZE")
    return {"template": templates[3].id, "participants": [p for p, _ in people], "sessions": session_ids}


def timed(fn, repeat: int = 20) -> tuple[float, float, int]:
    """Median and max milliseconds of `fn` over `repeat` runs, and the size of its result."""
    fn()  # warm the page cache like a user's second click
    times, size = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
        size = len(result) if hasattr(result, "__len__") else 1
    return statistics.median(times), max(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10k participants, 100k sessions, 1M turns")
    parser.add_argument("--keep", help="build in this folder and keep it")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="viva-bench-"))
    rng = random.Random(7)
    store = Store.open(folder)
    t0 = time.perf_counter()
    ids = build(store, args.scale, rng)
    build_s = time.perf_counter() - t0
    counts = {t: store.query_one(f"SELECT count(*) AS n FROM {t}")["n"] for t in ("participants", "sessions", "turns")}
    person = ids["participants"][1234 % len(ids["participants"])]
    rows = [
        ("participants of a template, tag filter", 50,
         lambda: setup.list_records(store, "participant", template=ids["template"], tag="remote")),
        ("one participant with all sessions", 50,
         lambda: (setup.get(store, "participant", person), sessions.list_sessions(store, participant=person))),
        ("one session's transcript", 50, lambda: sessions.list_turns(store, ids["sessions"][777])),
        ("sessions list (latest 500)", 50, lambda: sessions.list_sessions(store)),
        ("full-text search, rare pair", 100, lambda: sessions.search_turns(store, "idempotent ledger canary")),
        ("full-text search, common word", 100, lambda: sessions.search_turns(store, "design")),
    ]
    print(f"rows: {counts['participants']:,} participants, {counts['sessions']:,} sessions, {counts['turns']:,} turns "
          f"(built in {build_s:.0f} s, db {(folder / 'viva.sqlite3').stat().st_size / 1e6:.0f} MB)")
    print(f"{'query':42} {'median ms':>10} {'max ms':>8} {'target':>7} {'rows':>6}  ok")
    results = {}
    for name, target, fn in rows:
        med, worst, size = timed(fn)
        results[name] = med
        print(f"{name:42} {med:10.2f} {worst:8.2f} {target:7d} {size:6d}  {'yes' if med <= target else 'NO'}")
    print(json.dumps({"median_ms": results}))
    store.close()


if __name__ == "__main__":
    main()
