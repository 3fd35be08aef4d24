"""Sentence cutting, WER, and the JSON-schema helpers used for constrained generation."""

from __future__ import annotations

import pytest

from desktop_app.engines.llm import close_json_prefix, few_shot_prompt
from desktop_app.engines.schema import SchemaViolation, grammar_schema, validate
from desktop_app.engines.text import cer, cut_sentences, split_sentences, wer

SCORE_SCHEMA = {
    "type": "object",
    "properties": {
        "score": {"type": "integer", "minimum": 0, "maximum": 10},
        "rationale": {"type": "string", "maxLength": 200},
        "evidence": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
    },
    "required": ["score", "rationale", "evidence"],
    "additionalProperties": False,
}


def test_split_sentences_keeps_abbreviations_and_numbers():
    assert split_sentences("Hello Dr. Smith. It costs 3.5 euros! Why?  Fine") == [
        "Hello Dr. Smith.", "It costs 3.5 euros!", "Why?", "Fine"]


def test_cut_sentences_emits_each_sentence_once_it_is_complete():
    pieces = ["Tha", "nk you.", " Now", " tell me", " more?", " Ok"]
    assert list(cut_sentences(pieces)) == ["Thank you.", "Now tell me more?", "Ok"]


def test_wer_counts_substitutions_deletions_insertions_and_ignores_case_and_punctuation():
    assert wer("The cat sat on the mat.", "the cat sat on the mat") == 0
    assert wer("the cat sat on the mat", "the cat sit on mat") == pytest.approx(2 / 6)
    assert wer("a b", "a b c d") == 1.0
    assert wer("", "") == 0 and wer("", "x") == 1


def test_cer_for_languages_without_spaces():
    assert cer("안녕하세요", "안녕하세요") == 0
    assert cer("안녕하세요", "안녕하세") == pytest.approx(1 / 5)


def test_validate_names_field_and_rule():
    validate({"score": 7, "rationale": "ok", "evidence": ["a"]}, SCORE_SCHEMA)
    cases = [
        ({"score": 11, "rationale": "", "evidence": []}, "$.score: must be <= 10"),
        ({"score": 1, "evidence": []}, "$.rationale: is required"),
        ({"score": 1, "rationale": "", "evidence": [1]}, "$.evidence[0]: must be string"),
        ({"score": 1, "rationale": "", "evidence": [], "x": 1}, "$.x: is not allowed"),
        ({"score": True, "rationale": "", "evidence": []}, "$.score: must be integer"),
        ({"score": 1, "rationale": "", "evidence": ["a", "b", "c", "d"]}, "at most 3 items"),
    ]
    for value, message in cases:
        with pytest.raises(SchemaViolation, match=message.replace("[", r"\[").replace("$", r"\$")):
            validate(value, SCORE_SCHEMA)


def test_grammar_schema_turns_small_integer_ranges_into_enums_without_touching_the_original():
    rewritten = grammar_schema(SCORE_SCHEMA)
    assert rewritten["properties"]["score"]["enum"] == list(range(11))
    assert "enum" not in SCORE_SCHEMA["properties"]["score"]


def test_close_json_prefix_closes_strings_arrays_objects():
    assert close_json_prefix('{"a": ["x", "y') == '{"a": ["x", "y"]}'
    assert close_json_prefix('{"a": 1, "b": [2, 3], "c"') == '{"a": 1, "b": [2, 3]}'  # half a key dropped
    assert close_json_prefix('{"a": "x", "n": 1') == '{"a": "x"}'  # a number at the end may be cut: dropped
    assert close_json_prefix('{"a": 1}') is None  # nothing to close
    assert close_json_prefix('{"a": tr') is None


def test_few_shot_prompt_labels_speakers_and_stops_at_the_next_turn():
    prompt, stops = few_shot_prompt([
        {"role": "system", "content": "A job interview."},
        {"role": "assistant", "name": "Interviewer", "content": "Why this role?"},
        {"role": "user", "name": "Candidate", "content": "I like hard problems."},
    ])
    assert prompt == "A job interview.\n\nInterviewer: Why this role?\nCandidate: I like hard problems.\nInterviewer:"
    assert "\nCandidate:" in stops and "\nInterviewer:" in stops
