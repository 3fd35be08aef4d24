"""The small interfaces every engine adapter implements, and the values they exchange."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


class EngineError(RuntimeError):
    """An engine could not be loaded or used; the message is one line for the user."""


class ModelFileError(EngineError):
    """A model file is missing, truncated or corrupt."""


class AudioUnavailable(EngineError):
    """PortAudio or a device is missing; text mode still works."""


@dataclass(frozen=True)
class AudioChunk:
    """Raw PCM audio with its format; conversion happens only at the edges."""

    audio: bytes
    rate: int = 16000
    width: int = 2  # bytes per sample (2 = signed 16-bit little endian)
    channels: int = 1
    timestamp_s: float = 0.0  # stream time of the first sample

    @property
    def seconds(self) -> float:
        """Duration of this chunk."""
        return len(self.audio) / float(self.rate * self.width * self.channels)


@dataclass(frozen=True)
class Word:
    """A recognised word with its timing in seconds from the start of the utterance."""

    text: str
    start_s: float
    end_s: float
    probability: float | None = None


@dataclass(frozen=True)
class Transcript:
    """Partial or final recognition result."""

    text: str
    is_final: bool
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class VocabularyHint:
    """Words the recogniser should expect: the template's skills, the name, the question."""

    phrases: tuple[str, ...] = ()
    prompt: str = ""  # free text context, e.g. the question just asked
    restrict: bool = False  # the answer is one of `phrases` (e.g. yes/no): vosk then uses a grammar


@dataclass
class GenerationRequest:
    """One generation call. `json_schema` constrains output with a llama.cpp grammar."""

    prompt: str | None = None  # raw completion prompt (base models)
    messages: Sequence[dict] | None = None  # chat messages (instruct models)
    max_tokens: int = 128
    temperature: float = 0.7
    top_p: float = 0.95
    seed: int | None = None
    stop: Sequence[str] = ()
    json_schema: dict | None = None
    cancel: threading.Event = field(default_factory=threading.Event)


@runtime_checkable
class LanguageModel(Protocol):
    """A local language model (llama-cpp-python)."""

    model_path: str
    sha256: str
    has_chat_template: bool

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """Yields text pieces; stops early when request.cancel is set."""

    def generate(self, request: GenerationRequest) -> str:
        """The whole completion."""

    def generate_json(self, request: GenerationRequest) -> dict:
        """Completion constrained by request.json_schema, parsed and validated."""


@runtime_checkable
class ScoringModel(LanguageModel, Protocol):
    """A language model that can also read its next-token probabilities, as the judge needs."""

    def prompt_tokens(self, request: GenerationRequest) -> list[int]:
        """The rendered prompt's tokens."""

    def choice_probs(self, request: GenerationRequest, options: Sequence[str], *,
                     fresh_prefix: int | None = None) -> list[float]:
        """Probabilities that the next token is each option, renormalised over the options."""


class RecognizerStream(Protocol):
    """One utterance being recognised: feed chunks, read partial and final text."""

    def feed(self, chunk: AudioChunk) -> Transcript | None:
        """Adds audio; returns a partial result when the engine has one."""

    def finish(self) -> Transcript:
        """Ends the utterance and returns the final text."""


@runtime_checkable
class Recognizer(Protocol):
    """Speech recognition (faster-whisper, vosk)."""

    model_path: str
    language: str

    def start(self, hint: VocabularyHint | None = None) -> RecognizerStream:
        """Begins a new utterance."""

    def transcribe(self, chunks: Sequence[AudioChunk], hint: VocabularyHint | None = None) -> Transcript:
        """Recognises a whole utterance at once."""


@runtime_checkable
class Synthesizer(Protocol):
    """Speech synthesis (piper)."""

    model_path: str
    sample_rate: int

    def synthesize(self, text: str) -> Iterator[AudioChunk]:
        """Audio for `text`, sentence by sentence, as soon as each is ready."""

    def prepare(self, phrases: Sequence[str]) -> None:
        """Synthesises phrases ahead of time into the cache."""


@runtime_checkable
class AudioIn(Protocol):
    """A microphone: yields chunks that its callback copied into a queue."""

    device_name: str

    def start(self) -> None: ...

    def read(self, timeout: float | None = None) -> AudioChunk | None: ...

    def stop(self) -> None: ...

    @property
    def level_dbfs(self) -> float: ...


@runtime_checkable
class AudioOut(Protocol):
    """A speaker."""

    device_name: str

    def play(self, chunks: Iterator[AudioChunk], cancel: threading.Event | None = None) -> None:
        """Plays chunks until done or cancelled; blocks."""

    def stop(self) -> None: ...
