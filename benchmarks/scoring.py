"""Scoring benchmarks: a 40-turn session scored per dimension with the embedded model, its scorecard, a 500-card batch.

Run: .venv/bin/python benchmarks/scoring.py [--samples 3] [--batch 500]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.core.transcript import Turn  # noqa: E402
from desktop_app.evaluation import ai_scorer, service  # noqa: E402
from desktop_app.reports.exports import export_scorecards  # noqa: E402
from desktop_app.reports.scorecard import render_scorecard  # noqa: E402
from desktop_app.store import sessions, setup  # noqa: E402
from desktop_app.store.db import Store  # noqa: E402

ANSWERS = [
    "At my previous job our checkout service timed out during sales. I profiled it with Grafana, moved sessions to "
    "Redis and added a Kafka queue. As a result p95 latency fell from 2.1 s to 300 ms.",
    "I was responsible for the nightly Python jobs. I wrote tests, added retries and moved them to Airflow; failures "
    "fell by 90% in two months and I wrote a one page note so the team could run them.",
    "When two teams disagreed about the API, I set up a meeting, wrote down both options with their costs and we "
    "picked one within a week. Delivery was on time.",
    "I mentor two juniors. Every week I review their pull requests with them and we pick one thing to improve.",
]
RUBRIC = [
    {"name": "Problem solving", "weight": 40, "description": "Breaks problems down, finds root causes, measures results"},
    {"name": "Communication", "weight": 30, "description": "Explains clearly with structure and concrete detail"},
    {"name": "Collaboration", "weight": 30, "description": "Works with others, resolves disagreement, helps the team"},
]


def build(store: Store, method: str, samples: int) -> str:
    """A template, a stage, a participant and one completed 40-turn session."""
    n = time.monotonic_ns()
    profile = setup.save(store, "profile", {"name": f"Bench {n}", "rubric": RUBRIC,
                                            "scoring": {"method": method, "samples": samples}})
    template = setup.save(store, "template", {"name": f"Bench {n}", "skills": ["Python", "Redis", "Kafka"],
                                              "traits": ["ownership"]})
    stage = setup.save(store, "stage", {"template": template.id, "name": "Round 1", "agent_profile": profile.id,
                                        "pass_threshold": 6})
    person = setup.save(store, "participant", {"name": "Bench Candidate", "email": f"b{n}@example.com",
                                               "template": template.id, "external_id": f"EXT-{n}"})
    rec = sessions.schedule_session(store, person.id, stage.id)
    sessions.set_status(store, rec.id, "in_progress")
    t = 0.0
    for i in range(20):
        sessions.add_turn(store, Turn(rec.id, -1, "interviewer", f"Question {i + 1}: tell me about a time you had to "
                                      "solve a hard problem?", t, t + 5, kind="question"))
        text = ANSWERS[i % len(ANSWERS)]
        sessions.add_turn(store, Turn(rec.id, -1, "candidate", text, t + 7, t + 30, meta={"latency_s": 2 + i % 3}))
        t += 32
    sessions.set_status(store, rec.id, "completed")
    return rec.id


def main() -> None:
    """Prints the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    from desktop_app.engines.registry import load_llm

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "data")
        t0 = time.perf_counter()
        llm = load_llm(store.paths, {})
        print(f"model load: {time.perf_counter() - t0:.2f} s ({Path(llm.model_path).name})")
        sid = build(store, "weighted_average", args.samples)
        marks: list[tuple[str, float]] = []
        last = [time.perf_counter()]

        def progress(done: int, total: int, label: str) -> None:
            if done % args.samples == 0:
                now = time.perf_counter()
                marks.append((label, now - last[0]))
                last[0] = now

        ai_scorer._MEMO.clear()
        t0 = time.perf_counter()
        data = service.score_session(store, sid, llm=llm, progress=progress)
        total = time.perf_counter() - t0
        print(f"score 40-turn session, {len(RUBRIC)} dimensions x {args.samples} samples: {total:.2f} s")
        for label, secs in marks:
            print(f"  {label:<16} {secs:.2f} s")
        print(f"  overall {data['result']['overall']} of 10")
        turns = sessions.list_turns(store, sid)
        render_scorecard(data, turns, Path(tmp) / "warm.pdf")
        times = []
        for i in range(20):
            t0 = time.perf_counter()
            render_scorecard(data, turns, Path(tmp) / f"card{i}.pdf")
            times.append(time.perf_counter() - t0)
        times.sort()
        print(f"scorecard PDF, 40-turn transcript: median {times[10] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms "
              f"(target <= 150 ms)")
        rule_ids = [sid]
        for _ in range(args.batch - 1):
            rid = build(store, "rule_based", 1)
            service.score_session(store, rid)
            rule_ids.append(rid)
        out = Path(tmp) / "batch"
        out.mkdir()
        t0 = time.perf_counter()
        written = export_scorecards(store, rule_ids, out)
        batch = time.perf_counter() - t0
        print(f"batch of {len(written)} scorecards: {batch:.1f} s ({batch / len(written) * 1000:.0f} ms each)")
        store.close()


if __name__ == "__main__":
    main()
