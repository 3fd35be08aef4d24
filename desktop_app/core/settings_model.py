"""The app's settings: one typed, versioned model of settings.json, a description for every field, migrations."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from desktop_app.core.errors import UserError
from desktop_app.core.validation import first_error

# The format of settings.json. Bump it and add a migration to MIGRATIONS when a key is renamed or its meaning
# changes; files without a version are the untyped format of before (version 0).
SETTINGS_VERSION = 1

# Settings the engines are built from: changing one means loaded models and devices must be rebuilt.
ENGINE_FIELDS = ("llm_model", "asr_model", "asr_language", "tts_voice", "input_device", "output_device", "vad",
                 "llm_threads", "llm_context")
# `viva models use llm small`: the small embedded language model instead of a file.
SMALL_LLM = "small"

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_HEX = re.compile(r"^[0-9a-f]+$")


class OperatorPin(BaseModel):
    """The operator PIN as stored: a salted scrypt hash with its cost parameters, never the PIN itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scheme: Literal["scrypt"] = Field(description="key-derivation function the hash was made with")
    n: int = Field(ge=2, description="scrypt CPU/memory cost (a power of two)")
    r: int = Field(ge=1, description="scrypt block size")
    p: int = Field(ge=1, description="scrypt parallelism")
    salt: str = Field(min_length=16, description="random salt, hex-encoded")
    hash: str = Field(min_length=64, max_length=64, description="scrypt digest of the PIN, hex-encoded")

    @field_validator("n")
    @classmethod
    def _power_of_two(cls, value: int) -> int:
        if value & (value - 1):
            raise ValueError("must be a power of two")
        return value

    @field_validator("salt", "hash")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError("must be lowercase hexadecimal")
        return value


