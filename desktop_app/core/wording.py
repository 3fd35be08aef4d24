"""The words Viva says to people: plain sentences for validation problems, errors, the room and its log.

Everything a non-technical assessor or a candidate reads on screen is phrased here, once, so no
screen shows a field path, an exception class, a command-line flag or an internal enum value.
The module is Qt-free and imports nothing heavier than the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from desktop_app.core.transcript import TurnKind

# ------------------------------------------------------------------ nouns

# What each domain model is called on screen (the agent profile is "the interviewer").
MODEL_NOUNS = {"AgentProfile": "interviewer", "EvaluationTemplate": "template", "EvaluationStage": "stage",
               "Participant": "participant", "Settings": "settings"}

# Field names as words; anything missing falls back to the name with spaces.
FIELD_WORDS = {
    "name": "name", "email": "email address", "template": "template", "agent_profile": "interviewer",
    "duration_minutes": "length in minutes", "pass_threshold": "pass mark", "order": "position",
    "rubric": "rubric", "weight": "weight", "persona": "persona", "skills": "skills", "traits": "traits",
    "tags": "tags", "external_id": "external id", "custom_labels": "custom labels", "samples": "number of samples",
    "success_criteria": "success criteria", "resume": "resume", "use_case": "use case", "type": "stage type",
    "mode": "session mode", "input": "answer mode",
}

# Words that must never reach a screen a person reads (checked by the tests).
FORBIDDEN_ON_SCREEN = re.compile(
    r"\b\w+(?:Error|Exception)\b|AudioUnavailable|ValidationError|Traceback|--\w[\w-]*|(?<![\w/])/(?:repeat|retry|"
    r"submit|pause|resume|end|stop|skip)\b|\bno_hire\b|\bfollow_up\b|\bturn \d+|\bdrafting\b|"
    r"string should have|should have at least")


def field_words(field: str) -> str:
    """A field name as words: 'duration_minutes' -> 'length in minutes'."""
    return FIELD_WORDS.get(field, field.replace("_", " "))


def sentence(text: str) -> str:
    """Capitalised and ending with one full stop."""
    text = " ".join(str(text).split())
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


# ------------------------------------------------------------------ validation problems


def _where(loc: tuple[Any, ...]) -> tuple[str, str]:
    """(the row prefix, the last named field) of a pydantic location: ('rubric', 1, 'name') -> ('rubric dimension 2', 'name')."""
    parts: list[str] = []
    for i, item in enumerate(loc[:-1]):
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(item, str) and isinstance(nxt, int):
            row = "rubric dimension" if item == "rubric" else f"{field_words(item)} item"
            parts.append(f"{row} {nxt + 1}")
        elif isinstance(item, str) and item not in ("behavior", "scoring", "context", "scorecard", "profile",
                                                    "background"):
            parts.append(field_words(item))
    last = loc[-1] if loc else ""
    if isinstance(last, int):
        parts.append(f"item {last + 1}")
        last = loc[-2] if len(loc) > 1 else ""
    return ", ".join(parts), str(last)


def validation_sentence(model: str, loc: tuple[Any, ...], error_type: str, context: Mapping[str, Any] | None,
                        message: str) -> str:
    """One pydantic problem as a sentence a person can act on ('Give the interviewer a name.')."""
    noun = MODEL_NOUNS.get(model, "item")
    ctx = dict(context or {})
    where, field = _where(tuple(loc))
    owner = where or f"the {noun}"
    what = field_words(field) if field else ""
    empty = error_type in ("missing", "string_too_short", "too_short") and (
        error_type == "missing" or ctx.get("min_length") in (None, 1))
    if empty and field == "name":
        return f"Give {owner} a name."
    if empty and field == "template":
        return f"Choose the template this {noun} belongs to."
    if empty and field == "agent_profile":
        return "Choose the interviewer for this stage."
    if empty and field == "rubric":
        return "Add at least one rubric dimension."
    if empty:
        return sentence(f"Fill in the {what} of {owner}" if what else f"Fill in {owner}")
    if error_type == "string_too_long":
        return sentence(f"The {what} of {owner} is too long: keep it under {ctx.get('max_length')} characters")
    if error_type in ("greater_than_equal", "greater_than"):
        return sentence(f"The {what} must be at least {ctx.get('ge', ctx.get('gt'))}")
    if error_type in ("less_than_equal", "less_than"):
        return sentence(f"The {what} must be at most {ctx.get('le', ctx.get('lt'))}")
    if error_type in ("int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"):
        return sentence(f"The {what} must be a number")
    if error_type in ("enum", "literal_error"):
        return sentence(f"Choose one of the offered options for the {what}")
    if error_type == "extra_forbidden":
        return sentence(f"“{field}” is not something Viva knows about; remove it")
    if error_type in ("string_pattern_mismatch",):
        return sentence(f"The {what} is not in the expected form")
    rule = re.sub(r"^(?:Value error|Assertion failed), ", "", message)
    rule = re.sub(r"^custom_labels: ", "", rule)
    for pattern, words in _REWORDED:
        found = re.search(pattern, rule)
        if found:
            return sentence(words.format(*found.groups(), what=what or "list"))
    label = where or what
    return sentence(f"{label[:1].upper() + label[1:]}: {rule}" if label and label != "name" else rule)


# Validator messages (core.models) said the way a person would say them.
_REWORDED = (
    (r"weights sum to (\d+), must be 100", "The rubric weights add up to {0}; they must add up to 100"),
    (r"value is not a valid email address: (.*)", "The email address is not valid. {0}"),
    (r"'(.+)' is listed twice", "“{0}” is listed twice in the {what}; list it once"),
    (r"dimension name '(.+)' is used twice", "Two rubric dimensions are called “{0}”; give each its own name"),
    (r"items must not be empty|tags must not be empty", "Remove the empty entry from the {what}"),
)


# ------------------------------------------------------------------ errors


_CLI_HINT = re.compile(r";?\s*text mode still works: use --text\.?|\s*\(or --answers DIR\)|; use --text to type")


_CLASS_PREFIX = re.compile(r"^\w+(?:Error|Exception|Unavailable|Violation|NotFound|InUse): ")
_VERB_FIRST = re.compile(r"(?:is|are|has|have|already|must|cannot|can't|does|do|was|needs|should)\b")


def error_text(exc: BaseException | str) -> str:
    """An error as one plain sentence for a screen: no class name, no command-line flags, said once."""
    if isinstance(exc, str):  # a message that crossed a thread as text may still start with a class name
        return sentence(_CLASS_PREFIX.sub("", _CLI_HINT.sub("", exc)))
    if hasattr(exc, "rule"):  # a UserError: bad input or a refused operation
        source = getattr(exc, "source", None)
        plain = getattr(exc, "plain", None)
        if not plain:
            field = getattr(exc, "field", None)
            rule = _CLI_HINT.sub("", str(exc.rule))
            # In a file, the place of the problem helps find it; on a form the rule alone reads better.
            if field and source:
                plain = f"{field}: {sentence(rule)}"
            elif field and "." not in field and "[" not in field and _VERB_FIRST.match(rule):
                plain = sentence(f"the {field_words(field)} {rule}")  # "the participant already has session…"
            else:
                plain = sentence(rule)
        return f"{source}: {plain}" if source else plain
    text = _CLI_HINT.sub("", str(exc)).strip()
    if type(exc).__module__.startswith("desktop_app"):  # our own errors carry a message written for people
        return sentence(text or "Something went wrong")
    return sentence(f"Something unexpected went wrong ({text})" if text else "Something unexpected went wrong")


# ------------------------------------------------------------------ the interview room

NO_MICROPHONE = "No microphone was found, so the candidate will type their answers."
NO_AUDIO_DEVICES = "No microphone or speaker was found. Interviews still run: the candidate types the answers."
NO_SPEAKER = "No speaker was found. The interviewer's words are always shown on screen."
REPEAT_BUTTON = "Ask to hear the question again"
REPEAT_TIP = "The interviewer says the current question again"
TEXT_RETRY_INSTRUCTION = "To answer the previous question again, type: let me try again."

THINKING_WORDS = {"follow_up": "preparing a further question", "character_line": "preparing its next line",
                  "feedback": "preparing a tip on the answer", "draft": "preparing what to say next"}
ENDINGS = {"completed": "all questions asked", "time_up": "the time ran out", "ended_early": "ended early",
           "stopped": "stopped, it can be continued later", "input_ended": "no more answers came",
           "failed": "it could not go on"}
STATUS_WORDS = {"completed": "completed", "in_progress": "can be continued later", "scheduled": "not started",
                "cancelled": "cancelled", "failed": "stopped by a problem"}


def question_label(turn_kind: str, index: int, total: int) -> str:
    """How the operator log names a question: the number the candidate sees."""
    if turn_kind == TurnKind.NOTE:
        return f"Note prompt {index} of {total}"
    if turn_kind == TurnKind.FOLLOW_UP:
        return f"Further question on question {index}"
    if turn_kind == TurnKind.ROLEPLAY:
        return f"Roleplay line {index}"
    return f"Question {index} of {total}"


def clock(seconds: float) -> str:
    """m:ss."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def log_line(event: Any, question: int | None = None) -> str:
    """One line of the operator's event log; `question` is the number of the question being answered."""
    kind = str(getattr(event, "kind", ""))
    if kind == "question_started":
        return f"{question_label(event.turn_kind, event.index, event.total)}: {event.text}"
    if kind == "listening":
        how = {"voice": "spoken", "text": "typed", "note": "your note"}.get(event.input, event.input)
        return f"Waiting for the answer ({how})" if event.input != "note" else "Waiting for your note"
    if kind == "answer_final":
        words = len(event.text.split())
        what = f"Answer to question {question}" if question else "Answer"
        extra = f", began after {event.latency_s:.1f} s" if event.latency_s is not None else ""
        pasted = ", pasted" if event.pasted else ""
        return f"{what} saved ({words} words{extra}{pasted})"
    if kind == "thinking":
        return f"The interviewer is {THINKING_WORDS.get(event.what, 'preparing what to say next')}"
    if kind == "speaking":
        return f"Interviewer: {event.text}"
    if kind == "partial_transcript":
        return ""
    if kind == "paused":
        return "Paused"
    if kind == "resumed":
        return "Resumed"
    if kind == "time_warning":
        return f"Time warning: {clock(event.remaining_s)} left"
    if kind == "finished":
        status = STATUS_WORDS.get(event.status, event.status.replace("_", " "))
        return f"Finished: {ENDINGS.get(event.reason, event.reason.replace('_', ' '))} ({event.answers} answers); " \
               f"session {status}"
    if kind == "error":
        return f"{'The interview stopped' if event.fatal else 'A problem'}: {error_text(event.message)}"
    return ""


