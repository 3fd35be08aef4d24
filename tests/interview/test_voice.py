"""Spoken interviews with the embedded models: answers synthesized by piper, fed as WAV files or
played by a virtual candidate into PulseAudio's virtual microphone."""

from __future__ import annotations

import subprocess
import threading
import time
import wave
from pathlib import Path

import pytest

from desktop_app.engines.audio_files import NullOut
from desktop_app.engines.pcm import concat, silence, write_wav
from desktop_app.engines.text import split_sentences, wer
from desktop_app.interview.devices import AnswerFilesIn
from desktop_app.interview.options import RunnerOptions
from desktop_app.interview.recorder import file_sha256
from desktop_app.interview.runner import InterviewRunner
from desktop_app.store import sessions
from tests.interview.conftest import open_store

pytestmark = pytest.mark.models

SHORT_ANSWERS = ["I led a team of four people.", "I wrote the tests in Python."]
ANSWERS = [
    "I wrote a Python tool that checks forty thousand orders every night. As a result, failed deliveries "
    "dropped by a third.",
    "I led a team of four people. I planned the work each week, and we shipped two weeks early.",
    "I measured the error rate before and after my change. It went from eight percent to one percent.",
    "I would write the tests first next time. It would have saved us a late night.",
]


def _speak(synth, text: str, path: Path) -> Path:
    """A spoken answer: sentences with short pauses, as people speak."""
    parts = []
    for sentence in split_sentences(text):
        chunks = list(synth.synthesize(sentence))
        parts += chunks + [silence(0.4, chunks[0].rate)]
    write_wav(path, concat(parts))
    return path


def _check_audio(paths, turns) -> None:
    for t in turns:
        if t.audio_path:
            path = paths.root / t.audio_path
            assert path.is_file() and file_sha256(path) == t.audio_sha256
            with wave.open(str(path)) as w:
                assert w.getnframes() > 0


def test_voice_interview_from_wav_answers(interview_data, engines, tmp_path):
    paths, schedule = interview_data
    sid = schedule("live_ai_interview")
    synth = engines.synthesizer
    folder = tmp_path / "answers"
    folder.mkdir()
    files = [_speak(synth, "Sorry, could you repeat the question?", folder / "00.wav")]
    files += [_speak(synth, text, folder / f"{i + 1:02d}.wav") for i, text in enumerate(ANSWERS)]
    events = []
    runner = InterviewRunner(paths, sid, on_event=events.append, options=RunnerOptions(), engines=engines,
                             audio_in=AnswerFilesIn(files, speed=1.5), audio_out=NullOut(realtime=False))
    result = runner.run()
    store = open_store(paths)
    record, turns = sessions.get_session(store, sid), sessions.list_turns(store, sid)
    store.close()
    assert result.completed, [e for e in events if e.kind == "error"]
    assert {"asr", "tts", "llm"} <= set(record.models)
    request = next(t for t in turns if t.kind == "request")
    assert request.meta["request"] == "repeat" and request.audio_path
    asked_q1 = [t for t in turns if t.kind == "question" and t.question_id == "q1"]
    assert len(asked_q1) == 2  # said again after the request
    answers = [t for t in turns if t.speaker == "candidate"]
    assert answers and wer(ANSWERS[0], answers[0].text) < 0.35
    for t in answers:
        assert t.meta["input"] == "voice" and t.meta["latency_s"] > 0 and t.meta["level"]["mean_dbfs"] > -60
        assert t.meta["words"] and t.meta["end_reason"] == "silence"
        assert t.started_at < t.ended_at and t.audio_path
    assert all(t.audio_path for t in turns if t.speaker == "interviewer")
    _check_audio(paths, turns)
    kinds = {e.kind for e in events}
    assert {"listening", "answer_final", "speaking", "finished"} <= kinds
    # The acknowledgement starts from the cache the moment the turn ends, before the last words are recognised.
    follow = [t for t in turns if t.speaker == "interviewer" and t.index > answers[0].index][0]
    assert follow.meta["timing"]["first_audio_at"] <= answers[0].meta["timing"]["final_at"] + 0.05


def test_barge_in_cuts_the_question(interview_data, engines, tmp_path):
    paths, schedule = interview_data
    sid = schedule("async_interview")  # fixed questions: no model needed, the loop is what is tested
    folder = tmp_path / "answers"
    folder.mkdir()
    files = [_speak(engines.synthesizer, text, folder / f"{i:02d}.wav") for i, text in enumerate(SHORT_ANSWERS)]
    events = []
    options = RunnerOptions(barge_in=True)
    runner = InterviewRunner(paths, sid, on_event=events.append, options=options, engines=engines,
                             audio_in=AnswerFilesIn(files, speed=1.0, lead_s=0.3), audio_out=NullOut(realtime=True))
    result = runner.run()
    store = open_store(paths)
    turns = sessions.list_turns(store, sid)
    store.close()
    assert result.completed
    questions = [t for t in turns if t.kind == "question"]
    # The candidate started talking 0.3 s into each question: only what was heard is in the transcript.
    assert all(len(q.text) < len(q.meta["question"]) for q in questions)
    assert len([t for t in turns if t.speaker == "candidate"]) == 2


