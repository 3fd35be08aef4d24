"""The llama-cpp-python adapter with the embedded Gemma 3 270M base model."""

from __future__ import annotations

import threading

import pytest

from desktop_app.engines.base import GenerationRequest, LanguageModel
from desktop_app.engines.llm import GenerationError

pytestmark = pytest.mark.models

SCORE_SCHEMA = {
    "type": "object",
    "properties": {
        "score": {"type": "integer", "minimum": 0, "maximum": 10},
        "rationale": {"type": "string", "maxLength": 100},
        "evidence": {"type": "array", "items": {"type": "string", "maxLength": 60}, "maxItems": 2},
    },
    "required": ["score", "rationale", "evidence"],
    "additionalProperties": False,
}

SCORING_PROMPT = """Rate each interview answer for problem solving from 0 to 10.

Answer: I restarted the server.
JSON: {"score": 2, "rationale": "No diagnosis.", "evidence": ["restarted the server"]}

Answer: I profiled the query, added an index and cut the page load from 9 seconds to 1.
JSON: {"score": 8, "rationale": "Measured, fixed and verified.", "evidence": ["added an index", "9 seconds to 1"]}

Answer: I found a race condition in the payment service and fixed it with a lock.
JSON: """

# Gemma's published chat template, to exercise the instruct-model path with the same weights.
GEMMA_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}{% set role = 'model' if message['role'] == 'assistant' "
    "else message['role'] %}{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\n' }}{% endif %}"
)


def test_is_a_language_model_and_detects_the_base_model(llm):
    assert isinstance(llm, LanguageModel)
    assert llm.has_chat_template is False
    assert len(llm.sha256) == 64


def test_stream_yields_pieces_that_join_to_the_completion(llm):
    request = dict(prompt="Interviewer: What do you enjoy about programming?\nCandidate:", max_tokens=24,
                   temperature=0.0, seed=3, stop=["\n"])
    # Same KV-cache state before both calls: llama.cpp's batched and incremental evaluation
    # round differently, so only equal starting states give identical greedy output.
    llm.generate(GenerationRequest(prompt="Unrelated.", max_tokens=1))
    pieces = list(llm.stream(GenerationRequest(**request)))
    llm.generate(GenerationRequest(prompt="Unrelated.", max_tokens=1))
    assert len(pieces) > 1
    assert "".join(pieces) == llm.generate(GenerationRequest(**request))


def test_messages_to_a_base_model_become_a_few_shot_transcript(llm):
    tokens, stops = llm.render(GenerationRequest(messages=[
        {"role": "system", "content": "A job interview."},
        {"role": "assistant", "name": "Interviewer", "content": "Why this role?"},
        {"role": "user", "name": "Candidate", "content": "I like hard problems."},
    ]))
    text = llm._llm.detokenize(tokens).decode()
    assert text.endswith("Candidate: I like hard problems.\nInterviewer:")
    assert "\nCandidate:" in stops
    reply = llm.generate(GenerationRequest(messages=[
        {"role": "assistant", "name": "Interviewer", "content": "Why this role?"},
        {"role": "user", "name": "Candidate", "content": "I like hard problems."},
    ], max_tokens=40, temperature=0.0))
    assert "Candidate:" not in reply  # stopped before writing the candidate's next line


def test_instruct_models_are_prompted_with_their_chat_template(llm, monkeypatch):
    monkeypatch.setitem(llm._llm.metadata, "tokenizer.chat_template", GEMMA_TEMPLATE)
    monkeypatch.setattr(llm, "has_chat_template", True)
    monkeypatch.setattr(llm, "_chat_formatter", None)
    tokens, _ = llm.render(GenerationRequest(messages=[{"role": "user", "content": "Hello"}]))
    start_of_turn = llm._llm.tokenize(b"<start_of_turn>", add_bos=False, special=True)
    assert len(start_of_turn) == 1 and tokens.count(start_of_turn[0]) == 2
    assert tokens[0] == llm._llm.token_bos() and tokens[1] != llm._llm.token_bos()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_json_schema_output_parses_and_validates(llm, seed):
    value = llm.generate_json(GenerationRequest(prompt=SCORING_PROMPT, json_schema=SCORE_SCHEMA,
                                                max_tokens=160, temperature=0.7, seed=seed))
    assert set(value) == {"score", "rationale", "evidence"}
    assert isinstance(value["score"], int) and 0 <= value["score"] <= 10
    assert isinstance(value["rationale"], str)
    assert all(isinstance(e, str) for e in value["evidence"])


def test_lazy_grammar_sampling_gives_the_same_greedy_output_as_llama_cpp_python(llm, monkeypatch):
    import functools

    from llama_cpp import Llama

    request = dict(prompt=SCORING_PROMPT, json_schema=SCORE_SCHEMA, max_tokens=30, temperature=0.0)
    llm.generate(GenerationRequest(prompt="Unrelated.", max_tokens=1))
    ours = llm.generate(GenerationRequest(**request))
    monkeypatch.setattr(llm._llm, "_init_sampler", functools.partial(Llama._init_sampler, llm._llm))
    llm.generate(GenerationRequest(prompt="Unrelated.", max_tokens=1))
    assert llm.generate(GenerationRequest(**request)) == ours


