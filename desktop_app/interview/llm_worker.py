"""The language-model stage: one thread runs generation jobs in order; each job can be cancelled or awaited."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.engines.base import GenerationRequest, LanguageModel

_END = object()


@dataclass
class Draft:
    """One generation: the request, what it was drafted for, and its result once done."""

    request: GenerationRequest
    key: str  # what the draft answers (e.g. the answer text), to tell whether it is still valid
    submitted_at: float = field(default_factory=time.monotonic)
    started_at: float | None = None
    first_piece_at: float | None = None
    finished_at: float | None = None
    text: str = ""
    error: str | None = None
    _done: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        """Stops the generation within one token (or before it starts)."""
        self.request.cancel.set()

    @property
    def cancelled(self) -> bool:
        """True once cancelled."""
        return self.request.cancel.is_set()

    def wait(self, timeout: float | None = None) -> str | None:
        """The generated text, or None if cancelled, failed or not done in time."""
        if not self._done.wait(timeout):
            return None
        return None if self.cancelled or self.error else self.text


class LlmWorker:
    """Runs drafts one at a time on a thread of its own (llama.cpp takes one call at a time)."""

    def __init__(self, model_factory: Callable[[], LanguageModel], on_error: Callable[[str], None] | None = None) -> None:
        self._factory = model_factory
        self._on_error = on_error
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._model: LanguageModel | None = None

    @property
    def model(self) -> LanguageModel:
        """The model (loaded on first use)."""
        if self._model is None:
            self._model = self._factory()
        return self._model

    def start(self) -> None:
        """Starts the worker thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="viva-llm", daemon=True)
            self._thread.start()

    def submit(self, request: GenerationRequest, key: str = "") -> Draft:
        """Queues a generation; returns its Draft at once."""
        draft = Draft(request, key)
        self._jobs.put(draft)
        return draft

    def prime(self, prefix: str) -> None:
        """Evaluates a fixed prompt prefix in the background so later calls skip it."""
        self._jobs.put(("prime", prefix))

    def shutdown(self, timeout: float = 5.0) -> None:
        """Ends the thread after the current job (pending jobs are cancelled)."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if isinstance(job, Draft):
                job.cancel()
                job._done.set()
        self._jobs.put(_END)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is _END:
                return
            if isinstance(job, tuple):
                try:
                    prime = getattr(self.model, "prime", None)
                    if prime is not None:
                        prime(job[1])
                except Exception as exc:  # priming is an optimisation only
                    self._report(f"could not prime the model: {exc}")
                continue
            self._generate(job)

    def _generate(self, draft: Draft) -> None:
        try:
            if not draft.cancelled:
                draft.started_at = time.monotonic()
                pieces = []
                for piece in self.model.stream(draft.request):
                    if draft.first_piece_at is None:
                        draft.first_piece_at = time.monotonic()
                    pieces.append(piece)
                draft.text = "".join(pieces)
        except Exception as exc:  # a failed draft falls back to the bank; the interview goes on
            logging.getLogger(__name__).warning("language model draft failed", exc_info=exc)  # the class, for us
            draft.error = str(exc) or "no reason given"
            self._report(f"language model failed: {draft.error}")
        finally:
            draft.finished_at = time.monotonic()
            draft._done.set()

    def _report(self, message: str) -> None:
        if self._on_error is not None:
            self._on_error(message)