def test_voice_interview_through_pulseaudio(interview_data, engines, pulse_audio, tmp_path):
    from desktop_app.engines.audio import open_input, open_output

    paths, schedule = interview_data
    sid = schedule("async_interview")
    folder = tmp_path / "answers"
    folder.mkdir()
    files = [_speak(engines.synthesizer, text, folder / f"{i:02d}.wav") for i, text in enumerate(SHORT_ANSWERS)]
    events: list = []
    heard = tmp_path / "speaker.wav"
    recorder = subprocess.Popen(["parecord", f"--device={pulse_audio.speaker_sink}.monitor", "--file-format=wav",
                                 str(heard)])

    def candidate() -> None:
        """The virtual candidate answers into the 'cand' sink each time the app listens."""
        played = 0
        while played < len(files):
            if sum(e.kind == "listening" for e in events) > played:
                time.sleep(0.4)
                assert pulse_audio.play_as_candidate(files[played]).wait(60) == 0
                played += 1
            elif any(e.kind == "finished" for e in events):
                return
            time.sleep(0.05)

    threading.Thread(target=candidate, daemon=True).start()
    runner = InterviewRunner(paths, sid, on_event=events.append, options=RunnerOptions(), engines=engines,
                             audio_in=open_input(pulse_audio.device), audio_out=open_output(pulse_audio.device))
    try:
        result = runner.run()
    finally:
        time.sleep(0.3)
        recorder.terminate()
        recorder.wait(5)
    store = open_store(paths)
    turns = sessions.list_turns(store, sid)
    store.close()
    assert result.completed, [e for e in events if e.kind == "error"]
    answers = [t for t in turns if t.speaker == "candidate"]
    assert len(answers) == 2
    for expected, got in zip(SHORT_ANSWERS, answers):
        assert wer(expected, got.text) < 0.4, got.text
    _check_audio(paths, turns)
    with wave.open(str(heard)) as w:  # the interviewer's voice really came out of the 'spk' device
        assert w.getnframes() / w.getframerate() > 5


def test_operator_ends_early_mid_answer_and_the_answer_is_kept(interview_data, engines, tmp_path):
    paths, schedule = interview_data
    sid = schedule("async_interview")
    folder = tmp_path / "answers"
    folder.mkdir()
    files = [_speak(engines.synthesizer, " ".join(ANSWERS[:3]), folder / "00.wav")]
    events: list = []
    runner = InterviewRunner(paths, sid, on_event=events.append, options=RunnerOptions(), engines=engines,
                             audio_in=AnswerFilesIn(files, speed=1.0), audio_out=NullOut(realtime=False))

    def operator() -> None:
        while not any(e.kind == "partial_transcript" for e in events):
            if any(e.kind == "finished" for e in events):
                return
            time.sleep(0.05)
        runner.end_early()

    threading.Thread(target=operator, daemon=True).start()
    result = runner.run()
    store = open_store(paths)
    turns = sessions.list_turns(store, sid)
    store.close()
    assert result.completed
    answer = next(t for t in turns if t.speaker == "candidate")
    assert answer.meta["ended_early"] and answer.audio_path and answer.text
    assert turns[-1].kind == "closing" and turns[-1].meta["reason"] == "ended_early"
    _check_audio(paths, turns)


class _DeadMic:
    """A microphone that opened but never delivers audio (a device unplugged, a sound server gone)."""

    device_name = "dead"
    level_dbfs = -120.0

    def start(self) -> None:
        """Nothing to open."""

    def read(self, timeout: float | None = None):
        """No audio, ever."""
        time.sleep(timeout or 0)
        return None

    def stop(self) -> None:
        """Nothing to close."""


def test_a_silent_microphone_stops_the_run_resumably(interview_data, engines):
    paths, schedule = interview_data
    sid = schedule("async_interview")
    events: list = []
    runner = InterviewRunner(paths, sid, on_event=events.append, options=RunnerOptions(), engines=engines,
                             audio_in=_DeadMic(), audio_out=NullOut(realtime=False))
    result = runner.run()
    assert result.status == "in_progress" and result.reason == "failed"
    assert any(e.kind == "error" and e.fatal and "no audio" in e.message for e in events)
