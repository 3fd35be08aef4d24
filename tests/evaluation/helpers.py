"""Builds real scored-session fixtures in a real SQLite store: profile, template, stages, participant, turns."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from desktop_app.core.transcript import Turn
from desktop_app.store import sessions, setup
from desktop_app.store.db import Store

_counter = itertools.count(1)

STRONG = (
    "At my previous job our checkout service was timing out during big sales. I was responsible for fixing it "
    "before Black Friday. I profiled it with Grafana, moved the session store to Redis and added a Kafka queue for "
    "payment events. As a result p95 latency dropped from 2.1 seconds to 300 ms and we handled 3x the traffic "
    "with zero outages."
)
STRONG_2 = (
    "When I was leading the data team, the nightly Python jobs kept failing. My task was to make them reliable. "
    "I wrote tests, added retries and moved the jobs to Airflow, and I explained the plan to the whole team in a "
    "one page design note. Failures fell by 90% within two months."
)
WEAK = "I don't know, I guess I would just try to fix it somehow."
WEAK_2 = "Not sure. Probably ask someone."

RUBRIC = [
    {"name": "Problem solving", "weight": 60, "description": "Breaks problems down, finds root causes, measures results",
     "anchors": {"low": "vague, no example", "middle": "an example with some steps",
                 "high": "specific example with root cause and a measured result"}},
    {"name": "Communication", "weight": 40, "description": "Explains clearly with structure and concrete detail"},
]


def make_world(store: Store, *, method: str = "rule_based", scale: str = "0-10", threshold: float = 5,
               rubric: list[dict] | None = None, scorecard: dict | None = None, samples: int = 2,
               on_completion: str = "wait_for_approval", stages: int = 1, allow_retry: bool = False,
               logic: str | None = None, combine: str = "mean", use_case: str = "hiring",
               external_id: str | None = "ATS-1") -> dict[str, Any]:
    """Creates one profile, template, stage chain and participant; returns their ids."""
    n = next(_counter)
    profile = setup.save(store, "profile", {
        "name": f"Scorer {n}", "use_case": use_case, "rubric": rubric or RUBRIC,
        "scoring": {"scale": scale, "method": method, "samples": samples, "combine": combine,
                    **({"recommendation_logic": logic} if logic else {})},
        **({"scorecard": scorecard} if scorecard else {}),
    })
    template = setup.save(store, "template", {"name": f"Backend engineer {n}", "use_case": use_case,
                                              "skills": ["Python", "Redis", "debugging"], "traits": ["ownership"]})
    stage_ids = []
    for order in range(stages):
        stage = setup.save(store, "stage", {
            "template": template.id, "name": f"Round {order + 1}", "agent_profile": profile.id, "order": order,
            "pass_threshold": threshold, "on_completion": on_completion, "allow_retry": allow_retry})
        stage_ids.append(stage.id)
    person = setup.save(store, "participant", {"name": "Ada <b>Lovelace</b> & Co", "email": f"ada{n}@example.com",
                                               "template": template.id, "external_id": external_id})
    return {"profile": profile.id, "template": template.id, "stages": stage_ids, "participant": person.id}


def add_session(store: Store, world: dict[str, Any], answers: Sequence[str | tuple[str, dict]], *, stage: int = 0,
                complete: bool = True, question: str = "Tell me about a hard problem you solved.") -> str:
    """Schedules, runs (question/answer turns) and completes a session; returns its id."""
    rec = sessions.schedule_session(store, world["participant"], world["stages"][stage])
    sessions.set_status(store, rec.id, "in_progress")
    clock = 0.0
    for i, item in enumerate(answers):
        text, meta = (item, {}) if isinstance(item, str) else item
        sessions.add_turn(store, Turn(rec.id, -1, "interviewer", question if i == 0 else f"Question {i + 1}?",
                                      clock, clock + 4, kind="question"))
        clock += 4 + meta.get("latency_s", 2)
        duration = max(3.0, len(text.split()) / 2.5)
        sessions.add_turn(store, Turn(rec.id, -1, "candidate", text, clock, clock + duration, meta=meta))
        clock += duration + 1
    if complete:
        sessions.set_status(store, rec.id, "completed")
    return rec.id
