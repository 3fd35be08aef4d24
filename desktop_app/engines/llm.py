"""LanguageModel adapter over llama-cpp-python: streaming, chat or few-shot prompting, JSON grammar.

Prompt-prefix reuse: llama-cpp-python keeps the KV cache of the last call and only evaluates
the tokens after the longest common prefix, so callers should put fixed text (persona,
rubric, examples) first. Measured with the embedded model on 2 cores: a 342-token prefix
costs 0.57 s cold and 0.02 s when cached. llama-cpp-python's LlamaRAMCache was slower than
re-evaluating such a short prefix (save 0.8 s, load 1.6 s); `prime()` evaluates a prefix ahead of
time instead. The judge's long prefixes are kept as raw llama.cpp states (`_load_prefix`), in memory
and on disk, because at ~2,000 tokens re-evaluating costs far more than reading them back.

JSON output uses llama.cpp's grammar, checked lazily (llm_sampling.py): 43 instead of 17
tokens/s with Gemma's 262k-token vocabulary, same greedy output.
"""

from __future__ import annotations

import ctypes
import json
import logging
import threading
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from desktop_app.engines.base import EngineError, GenerationRequest, ModelFileError
from desktop_app.engines.gguf import has_chat_template, read_gguf_metadata
from desktop_app.engines.schema import SchemaViolation, grammar_schema, validate

log = logging.getLogger("llama.cpp")
_LOG_CALLBACK = None  # kept referenced: llama.cpp calls it from C


def route_llama_logs() -> None:
    """Sends llama.cpp's log lines to Python logging instead of stderr.

    llama-cpp-python maps the bundled ggml's levels one step too high (its WARN prints as
    an error), so "using full-size SWA cache" appeared on every model load in the CLI.
    """
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return
    from llama_cpp import llama_cpp

    # ggml_log_level in the bundled ggml.h: 1 debug, 2 info, 3 warn, 4 error, 5 continuation.
    levels = {1: logging.DEBUG, 2: logging.DEBUG, 3: logging.INFO, 4: logging.ERROR}

    @llama_cpp.llama_log_callback
    def callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        message = text.decode("utf-8", errors="replace").rstrip()
        if message:
            log.log(levels.get(level, logging.DEBUG), "%s", message)

    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))
    _LOG_CALLBACK = callback


class GenerationError(EngineError):
    """The model's output could not be used (e.g. JSON that breaks the schema)."""


DEFAULT_ROLE_LABELS = {"system": "", "user": "User", "assistant": "Assistant"}


