"""Synthesizer adapter over piper-tts: sentence-by-sentence streaming and a phrase cache (memory + disk)."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path

from desktop_app.engines.base import AudioChunk, EngineError, ModelFileError
from desktop_app.engines.pcm import read_wav, write_wav
from desktop_app.engines.text import split_sentences

_MEMORY_LRU_SIZE = 128  # sentences synthesised on the fly that stay in memory
_CACHE_FORMAT = 1  # bump when synthesis settings change so old cached audio is ignored


def split_first_clause(sentence: str, max_words: int) -> list[str]:
    """Cuts a long opening sentence at its first comma so the first audio is ready sooner."""
    words = sentence.split()
    if max_words <= 0 or len(words) <= max_words:
        return [sentence]
    for i, word in enumerate(words[:-2]):
        if i >= 2 and word.endswith((",", ";", ":")):
            return [" ".join(words[: i + 1]), " ".join(words[i + 1 :])]
    return [sentence]


class PiperSynthesizer:
    """A piper voice loaded once; synthesis is serialised (one sentence at a time)."""

    def __init__(
        self,
        model_path: str | Path,
        config_path: str | Path | None = None,
        *,
        cache_dir: str | Path | None = None,
        threads: int = 2,
        sha256: str = "",
        first_clause_words: int = 8,
    ) -> None:
        self.model_path = str(model_path)
        self.config_path = str(config_path or f"{model_path}.json")
        self.sha256 = sha256
        self.first_clause_words = first_clause_words
        self._voice = _load_voice(self.model_path, self.config_path, threads)
        self.sample_rate: int = self._voice.config.sample_rate
        stat = os.stat(self.model_path)
        identity = sha256 or f"{Path(self.model_path).name}:{stat.st_size}:{stat.st_mtime_ns}"
        self.voice_id = hashlib.sha256(f"{identity}:{_CACHE_FORMAT}".encode()).hexdigest()[:16]
        self.cache_dir = Path(cache_dir) / self.voice_id if cache_dir else None
        self._prepared: dict[str, bytes] = {}
        self._recent: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def synthesize(self, text: str) -> Iterator[AudioChunk]:
        """Audio for `text`, sentence by sentence, as soon as each is ready."""
        time_s = 0.0
        for index, sentence in enumerate(split_sentences(text)):
            parts = [sentence]
            if index == 0 and self._cached(sentence) is None:
                parts = split_first_clause(sentence, self.first_clause_words)
            for part in parts:
                audio = self.sentence_audio(part)
                chunk = AudioChunk(audio, rate=self.sample_rate, timestamp_s=time_s)
                time_s += chunk.seconds
                yield chunk

    def prepare(self, phrases: Sequence[str]) -> None:
        """Synthesises phrases ahead of time into the memory and disk caches."""
        for phrase in phrases:
            for sentence in split_sentences(phrase):
                key = self._key(sentence)
                if key in self._prepared:
                    continue
                audio = self._from_disk(key)
                if audio is None:
                    audio = self._synthesize(sentence)
                    self._to_disk(key, audio)
                self._prepared[key] = audio

    def sentence_audio(self, sentence: str) -> bytes:
        """16-bit PCM for one sentence, from the cache when it was prepared or said recently."""
        cached = self._cached(sentence)
        if cached is not None:
            return cached
        audio = self._synthesize(sentence)
        key = self._key(sentence)
        self._recent[key] = audio
        while len(self._recent) > _MEMORY_LRU_SIZE:
            self._recent.popitem(last=False)
        return audio

    def _cached(self, sentence: str) -> bytes | None:
        key = self._key(sentence)
        if key in self._prepared:
            return self._prepared[key]
        if key in self._recent:
            self._recent.move_to_end(key)
            return self._recent[key]
        audio = self._from_disk(key)
        if audio is not None:
            self._prepared[key] = audio
        return audio

    def _key(self, sentence: str) -> str:
        return hashlib.sha256(" ".join(sentence.split()).encode("utf-8")).hexdigest()[:32]

    def _from_disk(self, key: str) -> bytes | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{key}.wav"
        if not path.exists():
            return None
        try:
            chunk = read_wav(path)
        except EngineError:
            return None  # a damaged cache entry is simply synthesised again
        return chunk.audio if chunk.rate == self.sample_rate else None

    def _to_disk(self, key: str, audio: bytes) -> None:
        if self.cache_dir is None:
            return
        path = self.cache_dir / f"{key}.wav"
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        write_wav(tmp, AudioChunk(audio, rate=self.sample_rate))
        os.replace(tmp, path)

    def _synthesize(self, sentence: str) -> bytes:
        with self._lock:
            pieces = [c.audio_int16_bytes for c in self._voice.synthesize(sentence)]
        return b"".join(pieces)


def _load_voice(model_path: str, config_path: str, threads: int):
    """Builds a PiperVoice with our own ONNX session options (threads, no spinning), never downloading."""
    try:
        import onnxruntime
        from piper.config import PiperConfig
        from piper.voice import PiperVoice
    except ImportError as exc:  # pragma: no cover - installation problem
        raise EngineError("piper-tts is not installed (run `make install`)") from exc
    try:
        config = PiperConfig.from_dict(json.loads(Path(config_path).read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise ModelFileError(f"{config_path}: voice config missing (it belongs beside the .onnx file)") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{config_path}: not a valid piper voice config (unreadable, or fields are missing)") from exc
    if not os.path.isfile(model_path):
        raise ModelFileError(f"{model_path}: no such voice file")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Busy-waiting threads steal the cores the LLM and ASR need on a 2-core laptop.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    try:
        session = onnxruntime.InferenceSession(model_path, sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types for corrupt files
        raise ModelFileError(f"{model_path}: onnxruntime cannot load it (corrupt or truncated voice)") from exc
    return PiperVoice(session=session, config=config, download_dir=Path(config_path).parent)