def test_json_cut_short_is_closed_when_it_still_fits_the_schema(llm):
    schema = {"type": "object", "properties": {"notes": {"type": "array", "items": {"type": "string"}}},
              "required": ["notes"]}
    value = llm.generate_json(GenerationRequest(prompt="Notes as JSON: ", json_schema=schema, max_tokens=12,
                                                temperature=0.0))
    assert isinstance(value["notes"], list)


def test_cancel_stops_a_stream_mid_generation_and_frees_the_model(llm):
    request = GenerationRequest(prompt="Here is a very long story about a dragon.\n", max_tokens=400,
                                temperature=0.8, seed=5)
    pieces = []
    for piece in llm.stream(request):
        pieces.append(piece)
        if len(pieces) == 5:
            threading.Thread(target=request.cancel.set).start()
    assert 5 <= len(pieces) <= 8
    assert llm.last_finish_reason == "cancelled"
    assert llm.generate(GenerationRequest(prompt="One, two,", max_tokens=3, temperature=0.0))


def test_cancelled_before_start_yields_nothing(llm):
    request = GenerationRequest(prompt="Hello", max_tokens=50)
    request.cancel.set()
    assert list(llm.stream(request)) == []
    with pytest.raises(GenerationError, match="cancelled"):
        llm.generate_json(GenerationRequest(prompt="x", json_schema=SCORE_SCHEMA, cancel=request.cancel))


def test_prime_leaves_the_prefix_in_the_kv_cache_for_the_next_call(llm):
    prefix = SCORING_PROMPT.rsplit("Answer:", 1)[0]
    llm.generate(GenerationRequest(prompt="Something unrelated entirely.", max_tokens=2))
    llm.prime(prefix)
    prefix_tokens = llm._llm.tokenize(prefix.encode(), add_bos=True, special=False)
    assert llm._llm.n_tokens >= len(prefix_tokens)
    assert list(llm._llm._input_ids[: len(prefix_tokens)]) == prefix_tokens
    value = llm.generate_json(GenerationRequest(prompt=prefix + "Answer: I asked a colleague.\nJSON: ",
                                                json_schema=SCORE_SCHEMA, max_tokens=120, temperature=0.0))
    assert 0 <= value["score"] <= 10


def test_a_prefix_state_kept_on_disk_gives_the_same_probabilities_as_evaluating_it(llm, tmp_path, monkeypatch):
    monkeypatch.setattr(llm, "_state_dir", tmp_path)
    monkeypatch.setattr(llm, "_prefix_states", {})
    prefix = SCORING_PROMPT.rsplit("Answer:", 1)[0]
    n = len(llm._llm.tokenize(prefix.encode(), add_bos=True, special=False)) - 1
    request = GenerationRequest(prompt=prefix + "Answer: I asked a colleague.\nJSON: {\"score\": ")
    evaluated = llm.choice_probs(request, list("0123456789"), fresh_prefix=n)
    [state] = tmp_path.glob("prefix-*.state")
    assert state.stat().st_size > 0
    llm._prefix_states.clear()
    llm.generate(GenerationRequest(prompt="Something unrelated entirely.", max_tokens=2))  # the cache now differs
    restored = llm.choice_probs(request, list("0123456789"), fresh_prefix=n)
    assert restored == evaluated
    # A damaged state file costs only time: it is evaluated again and rewritten.
    state.write_bytes(b"not a llama state")
    llm._prefix_states.clear()
    llm.generate(GenerationRequest(prompt="Something unrelated entirely.", max_tokens=2))
    assert llm.choice_probs(request, list("0123456789"), fresh_prefix=n) == evaluated
    assert state.stat().st_size > 100


def test_generations_from_two_threads_run_one_at_a_time(llm, monkeypatch):
    active, most = [0], [0]
    original = llm._llm.create_completion

    def counting(*args, **kwargs):
        for part in original(*args, **kwargs):
            active[0] += 1
            most[0] = max(most[0], active[0])
            yield part
            active[0] -= 1

    monkeypatch.setattr(llm._llm, "create_completion", counting)
    results: dict[int, str] = {}

    def run(i: int) -> None:
        results[i] = llm.generate(GenerationRequest(prompt="The three primary colours are", max_tokens=8))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2 and most[0] == 1


def test_thread_count_can_change_between_generations(llm):
    request = dict(prompt="One, two, three,", max_tokens=6, temperature=0.0)
    try:
        llm.set_threads(1)
        assert llm.n_threads == 1 and llm.generate(GenerationRequest(**request))
    finally:
        llm.set_threads(2)
    with pytest.raises(ValueError, match="n_threads"):
        llm.set_threads(0)


def test_prompt_longer_than_the_context_is_refused(llm):
    with pytest.raises(GenerationError, match="prompt too long"):
        llm.generate(GenerationRequest(prompt="word " * (llm.n_ctx + 500), max_tokens=10))