def few_shot_prompt(messages: Sequence[dict], labels: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """Renders chat messages as a transcript a base model continues; returns (prompt, stop strings).

    A message may carry "name" (e.g. "Interviewer", "Candidate") to label its line.
    """
    labels = {**DEFAULT_ROLE_LABELS, **(labels or {})}
    parts: list[str] = []
    speakers: set[str] = set()
    for message in messages:
        role = message.get("role", "user")
        content = str(message.get("content", "")).strip()
        if role == "system":
            parts.append(content + "\n")
            continue
        label = message.get("name") or labels.get(role, role.title())
        speakers.add(label)
        parts.append(f"{label}: {content}")
    reply_label = labels["assistant"]
    for message in reversed(messages):
        if message.get("role") == "assistant" and message.get("name"):
            reply_label = message["name"]
            break
    speakers.add(reply_label)
    prompt = "\n".join(parts) + f"\n{reply_label}:"
    stops = sorted({f"\n{s}:" for s in speakers} | {"\n\n\n"})
    return prompt, stops


def _scan(text: str) -> tuple[list[tuple[int, str]], bool, bool]:
    """JSON punctuation outside strings with its positions, and whether the text ends
    inside a string (and just after a backslash there)."""
    marks: list[tuple[int, str]] = []
    in_string = escaped = False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[]{},":
            marks.append((i, ch))
    return marks, in_string, escaped


def _close(text: str) -> str | None:
    """Appends the closing quote and brackets a JSON prefix needs; None if it is not a prefix."""
    marks, in_string, escaped = _scan(text)
    stack: list[str] = []
    for _, ch in marks:
        if ch in "[{":
            stack.append("]" if ch == "[" else "}")
        elif ch in "]}":
            if not stack or stack.pop() != ch:
                return None
    if in_string:
        text = (text[:-1] if escaped else text) + '"'
    return text + "".join(reversed(stack))


def close_json_prefix(text: str) -> str | None:
    """Closes JSON cut off mid-way, dropping a trailing incomplete item; None if nothing parses."""
    marks, in_string, _ = _scan(text)
    commas = [i for i, ch in marks if ch == ","]
    # A number or literal at the very end may itself be cut ("10" -> "1"): never keep it.
    candidates = [text] if in_string or text.rstrip()[-1:] in ('"', "]", "}", "[", "{") else []
    # Then back to each earlier comma, which drops a half-written item or key.
    for candidate in candidates + [text[:i] for i in reversed(commas)]:
        closed = _close(candidate.rstrip())
        if closed is None or closed == text:
            continue
        try:
            json.loads(closed, strict=False)
        except json.JSONDecodeError:
            continue
        return closed
    return None


class LlamaModel:
    """A GGUF model loaded once; one generation at a time (a lock), cancellable mid-stream."""

    def __init__(
        self,
        model_path: str | Path,
        *,
        sha256: str = "",
        n_ctx: int = 4096,
        n_threads: int = 2,
        role_labels: dict[str, str] | None = None,
        state_dir: Path | None = None,
    ) -> None:
        self.model_path = str(model_path)
        self.sha256 = sha256
        self.role_labels = role_labels or {}
        meta = read_gguf_metadata(model_path)  # fast, names the file if truncated or not GGUF
        self.name = str(meta.get("general.name") or Path(model_path).stem)
        try:
            from desktop_app.engines.llm_sampling import LazyGrammarLlama as Llama
        except ImportError as exc:  # pragma: no cover - installation problem
            raise EngineError("llama-cpp-python is not installed (run `make install`)") from exc
        route_llama_logs()
        try:
            self._llm = Llama(
                model_path=self.model_path,
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelFileError(f"{model_path}: llama.cpp cannot load it (corrupt, truncated or unsupported)") from exc
        self._threads = n_threads
        self.has_chat_template = has_chat_template(self._llm.metadata) or has_chat_template(meta)
        self._chat_formatter: Any = None  # llama_cpp's Jinja2ChatFormatter, made on first use
        self._grammars: dict[str, object] = {}
        self._lock = threading.Lock()
        self.last_finish_reason: str | None = None
        self.last_json_repaired = False
        self.last_option_mass = 0.0
        # The prefix last evaluated on its own by choice_probs; other calls may re-evaluate it differently.
        self._fresh_key: tuple[int, ...] | None = None
        # Saved context states of prefixes evaluated on their own (most recent last), so two kinds of prompt
        # (the judge's and the topic check's) can alternate without evaluating their long prefixes again.
        self._prefix_states: dict[tuple[int, ...], ctypes.Array[ctypes.c_uint8]] = {}
        # Those states on disk too, so a rubric's judging prefix is evaluated once, not at every scoring.
        self._state_dir = Path(state_dir) if state_dir is not None else None
        self._n_ctx = n_ctx

    @property
    def n_threads(self) -> int:
        """CPU threads used for generation."""
        return self._threads

    def set_threads(self, n_threads: int) -> None:
        """Changes the thread count from the next token on.

        Two threads are fastest when the model runs alone (72 against 52 tokens/s here),
        but while piper or Whisper also run, two llama.cpp threads stall on each other
        (4-20 tokens/s) where one keeps 30-40; see benchmarks/engines.py.
        """
        from llama_cpp import llama_cpp

        if n_threads < 1:
            raise ValueError("n_threads: must be >= 1")
        llama_cpp.llama_set_n_threads(self._llm.ctx, n_threads, n_threads)
        self._threads = n_threads

    @property
    def n_ctx(self) -> int:
        """Context size in tokens."""
        return self._llm.n_ctx()

    def count_tokens(self, text: str) -> int:
        """Tokens in `text` (without BOS)."""
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def render(self, request: GenerationRequest) -> tuple[list[int], list[str]]:
        """Prompt tokens and extra stop strings: chat template for instruct models, transcript for base."""
        if request.messages:
            if self.has_chat_template:
                result = self._formatter()(messages=list(request.messages))
                tokens = self._llm.tokenize(
                    result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True
                )
                stop = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
                return tokens, [s for s in stop if s]
            prompt, stops = few_shot_prompt(request.messages, self.role_labels)
            return self._llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=False), stops
        if request.prompt is None:
            raise EngineError("a generation request needs a prompt or messages")
        return self._llm.tokenize(request.prompt.encode("utf-8"), add_bos=True, special=False), []

    def _formatter(self):
        if self._chat_formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            model = self._llm._model
            self._chat_formatter = Jinja2ChatFormatter(
                template=self._llm.metadata["tokenizer.chat_template"],
                eos_token=model.token_get_text(self._llm.token_eos()),
                bos_token=model.token_get_text(self._llm.token_bos()),
            )
        return self._chat_formatter

    def _grammar(self, schema: dict):
        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            from llama_cpp import LlamaGrammar

            try:
                self._grammars[key] = LlamaGrammar.from_json_schema(json.dumps(grammar_schema(schema)), verbose=False)
            except Exception as exc:  # the converter raises assorted errors on schemas it cannot handle
                raise EngineError(f"JSON schema not supported by the grammar converter: {exc}") from exc
        return self._grammars[key]

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """Yields text pieces; stops early when request.cancel is set."""
        from llama_cpp import StoppingCriteriaList

        tokens, extra_stops = self.render(request)
        if len(tokens) + request.max_tokens > self.n_ctx:
            raise GenerationError(f"prompt too long: {len(tokens)} tokens + {request.max_tokens} > context {self.n_ctx}")
        grammar = self._grammar(request.json_schema) if request.json_schema else None
        cancel = request.cancel
        with self._lock:
            self._fresh_key = None
            self.last_finish_reason = None
            if cancel.is_set():
                self.last_finish_reason = "cancelled"
                return
            pieces = self._llm.create_completion(
                tokens,
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                top_p=request.top_p,
                seed=request.seed,
                stop=list(request.stop) + extra_stops,
                stream=True,
                grammar=grammar,
                # Checked after every token inside llama-cpp-python, so a cancel stops within one token.
                stopping_criteria=StoppingCriteriaList([lambda _ids, _logits: cancel.is_set()]),
            )
            try:
                for part in cast(Iterator[dict[str, Any]], pieces):
                    choice = part["choices"][0]
                    if choice.get("finish_reason"):
                        self.last_finish_reason = choice["finish_reason"]
                    if choice["text"]:
                        yield choice["text"]
                    if cancel.is_set():
                        break
            finally:
                cast(Generator[Any, None, None], pieces).close()
                if cancel.is_set():
                    self.last_finish_reason = "cancelled"

    def generate(self, request: GenerationRequest) -> str:
        """The whole completion."""
        return "".join(self.stream(request))

    def generate_json(self, request: GenerationRequest) -> dict:
        """Completion constrained by request.json_schema, parsed and validated.

        The grammar guarantees a valid JSON prefix, so output cut off by max_tokens is closed
        (open string, arrays, objects) and kept if it still satisfies the schema.
        """
        if not request.json_schema:
            raise EngineError("generate_json needs request.json_schema")
        text = self.generate(request)
        if self.last_finish_reason == "cancelled":
            raise GenerationError("generation cancelled")
        self.last_json_repaired = False
        try:
            # The grammar converter lets raw control characters into strings; accept them.
            value = json.loads(text, strict=False)
        except json.JSONDecodeError as exc:
            repaired = close_json_prefix(text) if self.last_finish_reason == "length" else None
            try:
                value = json.loads(repaired, strict=False) if repaired else None
            except json.JSONDecodeError:
                value = None
            if value is None:
                raise GenerationError(
                    f"model output is not JSON ({exc.msg}; {len(text)} chars, stopped by {self.last_finish_reason})"
                ) from exc
            self.last_json_repaired = True
        try:
            validate(value, request.json_schema)
        except SchemaViolation as exc:
            raise GenerationError(f"model output breaks the schema: {exc}") from exc
        return value

    def option_token(self, option: str) -> int:
        """The single token that spells `option` (e.g. a digit); EngineError if it takes several."""
        ids = self._llm.tokenize(option.encode("utf-8"), add_bos=False, special=False)
        if len(ids) != 1:
            raise EngineError(f"{option!r} is not a single token for this model")
        return ids[0]

    def choice_probs(self, request: GenerationRequest, options: Sequence[str], *, fresh_prefix: int | None = None) -> list[float]:
        """Probabilities that the next token is each option (renormalised over the options), from one forward pass.

        No sampling: the same prompt evaluated the same way gives the same numbers. Tokens after the
        longest prefix shared with the previous call are evaluated; `fresh_prefix` (a token count)
        makes the state reproducible whatever ran before: unless those first tokens are already
        cached, the cache is cleared and they are evaluated on their own first.
        """
        import numpy as np

        tokens, _ = self.render(request)
        ids = [self.option_token(o) for o in options]
        if len(tokens) >= self.n_ctx:
            raise GenerationError(f"prompt too long: {len(tokens)} tokens, context {self.n_ctx}")
        with self._lock:
            llm = self._llm
            cached = llm.n_tokens
            limit = min(cached, len(tokens) - 1)  # the last token is always evaluated, for its logits
            common = 0
            previous = llm.input_ids
            while common < limit and previous[common] == tokens[common]:
                common += 1
            if fresh_prefix is not None:
                key = tuple(tokens[:fresh_prefix])
                if common < fresh_prefix or self._fresh_key != key:
                    self._load_prefix(key)
                    self._fresh_key = key
                common = fresh_prefix
            llm.n_tokens = common
            llm.eval(tokens[common:])
            # Only the last token's logits are kept by llama.cpp (no logits_all): read them directly.
            last = llm._ctx.get_logits_ith(-1)
            logits = np.ctypeslib.as_array(last, shape=(llm.n_vocab(),)).astype(np.float64)
        chosen = logits[ids]
        top = float(np.max(logits))
        # Renormalised over the options; their share of the whole distribution is kept for callers that care.
        weights = np.exp(chosen - top)
        total = float(weights.sum())
        self.last_option_mass = float(total / np.exp(logits - top).sum())
        return [float(w / total) for w in weights]

    def _load_prefix(self, key: tuple[int, ...]) -> None:
        """The context holding exactly `key`, evaluated on its own: restored if saved, else evaluated and saved.

        A restored state is byte for byte the one evaluation left, so results do not depend on which path ran.
        Saved states live in memory (the last two) and, with a state folder, on disk: a judging prefix of
        ~2,000 tokens costs ~18 s to evaluate on 2 cores and ~0.1 s to read back.
        """
        import llama_cpp

        llm = self._llm
        ctx = llm._ctx.ctx
        saved = self._prefix_states.pop(key, None)
        if saved is None:
            saved = self._read_state(key)
        if saved is not None and llama_cpp.llama_state_set_data(ctx, saved, len(saved)) == len(saved):
            llm.input_ids[: len(key)] = key
            llm.n_tokens = len(key)
        else:
            llm.n_tokens = 0
            llm.eval(list(key))
            size = llama_cpp.llama_state_get_size(ctx)
            saved = (ctypes.c_uint8 * size)()
            if llama_cpp.llama_state_get_data(ctx, saved, size) != size:
                return
            self._write_state(key, saved)
        self._prefix_states[key] = saved
        while len(self._prefix_states) > 2:  # ~30 MB each for a 1.5B model's judging prefix
            self._prefix_states.pop(next(iter(self._prefix_states)))

    def _state_file(self, key: tuple[int, ...]) -> Path | None:
        """Where the state after `key` is kept: named by the model, the context size, llama.cpp and the tokens."""
        if self._state_dir is None:
            return None
        import hashlib

        import llama_cpp

        model = self.sha256 or f"{self.model_path}:{Path(self.model_path).stat().st_size}"
        h = hashlib.sha256(f"{model}|{self._n_ctx}|{llama_cpp.__version__}|".encode())
        h.update(b"".join(t.to_bytes(4, "little") for t in key))
        return self._state_dir / f"prefix-{h.hexdigest()[:32]}.state"

    def _read_state(self, key: tuple[int, ...]) -> ctypes.Array[ctypes.c_uint8] | None:
        path = self._state_file(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
            path.touch()  # the newest states are the ones kept
        except OSError:
            return None
        if not data:
            return None
        return (ctypes.c_uint8 * len(data)).from_buffer_copy(data)

    def _write_state(self, key: tuple[int, ...], saved: ctypes.Array[ctypes.c_uint8]) -> None:
        """Saves a prefix state atomically; keeps the newest few (a state is tens of MB). Failures only cost speed."""
        path = self._state_file(key)
        if path is None:
            return
        import os
        import tempfile

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(memoryview(saved))
                os.replace(tmp, path)
            finally:
                Path(tmp).unlink(missing_ok=True)
            states = sorted(path.parent.glob("prefix-*.state"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in states[8:]:
                old.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not keep the prompt state in %s: %s", path.parent, exc)

    def prompt_tokens(self, request: GenerationRequest) -> list[int]:
        """The rendered prompt's tokens (to find shared prefixes)."""
        return list(self.render(request)[0])

    def prime(self, prefix: str | GenerationRequest) -> None:
        """Evaluates a fixed prompt prefix now so the next call that starts with it skips that work."""
        if isinstance(prefix, GenerationRequest):
            tokens, _ = self.render(prefix)
        else:
            tokens = self._llm.tokenize(prefix.encode("utf-8"), add_bos=True, special=False)
        with self._lock:
            self._fresh_key = None
            for _ in self._llm.create_completion(tokens, max_tokens=1, temperature=0.0, stream=True):
                pass

    def close(self) -> None:
        """Frees the model."""
        with self._lock:
            self._prefix_states = {}
            self._llm.close()