# ------------------------------------------------------------------ getting started


def counts_summary(counts: Mapping[str, int]) -> str:
    """What an import added: 'Added 3 interviewers, 3 templates with 5 stages, 4 participants'."""
    def n(key: str, one: str, many: str) -> str:
        value = int(counts.get(key, 0))
        return f"{value} {one if value == 1 else many}"

    parts = []
    if counts.get("profiles"):
        parts.append(n("profiles", "interviewer", "interviewers"))
    if counts.get("templates"):
        stages = f" with {n('stages', 'stage', 'stages')}" if counts.get("stages") else ""
        parts.append(n("templates", "template", "templates") + stages)
    elif counts.get("stages"):
        parts.append(n("stages", "stage", "stages"))
    if counts.get("participants"):
        parts.append(n("participants", "participant", "participants"))
    return "Added " + ", ".join(parts) if parts else "Nothing new was added"


# What to create first, for an action that needs something that is missing (ui.operations.missing_for).
WHY_FIRST = {
    "template": "A template's stages are run by an interviewer.",
    "stage": "A stage belongs to a template and is run by an interviewer.",
    "participant": "A participant is assessed against a template.",
    "schedule": "An interview takes place at a stage of the participant's template.",
}
A_THING = {"profile": "an interviewer", "template": "a template", "stage": "a stage", "participant": "a participant"}


def needs_first(action: str, missing: str) -> str:
    """'A participant is assessed against a template. Create a template first.'"""
    if action == "schedule" and missing == "stage":
        return f"{WHY_FIRST[action]} Add a stage to that template first."
    return f"{WHY_FIRST.get(action, '')} Create {A_THING.get(missing, missing)} first.".strip()
