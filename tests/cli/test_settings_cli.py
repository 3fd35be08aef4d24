"""One settings object for every command: `viva models use llm FILE` is the model `viva score` loads."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from desktop_app.engines.base import EngineError
from desktop_app.store.db import Store
from tests.evaluation.helpers import STRONG, add_session, make_world


def _chosen_copy(llm_path: Path, folder: Path) -> Path:
    """The embedded GGUF under a name of its own, so the score's model_file tells which model scored."""
    target = folder / "chosen-gemma.gguf"
    try:
        os.link(llm_path, target)  # instant on the same file system
    except OSError:
        shutil.copyfile(llm_path, target)
    return target


def _ai_session(data_dir: Path) -> str:
    store = Store.open(data_dir)
    try:
        return add_session(store, make_world(store, method="weighted_average"), [STRONG])
    finally:
        store.close()


def test_score_loads_the_model_chosen_with_models_use(viva, data_dir, tmp_path, llm_path, monkeypatch):
    from desktop_app.engines import llm as llm_module

    chosen = _chosen_copy(llm_path, tmp_path)
    assert viva("models", "use", "llm", str(chosen)).code == 0
    settings = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    settings["llm_threads"] = 3
    (data_dir / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    session = _ai_session(data_dir)
    loaded = []

    class Recorder:
        """Stands in for the llama.cpp model: records what scoring asked for, then stops the run."""

        def __init__(self, path, **kwargs):
            loaded.append((Path(path), kwargs))
            raise EngineError("recorded")

    monkeypatch.setattr(llm_module, "LlamaModel", Recorder)
    result = viva("score", session)
    assert result.code == 2 and "recorded" in result.err and result.err.count("\n") == 1
    assert [(path, kwargs["n_threads"], kwargs["n_ctx"]) for path, kwargs in loaded] == [(chosen, 3, 4096)]


def test_score_refuses_an_invalid_settings_file_with_one_line(viva, data_dir):
    session = _ai_session(data_dir)
    path = data_dir / "settings.json"
    path.write_text(json.dumps({"llm_model": "/models/model.bin"}), encoding="utf-8")
    result = viva("score", session)
    assert result.code == 2 and result.err.count("\n") == 1
    assert f"{path}: llm_model: must be a .gguf file" in result.err
    store = Store.open(data_dir)
    try:
        assert store.query("SELECT COUNT(*) AS n FROM scores")[0]["n"] == 0
    finally:
        store.close()


def test_models_use_keeps_other_settings_and_old_files_still_load(viva, data_dir, tmp_path, llm_path):
    path = data_dir / "settings.json"
    path.write_text(json.dumps({"input_device": "USB", "asr_model": "", "ui_theme": "dark"}), encoding="utf-8")
    chosen = _chosen_copy(llm_path, tmp_path)
    result = viva("models", "use", "llm", str(chosen), "--json")
    assert result.code == 0 and result.json() == {"kind": "llm", "model": str(chosen.resolve())}
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "version": 1, "llm_model": str(chosen.resolve()), "input_device": "USB", "ui_theme": "dark"}
    assert viva("models", "use", "llm", "default").code == 0
    assert json.loads(path.read_text(encoding="utf-8")) == {"version": 1, "input_device": "USB", "ui_theme": "dark"}


@pytest.mark.models
def test_score_end_to_end_records_the_chosen_model(viva, data_dir, tmp_path, llm_path):
    chosen = _chosen_copy(llm_path, tmp_path)
    assert viva("models", "use", "llm", str(chosen)).code == 0
    session = _ai_session(data_dir)
    result = viva("score", session)
    assert result.code == 0, result.err
    store = Store.open(data_dir)
    try:
        rows = store.query("SELECT model_file FROM scores WHERE session_id = ? AND source = 'ai'", [session])
    finally:
        store.close()
    assert rows and {r["model_file"] for r in rows} == {"chosen-gemma.gguf"}
