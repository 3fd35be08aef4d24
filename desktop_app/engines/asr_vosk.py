"""Recognizer adapter over vosk (Kaldi): true streaming with partial results, grammar from the hint."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

from desktop_app.engines.base import AudioChunk, EngineError, ModelFileError, Transcript, VocabularyHint, Word
from desktop_app.engines.models import _vosk_language, is_vosk_folder
from desktop_app.engines.pcm import ASR_RATE, StreamResampler

UNKNOWN = "[unk]"


class VoskRecognizer:
    """A vosk model folder loaded once; each utterance gets its own KaldiRecognizer."""

    def __init__(self, model_path: str | Path, *, language: str | None = None, sha256: str = "") -> None:
        folder = Path(model_path)
        self.model_path = str(folder)
        self.sha256 = sha256
        if not folder.is_dir() or not is_vosk_folder(folder):
            raise ModelFileError(f"{folder}: not a vosk model folder (am/final.mdl + conf/)")
        try:
            import vosk
        except ImportError as exc:  # pragma: no cover - installation problem
            raise EngineError("vosk is not installed (run `make install`)") from exc
        vosk.SetLogLevel(-1)
        self._vosk = vosk
        try:
            # Always a path: vosk.Model(lang=...) would download a model.
            self._model = vosk.Model(model_path=str(folder))
        except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
            raise ModelFileError(f"{folder}: vosk cannot load this model (corrupt or incomplete)") from exc
        self.language = language or _vosk_language(folder)
        self._lock = threading.Lock()

    def known(self, word: str) -> bool:
        """True if `word` is in the model's vocabulary (only those can appear in a grammar)."""
        return self._model.vosk_model_find_word(word) >= 0

    def grammar(self, hint: VocabularyHint | None) -> list[str] | None:
        """The phrase list for a restricted hint (phrases with unknown words dropped), else None."""
        if not hint or not hint.restrict or not hint.phrases:
            return None
        phrases = [p for p in hint.phrases if p.split() and all(self.known(w) for w in p.split())]
        return phrases + [UNKNOWN] if phrases else None

    def start(self, hint: VocabularyHint | None = None) -> VoskStream:
        """Begins a new utterance."""
        grammar = self.grammar(hint)
        with self._lock:
            if grammar:
                rec = self._vosk.KaldiRecognizer(self._model, ASR_RATE, json.dumps(grammar, ensure_ascii=False))
            else:
                rec = self._vosk.KaldiRecognizer(self._model, ASR_RATE)
        rec.SetWords(True)
        return VoskStream(rec)

    def transcribe(self, chunks: Sequence[AudioChunk], hint: VocabularyHint | None = None) -> Transcript:
        """Recognises a whole utterance at once."""
        stream = self.start(hint)
        for chunk in chunks:
            stream.feed(chunk)
        return stream.finish()


class VoskStream:
    """One utterance: vosk decodes as audio arrives and reports partial text."""

    def __init__(self, recognizer) -> None:
        self._rec = recognizer
        self._resample = StreamResampler(ASR_RATE)
        self._words: list[Word] = []
        self._last_partial = ""
        self._finished: Transcript | None = None

    def feed(self, chunk: AudioChunk) -> Transcript | None:
        """Adds audio; returns a partial result when the text changed."""
        if self._finished is not None:
            raise EngineError("feed() after finish()")
        audio = self._resample(chunk).audio
        if not audio:
            return None
        if self._rec.AcceptWaveform(audio):
            self._take(json.loads(self._rec.Result()))
            partial = ""
        else:
            partial = json.loads(self._rec.PartialResult()).get("partial", "")
        text = " ".join([w.text for w in self._words] + ([partial] if partial else []))
        if text == self._last_partial:
            return None
        self._last_partial = text
        return Transcript(text, False, tuple(self._words))

    def finish(self) -> Transcript:
        """Ends the utterance and returns the final text with word timings."""
        if self._finished is None:
            self._take(json.loads(self._rec.FinalResult()))
            words = tuple(w for w in self._words if w.text != UNKNOWN)
            self._finished = Transcript(" ".join(w.text for w in words), True, words)
        return self._finished

    def _take(self, result: dict) -> None:
        for w in result.get("result", []):
            self._words.append(Word(w["word"], float(w["start"]), float(w["end"]), float(w.get("conf", 1.0))))
