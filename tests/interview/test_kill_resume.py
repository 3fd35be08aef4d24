"""`viva interview run` killed with SIGKILL at random moments: nothing committed is lost, resume completes."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import pytest

from desktop_app.interview.recorder import file_sha256
from desktop_app.store import sessions
from tests.interview.conftest import STRONG_ANSWERS, open_store

pytestmark = pytest.mark.models
ROOT = Path(__file__).resolve().parents[2]


def _start(data: Path, sid: str, action: list[str]) -> tuple[subprocess.Popen, list[dict]]:
    cmd = [sys.executable, "-m", "desktop_app.cli", "--data-dir", str(data), *action, sid, "--text", "--json",
           "--output-device", "null", "--speed", "0"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    proc.stdin.write("".join(a + "\n" for a in STRONG_ANSWERS))
    proc.stdin.close()
    events: list[dict] = []

    def read() -> None:
        for line in proc.stdout:
            if line.startswith("{"):
                events.append(json.loads(line))

    threading.Thread(target=read, daemon=True).start()
    return proc, events


def _committed(data: Path, sid: str):
    from desktop_app.paths import DataPaths

    store = open_store(DataPaths(data))
    try:
        return sessions.get_session(store, sid), sessions.list_turns(store, sid)
    finally:
        store.close()


def test_sigkill_at_random_moments_then_resume(interview_data, llm_path):
    paths, schedule = interview_data
    # The subprocesses use the GGUF the test session already assembled (not 250 MB more per data folder).
    (paths.root / "settings.json").write_text(json.dumps({"llm_model": str(llm_path)}))
    sid = schedule("live_ai_interview")
    rng = random.Random(int(os.environ.get("VIVA_KILL_SEED", "20261129")))
    seen: dict[int, str] = {}
    kept: dict[str, tuple] = {}
    kills = 0
    turns_at_kill: list[int] = []
    for attempt in range(6):
        record, _ = _committed(paths.root, sid)
        action = ["session", "resume"] if record.status == "in_progress" else ["interview", "run"]
        proc, events = _start(paths.root, sid, action)
        if attempt < 3:
            # A random moment: after a random number of events (or during start-up), plus a random delay.
            answers = rng.randint(0, 3) if attempt < 2 else rng.randint(1, 3)  # the last one well into it
            target = rng.randint(0, 8)
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline and (
                    sum(e["kind"] == "answer_final" for e in events) < answers or len(events) < target):
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.5))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
        code = proc.wait(120)
        if code == -signal.SIGKILL:
            turns_at_kill.append(len(_committed(paths.root, sid)[1]))
        time.sleep(0.2)  # the reader thread drains the pipe
        conn = sqlite3.connect(paths.database)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        record, turns = _committed(paths.root, sid)
        by_index = {t.index: t for t in turns}
        for e in events:  # every answer reported before the kill was committed
            if e["kind"] == "answer_final":
                seen[e["turn_index"]] = e["text"]
        for index, text in seen.items():
            assert by_index[index].text == text
        for turn_id, (index, text, sha) in kept.items():  # and nothing committed earlier changed
            t = by_index[index]
            assert (t.id, t.text, t.audio_sha256) == (turn_id, text, sha)
        for t in turns:
            kept[t.id] = (t.index, t.text, t.audio_sha256)
            if t.audio_path:  # a committed turn's audio is complete on disk
                assert file_sha256(paths.root / t.audio_path) == t.audio_sha256
        assert [t.index for t in turns] == list(range(len(turns)))
        if code == 0:
            break
    assert kills >= 1 and any(n > 0 for n in turns_at_kill), turns_at_kill  # killed mid-interview
    assert record.status == "completed" and turns[-1].kind == "closing"
    answered = {t.question_id.split(".")[0] for t in turns if t.kind == "answer"}
    assert answered == {"q1", "q2"}
    for wav in paths.session_audio(sid).glob("*.wav"):  # unfinished files were repaired on resume
        with wave.open(str(wav)) as w:
            assert w.getnchannels() == 1
