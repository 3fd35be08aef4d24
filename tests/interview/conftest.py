"""A small interview setup (2 skills, a few minutes) with one stage per session mode, and engine access."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

SETUP = {
    "viva_bundle": 1,
    "profiles": [{
        "name": "Test Interviewer",
        "persona": "Sam, an engineer at Testco.",
        "use_case": "hiring",
        "rubric": [{"name": "Skill", "weight": 60}, {"name": "Clarity", "weight": 40}],
        "behavior": {"tone": "professional", "style": "structured", "difficulty": "medium", "probing_depth": "medium"},
        "context": {"organization": "Testco", "domain": "software",
                    "scenario": "You are Alex, a customer. Your parcel is a week late. You want a refund. Stay cross."},
    }],
    "templates": [{
        "name": "Test Role", "use_case": "hiring", "objective": "Can they do the job?",
        "skills": ["Python", "Teamwork"], "traits": [], "success_criteria": [],
        "duration_minutes": 5, "question_depth": "intermediate", "default_session_mode": "live_ai_interview",
    }],
    "stages": [
        {"template": "Test Role", "name": "Live", "type": "ai_interview", "agent_profile": "Test Interviewer", "order": 0},
        {"template": "Test Role", "name": "Roleplay", "type": "roleplay_simulation", "agent_profile": "Test Interviewer",
         "order": 1},
        {"template": "Test Role", "name": "Practice", "type": "practice_session", "agent_profile": "Test Interviewer",
         "order": 2},
        {"template": "Test Role", "name": "Async", "type": "async_assessment", "agent_profile": "Test Interviewer",
         "order": 3},
        {"template": "Test Role", "name": "Manual", "type": "manual_review", "agent_profile": "Test Interviewer",
         "order": 4},
    ],
    "participants": [
        {"name": f"Candidate {i}", "email": f"candidate{i}@example.org", "template": "Test Role",
         "resume_text": "Five years of Python at a logistics firm."} for i in range(1, 7)
    ],
}

STAGE_FOR_MODE = {"live_ai_interview": "Live", "roleplay_simulation": "Roleplay", "practice_session": "Practice",
                  "async_interview": "Async", "manual_review": "Manual"}

# Strong answers (first person, a number, a result). Structured, probing "medium": one follow-up per question.
STRONG_ANSWERS = [
    "I wrote a Python service that checked 40 thousand orders a night; as a result we cut failed deliveries by "
    "a third because I added retries and tests.",
    "I led a team of four on a warehouse app; I split the work, ran short daily check-ins, and we shipped two "
    "weeks early, which meant the client renewed.",
    "I used pandas to clean the data and I measured the error rate before and after, which went from 8 percent "
    "to 1 percent.",
    "When two colleagues disagreed I set up a thirty minute meeting, I wrote down both options, and we chose "
    "one by the numbers, so the release stayed on time.",
] * 3


@pytest.fixture
def interview_data(tmp_path: Path):
    """A data folder with the test setup loaded; returns (paths, schedule(mode) -> session id)."""
    from desktop_app.paths import DataPaths
    from desktop_app.store import bundle, sessions
    from desktop_app.store.db import Store

    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    store = Store.open(paths)
    with store.transaction():
        bundle.import_bundle(store, SETUP, source="test")
    store.close()
    counter = iter(range(1, 7))

    def schedule(mode: str, participant: str | None = None) -> str:
        s = Store.open(paths)
        try:
            rec = sessions.schedule_session(s, participant or f"Candidate {next(counter)}", STAGE_FOR_MODE[mode])
        finally:
            s.close()
        assert rec.mode == mode
        return rec.id

    return paths, schedule


def open_store(paths):
    """A fresh connection (tests read what the runner committed)."""
    from desktop_app.store.db import Store

    return Store.open(paths)


class _Engines:
    """The session-scoped engines behind the EngineSet protocol."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    @property
    def llm(self):
        return self._request.getfixturevalue("llm")

    @property
    def recognizer(self):
        return self._request.getfixturevalue("whisper")

    @property
    def synthesizer(self):
        return self._request.getfixturevalue("piper_voice")


@pytest.fixture
def engines(request: pytest.FixtureRequest) -> _Engines:
    """Real embedded models, each loaded once per test session (fixtures from tests/fixtures_engines.py)."""
    return _Engines(request)


def run_cli_text(paths, session_id: str, lines: list[str], *extra: str, engines, monkeypatch, capsys
                 ) -> tuple[int, list[dict]]:
    """`viva interview run ID --text --json` in-process with `lines` on stdin; (exit code, events)."""
    from desktop_app.cli import main
    from desktop_app.commands import interview as command

    monkeypatch.setattr(command, "_engines", lambda ctx, settings: engines)
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    capsys.readouterr()
    code = main(["--data-dir", str(paths.root), "interview", "run", session_id, "--text", "--json", *extra])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.startswith("{")]