class Settings(BaseModel):
    """Everything settings.json holds. Frozen: change a value with `replace`, which validates it.

    Keys this version does not know (written by a newer Viva or another tool) are kept in `model_extra`
    and written back unchanged; `unknown_keys` lists them.
    """

    model_config = ConfigDict(frozen=True, extra="allow", validate_default=True)

    version: int = Field(SETTINGS_VERSION, description="format version of settings.json (migrations upgrade older files)")
    llm_model: str | None = Field(
        None, description="language model: a .gguf file, or 'small' for the small embedded model; none = the embedded default")
    asr_model: str | None = Field(
        None, description="speech recogniser: a faster-whisper (CTranslate2) or vosk model folder; none = the embedded default")
    asr_language: str | None = Field(
        None, description="spoken language for multilingual Whisper models, e.g. 'en' or 'ko'; none = detect it")
    tts_voice: str | None = Field(
        None, description="interviewer's voice: a piper .onnx voice with its .onnx.json beside it; none = the embedded default")
    input_device: str | None = Field(
        None, description="microphone, by (part of) its name; none = the system default")
    output_device: str | None = Field(
        None, description="speaker, by (part of) its name; none = the system default")
    end_of_turn_silence_s: float = Field(
        1.2, ge=0.5, le=5.0, description="seconds of silence after which an answer counts as finished")
    vad: Literal["silero", "webrtc"] | None = Field(
        None, description="voice activity detector: 'silero' or 'webrtc'; none = the measured default")
    llm_threads: int = Field(2, ge=1, le=256, description="CPU threads the language model may use")
    llm_context: int = Field(4096, ge=256, le=131072, description="language model context window, in tokens")
    operator_pin: OperatorPin | None = Field(
        None, description="salted hash of the PIN that unlocks the candidate's full-screen view; none = not set")

    @field_validator("llm_model", "asr_model", "asr_language", "tts_voice", "input_device", "output_device", "vad",
                     mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        """An empty string always meant "the default"."""
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    @field_validator("llm_model")
    @classmethod
    def _gguf(cls, value: str | None) -> str | None:
        if value is not None and value != SMALL_LLM and not value.lower().endswith(".gguf"):
            raise ValueError(f"must be a .gguf file or '{SMALL_LLM}'")
        return value

    @field_validator("tts_voice")
    @classmethod
    def _onnx(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().endswith(".onnx"):
            raise ValueError("must be a piper .onnx voice file")
        return value

    @field_validator("asr_language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.lower()
        if value == "auto":
            return None
        if not _LANGUAGE.match(value):
            raise ValueError("must be a 2- or 3-letter language code such as 'en', or 'auto'")
        return value

    @field_validator("version")
    @classmethod
    def _current(cls, value: int) -> int:
        if value != SETTINGS_VERSION:
            raise ValueError(f"must be {SETTINGS_VERSION} (older files are migrated when read)")
        return value

    @property
    def unknown_keys(self) -> tuple[str, ...]:
        """Keys in the file that this version of Viva does not know (kept, not used)."""
        return tuple(sorted(self.model_extra or {}))

    def replace(self, **changes: Any) -> Settings:
        """A validated copy with `changes`; raises UserError naming the field and the rule."""
        return settings_from_dict({**self.model_dump(), **changes})

    def engines_differ(self, other: Settings) -> bool:
        """Whether engines built from `other` would differ from ones built from these settings."""
        return any(getattr(self, name) != getattr(other, name) for name in ENGINE_FIELDS)

    def to_file(self) -> dict[str, Any]:
        """What settings.json stores: the version, values that differ from their default, and unknown keys."""
        return {**self.model_dump(mode="json", exclude_defaults=True), "version": SETTINGS_VERSION}


def bounds(name: str) -> tuple[float | None, float | None]:
    """The (minimum, maximum) a numeric setting allows, for widgets that should offer exactly that range."""
    low = high = None
    for rule in Settings.model_fields[name].metadata:
        low = getattr(rule, "ge", low)
        high = getattr(rule, "le", high)
    return low, high


def field_docs() -> list[tuple[str, str, Any, str]]:
    """(name, type, default, description) for every setting, in file order: the schema in words."""
    out = []
    for name, info in Settings.model_fields.items():
        out.append((name, _type_name(info.annotation), info.default, info.description or ""))
    return out


def _type_name(annotation: Any) -> str:
    """A type as a reader would write it: `str | None`, `'silero' | 'webrtc' | None`."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return " | ".join(repr(a) for a in args)
    if origin in (Union, UnionType):
        return " | ".join(_type_name(a) for a in args)
    if annotation is NoneType:
        return "None"
    return getattr(annotation, "__name__", str(annotation))


# ---------------------------------------------------------------- migrations


def _from_unversioned(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (an untyped dict): null, "" and 0 meant "the default", "auto" meant detecting the language."""
    out = {}
    for key, value in data.items():
        if key in Settings.model_fields and (value is None or (isinstance(value, str) and not value.strip())):
            continue
        if key in ("llm_threads", "llm_context", "end_of_turn_silence_s") and value in (0, "0"):
            continue  # read as `value or DEFAULT` before
        out[key] = value
    return out


# MIGRATIONS[v] turns a version-v dict into a version-(v+1) one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _from_unversioned}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """`data` upgraded to SETTINGS_VERSION; raises UserError for a version this Viva cannot read."""
    version = data.get("version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise UserError("must be a whole number", field="version")
    if version > SETTINGS_VERSION:
        raise UserError(f"{version} was written by a newer Viva; this one reads up to {SETTINGS_VERSION}",
                        field="version")
    data = {k: v for k, v in data.items() if k != "version"}
    while version < SETTINGS_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return {**data, "version": version}


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Settings from a parsed settings.json of any known version; raises UserError naming field and rule."""
    if not isinstance(data, dict):
        raise UserError(f"must hold a JSON object, not {type(data).__name__}")
    try:
        return Settings.model_validate(migrate(data))
    except ValidationError as exc:
        raise first_error(exc) from None
