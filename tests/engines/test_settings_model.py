"""The typed settings: defaults, migration of old files, one-line errors, save/load round trip, atomic writes."""

from __future__ import annotations

import json
import os

import pytest
from pydantic import ValidationError

from desktop_app.core.errors import UserError
from desktop_app.core.settings_model import (
    SETTINGS_VERSION,
    OperatorPin,
    Settings,
    bounds,
    field_docs,
    migrate,
    settings_from_dict,
)
from desktop_app.engines import settings as settings_io
from desktop_app.engines.settings import load_settings, save_settings, settings_path

PIN = {"scheme": "scrypt", "n": 16384, "r": 8, "p": 1, "salt": "ab" * 16, "hash": "cd" * 32}

# What settings.json looked like before it had a version: every key the app ever wrote, blanks and all.
OLD_FILE = {
    "llm_model": "/models/qwen2.5-1.5b-instruct-q4_k_m.gguf",
    "asr_model": "",
    "asr_language": "auto",
    "tts_voice": None,
    "input_device": "USB Audio",
    "output_device": None,
    "end_of_turn_silence_s": 1.5,
    "vad": "webrtc",
    "llm_threads": "4",
    "llm_context": 0,
    "operator_pin": PIN,
    "ui_theme": "dark",
}


def test_defaults_and_every_field_is_typed_with_a_default_and_a_description():
    s = Settings()
    assert s.version == SETTINGS_VERSION == 1
    assert (s.llm_model, s.asr_model, s.asr_language, s.tts_voice) == (None, None, None, None)
    assert (s.input_device, s.output_device, s.vad, s.operator_pin) == (None, None, None, None)
    assert (s.end_of_turn_silence_s, s.llm_threads, s.llm_context) == (1.2, 2, 4096)
    assert s.unknown_keys == ()
    docs = field_docs()
    assert [d[0] for d in docs] == list(Settings.model_fields)
    for name, kind, _default, description in docs:
        assert kind and description and "\n" not in description, name
    assert bounds("end_of_turn_silence_s") == (0.5, 5.0)
    assert bounds("llm_threads")[0] == 1


def test_settings_are_frozen_and_replace_validates():
    s = Settings()
    with pytest.raises(ValidationError):
        s.llm_threads = 4  # type: ignore[misc]
    assert s.replace(llm_threads=4).llm_threads == 4 and s.llm_threads == 2
    with pytest.raises(UserError) as err:
        s.replace(llm_threads=0)
    assert err.value.field == "llm_threads"
    assert s.replace(input_device="").input_device is None  # a blank always meant "the default"
    assert not s.engines_differ(s.replace(end_of_turn_silence_s=2.0))
    assert s.engines_differ(s.replace(vad="webrtc"))


def test_an_unversioned_file_is_migrated_and_unknown_keys_are_kept(data_paths):
    settings_path(data_paths).write_text(json.dumps(OLD_FILE), encoding="utf-8")
    s = load_settings(data_paths)
    assert s.version == 1
    assert s.llm_model == OLD_FILE["llm_model"]
    assert s.asr_model is None and s.tts_voice is None and s.output_device is None
    assert s.asr_language is None  # "auto" meant detect
    assert s.input_device == "USB Audio" and s.vad == "webrtc" and s.end_of_turn_silence_s == 1.5
    assert s.llm_threads == 4 and s.llm_context == 4096  # "4" read as a number, 0 meant the default
    assert s.operator_pin == OperatorPin(**PIN)
    assert s.unknown_keys == ("ui_theme",) and s.model_extra == {"ui_theme": "dark"}

    save_settings(data_paths, s)
    stored = json.loads(settings_path(data_paths).read_text(encoding="utf-8"))
    assert stored == {"version": 1, "llm_model": OLD_FILE["llm_model"], "input_device": "USB Audio",
                      "end_of_turn_silence_s": 1.5, "vad": "webrtc", "llm_threads": 4, "operator_pin": PIN,
                      "ui_theme": "dark"}
    assert load_settings(data_paths) == s


def test_migrate_refuses_a_newer_format():
    assert migrate({})["version"] == SETTINGS_VERSION
    with pytest.raises(UserError, match="version: 7 was written by a newer Viva"):
        settings_from_dict({"version": 7})
    with pytest.raises(UserError, match="version: must be a whole number"):
        settings_from_dict({"version": "one"})


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("llm_threads", 0, "greater than or equal to 1"),
    ("llm_context", "lots", "valid integer"),
    ("end_of_turn_silence_s", 60, "less than or equal to 5"),
    ("vad", "loud", "'silero' or 'webrtc'"),
    ("llm_model", "/models/model.bin", "must be a .gguf file"),
    ("tts_voice", "/voices/joe.wav", "must be a piper .onnx voice"),
    ("asr_language", "english", "2- or 3-letter language code"),
    ("input_device", 3, "valid string"),
])
def test_an_invalid_value_is_one_line_naming_file_field_and_rule(data_paths, field, value, rule):
    path = settings_path(data_paths)
    path.write_text(json.dumps({"version": 1, field: value}), encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_settings(data_paths)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {field}: "), message
    assert rule in message, message


def test_a_bad_operator_pin_names_the_nested_field(data_paths):
    settings_path(data_paths).write_text(json.dumps({"operator_pin": {**PIN, "n": 1000}}), encoding="utf-8")
    with pytest.raises(UserError, match=r"settings.json: operator_pin.n: must be a power of two$"):
        load_settings(data_paths)


@pytest.mark.parametrize("text", ["[1, 2]", "{not json", "\"text\""])
def test_a_file_that_is_not_a_json_object_is_one_line(data_paths, text):
    settings_path(data_paths).write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_settings(data_paths)
    assert str(err.value).startswith(str(settings_path(data_paths))) and "\n" not in str(err.value)


def test_round_trip_of_every_field(data_paths):
    s = Settings(llm_model="small", asr_model="/m/whisper-small", asr_language="KO", tts_voice="/v/joe.onnx",
                 input_device="Mic", output_device="Speakers", end_of_turn_silence_s=2.5, vad="silero",
                 llm_threads=6, llm_context=4096, operator_pin=OperatorPin(**PIN))
    assert s.asr_language == "ko"
    save_settings(data_paths, s)
    assert load_settings(data_paths) == s
    save_settings(data_paths, Settings())
    assert json.loads(settings_path(data_paths).read_text(encoding="utf-8")) == {"version": 1}
    with pytest.raises(TypeError, match="takes Settings"):
        save_settings(data_paths, {"llm_threads": 4})  # type: ignore[arg-type]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(data_paths, monkeypatch):
    save_settings(data_paths, Settings(input_device="Old mic"))
    before = settings_path(data_paths).read_bytes()

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(settings_io.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save_settings(data_paths, Settings(input_device="New mic"))
    assert settings_path(data_paths).read_bytes() == before
    assert [p.name for p in data_paths.root.iterdir() if p.name.startswith(".settings-")] == []
    monkeypatch.undo()
    assert os.path.exists(settings_path(data_paths))
    assert load_settings(data_paths).input_device == "Old mic"
