"""Scoring benchmarks: a 30-minute interview (16 answers, 4 dimensions) scored by the embedded instruct model and by
the small model in one run, with peak memory (all engines loaded); then scorecard PDF speed and a batch of cards.

Run: .venv/bin/python benchmarks/scoring.py [--models instruct,small] [--batch 200] [--long]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.core.transcript import Turn
from desktop_app.evaluation import service
from desktop_app.reports.exports import export_scorecards
from desktop_app.reports.scorecard import render_scorecard
from desktop_app.store import sessions, setup
from desktop_app.store.db import Store

ANSWERS = [
    "At my previous job our checkout service timed out during sales. I profiled it and found every request opened "
    "a new database connection, so I added a pool and moved sessions to Redis. The p95 fell from two seconds to "
    "about three hundred milliseconds, and the next sale ran without a page.",
    "I was responsible for the nightly Python jobs. They failed twice a week, mostly on bad input files. I wrote "
    "tests for the parser, added retries with a dead-letter folder and moved the jobs to Airflow. Failures fell to "
    "about one a month, and I wrote a one-page note so anyone on the team could rerun them.",
    "When two teams disagreed about the API shape, I set up a meeting, wrote down both options with what each would "
    "cost us, and we picked one within a week. It meant the mobile team waited two days, but delivery was on time.",
    "I mentor two juniors. Every week I review their pull requests with them and we pick one thing to improve, "
    "like naming or tests. One of them now reviews other people's code on her own.",
    "Honestly I'm not sure. I think I would ask my manager what to do and then try to follow the process.",
    "I'd put a queue between the web tier and the payment worker, make every message idempotent with a key, and "
    "keep the worker stateless so we can add more when the queue grows. If the processor is down, messages wait.",
    "We had an outage once and the team fixed it. I helped where I could.",
    "I explained the migration to our support staff with a one-page timeline and a list of what customers would "
    "notice. They asked fewer questions during the cut-over than in any release before.",
]
RUBRIC = [
    {"name": "Problem solving", "weight": 30, "description": "Breaks problems down, finds root causes, measures results",
     "anchors": {"low": "Vague, no example.", "middle": "An example with some steps.",
                 "high": "A specific example with root cause, own actions and a measured result."}},
    {"name": "System design", "weight": 30, "description": "Designs services that scale and fail safely",
     "anchors": {"low": "Names components without saying how they fit.", "middle": "A workable design with a trade-off.",
                 "high": "Weighs alternatives, load and failure modes."}},
    {"name": "Communication", "weight": 20, "description": "Explains clearly with structure and concrete detail"},
    {"name": "Collaboration", "weight": 20, "description": "Works with others, resolves disagreement, helps the team"},
]
def build(store: Store, method: str, answers: int = 16, long: bool = False) -> str:
    """A template, a stage, a participant and one completed session of `answers` questions and answers."""
    n = time.monotonic_ns()
    profile = setup.save(store, "profile", {"name": f"Bench {n}", "rubric": RUBRIC, "scoring": {"method": method}})
    template = setup.save(store, "template", {"name": f"Bench {n}", "skills": ["Python", "Redis", "Kafka"],
                                              "traits": ["ownership"]})
    stage = setup.save(store, "stage", {"template": template.id, "name": "Round 1", "agent_profile": profile.id,
                                        "pass_threshold": 6})
    person = setup.save(store, "participant", {"name": "Bench Candidate", "email": f"b{n}@example.com",
                                               "template": template.id, "external_id": f"EXT-{n}"})
    rec = sessions.schedule_session(store, person.id, stage.id)
    sessions.set_status(store, rec.id, "in_progress")
    t = 0.0
    for i in range(answers):
        sessions.add_turn(store, Turn(rec.id, -1, "interviewer", f"Question {i + 1}: tell me about a time you had to "
                                      "solve a hard problem?", t, t + 5, kind="question"))
        # --long: three answers joined (~165 words, about 70 s of speech), the volume of a real 30-minute interview
        text = " ".join(ANSWERS[(i + k) % len(ANSWERS)] for k in range(3 if long else 1))
        sessions.add_turn(store, Turn(rec.id, -1, "candidate", text, t + 7, t + 100, meta={"latency_s": 2 + i % 3}))
        t += 110
    sessions.set_status(store, rec.id, "completed")
    return rec.id


def one_model(which: str, long: bool = False) -> dict:
    """In this process: load every engine, score the 16-answer interview twice (cold and again); figures as a dict."""
    from desktop_app.core.settings_model import Settings
    from desktop_app.engines.registry import build_engines

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "data")
        settings = Settings() if which == "instruct" else Settings(llm_model="small")
        t0 = time.perf_counter()
        engines = build_engines(store.paths, settings)
        llm = engines.llm
        load_s = time.perf_counter() - t0
        engines.recognizer, engines.synthesizer  # all engines loaded, as in an interview
        sid = build(store, "weighted_average", long=long)
        t0 = time.perf_counter()
        data = service.score_session(store, sid, llm=llm)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = service.score_session(store, sid, llm=llm)
        second = time.perf_counter() - t0
        same = [d["scores"]["ai"][-1]["score"] for d in data["dimensions"]] == \
               [d["scores"]["ai"][-1]["score"] for d in again["dimensions"]]
        store.close()
    return {"model": Path(llm.model_path).name, "load_s": round(load_s, 2), "score_s": round(first, 1),
            "rescore_s": round(second, 1), "same_on_rescore": same, "overall": data["result"]["overall"],
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    """Prints the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="instruct,small")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--long", action="store_true", help="answers of ~165 words instead of ~55")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_model(args.one, args.long)))
        return
    rows = []
    for which in args.models.split(","):
        out = subprocess.run([sys.executable, __file__, "--one", which] + (["--long"] if args.long else []),
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    words = "~165" if args.long else "~55"
    print(f"scoring a 30-minute interview (16 answers of {words} words, 4 dimensions), every engine loaded; "
          "target <= 60 s, <= 2500 MB")
    print("  score s: the first session scored with this rubric (its ~2,000-token judging prompt is evaluated and kept);")
    print("  again s: the same session again, as every later candidate of the rubric (the kept prompt is read back)")
    print(f"{'model':<44} {'load s':>7} {'score s':>8} {'again s':>8} {'same':>5} {'overall':>8} {'peak MB':>8}")
    for r in rows:
        print(f"{r['model']:<44} {r['load_s']:>7} {r['score_s']:>8} {r['rescore_s']:>8} {str(r['same_on_rescore']):>5} "
              f"{r['overall']:>8} {r['peak_rss_mb']:>8}")
    if len(rows) == 2:
        print(f"ratio {rows[0]['model']} / {rows[1]['model']}: time {rows[0]['score_s'] / rows[1]['score_s']:.2f}x, "
              f"memory {rows[0]['peak_rss_mb'] / rows[1]['peak_rss_mb']:.2f}x")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "data")
        sid = build(store, "rule_based", answers=20)
        data = service.score_session(store, sid)
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
            rid = build(store, "rule_based", answers=4)
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
