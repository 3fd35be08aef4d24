"""The question bank in resources/: loading, validation and lookups by tier, tag and tone."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BANK_PATH = Path(__file__).resolve().parents[2] / "resources" / "question_bank.yaml"
TIERS = 4  # 0 introductory/easy .. 3 expert/hard
TONES = ("friendly", "professional", "strict", "challenging")


class BankError(ValueError):
    """The bank file breaks a rule; the message names the field."""


@dataclass(frozen=True)
class BankQuestion:
    """A ready-made question with the tags that select it."""

    id: str
    text: str
    tier: int
    tags: tuple[str, ...]
    kind: str  # behavioural | situational


@dataclass(frozen=True)
class Character:
    """A roleplay character: who it is and its scripted lines (the fallback when the model fails)."""

    id: str
    keywords: tuple[str, ...]
    character: str  # label of the character's lines, e.g. "Customer"
    trainee: str  # label of the candidate's lines, e.g. "Agent"
    description: str
    opener: str
    lines: tuple[str, ...]
    farewell: str


@dataclass(frozen=True)
class QuestionBank:
    """Everything the plan and the runner draw wording from."""

    version: int
    skill_templates: tuple[tuple[str, ...], ...]
    trait_templates: tuple[tuple[str, ...], ...]
    criterion_templates: tuple[tuple[str, ...], ...]
    questions: tuple[BankQuestion, ...]
    warm_up: str
    follow_ups: dict[str, tuple[str, ...]]
    acknowledgements: dict[str, tuple[str, ...]]
    intro_lines: dict[str, str]
    instructions: dict[str, str]
    closings: dict[str, str]
    no_answer_prompts: tuple[str, ...]
    resume_line: str
    retry_line: str
    characters: tuple[Character, ...]
    lowercase_terms: frozenset[str] = field(default_factory=frozenset)
    style_lines: dict[str, str] = field(default_factory=dict)
    transitions: tuple[str, ...] = ()

    def term(self, name: str) -> str:
        """A skill or trait as it reads inside a sentence ("Teamwork" -> "teamwork", "Python" stays)."""
        return name.lower() if name.casefold() in self.lowercase_terms else name

    def tagged(self, words: set[str], tier: int) -> list[BankQuestion]:
        """Bank questions sharing a tag with `words`, nearest tier first, then most tags shared."""
        scored = []
        for q in self.questions:
            shared = len(words & set(q.tags))
            if shared:
                scored.append((abs(q.tier - tier), -shared, q.id, q))
        return [q for *_, q in sorted(scored, key=lambda s: s[:3])]

    def character_for(self, scenario: str) -> Character:
        """The roleplay character whose keywords appear in the scenario (the generic one otherwise)."""
        text = scenario.casefold()
        for c in self.characters:
            if any(re.search(rf"\b{re.escape(k)}", text) for k in c.keywords):
                return c
        return next(c for c in self.characters if not c.keywords)

    def acknowledgement_list(self, tone: str) -> tuple[str, ...]:
        """Short acknowledgements for a tone."""
        return self.acknowledgements.get(tone) or self.acknowledgements["professional"]


def _strs(value: Any, where: str, *, min_items: int = 1) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) < min_items or not all(isinstance(v, str) and v.strip() for v in value):
        raise BankError(f"{where}: must be a list of at least {min_items} non-empty strings")
    return tuple(v.strip() for v in value)


def _tiers(value: Any, where: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or len(value) != TIERS:
        raise BankError(f"{where}: must list {TIERS} tiers (introductory .. expert)")
    return tuple(_strs(t, f"{where}[{i}]") for i, t in enumerate(value))


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BankError(f"{where}: must be a non-empty string")
    return value.strip()


def _by_tone(value: Any, where: str, *, lists: bool) -> dict:
    if not isinstance(value, dict) or "professional" not in value:
        raise BankError(f"{where}: must map tones to text and include 'professional'")
    return {k: (_strs(v, f"{where}.{k}") if lists else _text(v, f"{where}.{k}")) for k, v in value.items()}


def parse_bank(data: Any) -> QuestionBank:
    """Validates a loaded bank document; BankError names the first broken field."""
    if not isinstance(data, dict):
        raise BankError("the bank must be a mapping")
    tiers = {k: _tiers(data.get(k), k) for k in ("skill_templates", "trait_templates", "criterion_templates")}
    questions: list[BankQuestion] = []
    seen: set[str] = set()
    for kind in ("behavioural", "situational"):
        for i, q in enumerate(data.get(kind) or []):
            where = f"{kind}[{i}]"
            if not isinstance(q, dict):
                raise BankError(f"{where}: must be a mapping")
            qid = _text(q.get("id"), f"{where}.id")
            if qid in seen:
                raise BankError(f"{where}.id: {qid!r} is used twice")
            seen.add(qid)
            tier = q.get("tier")
            if not isinstance(tier, int) or not 0 <= tier < TIERS:
                raise BankError(f"{where}.tier: must be 0..{TIERS - 1}")
            tags = tuple(t.casefold() for t in _strs(q.get("tags"), f"{where}.tags"))
            questions.append(BankQuestion(qid, _text(q.get("text"), f"{where}.text"), tier, tags, kind))
    characters = []
    for i, c in enumerate(data.get("roleplay") or []):
        where = f"roleplay[{i}]"
        if not isinstance(c, dict):
            raise BankError(f"{where}: must be a mapping")
        characters.append(Character(
            id=_text(c.get("id"), f"{where}.id"),
            keywords=tuple(k.casefold() for k in (c.get("keywords") or [])),
            character=_text(c.get("character"), f"{where}.character"),
            trainee=_text(c.get("trainee"), f"{where}.trainee"),
            description=_text(c.get("description"), f"{where}.description"),
            opener=_text(c.get("opener"), f"{where}.opener"),
            lines=_strs(c.get("lines"), f"{where}.lines", min_items=2),
            farewell=_text(c.get("farewell"), f"{where}.farewell"),
        ))
    if not any(not c.keywords for c in characters):
        raise BankError("roleplay: needs one generic character with no keywords")
    follow_ups = data.get("follow_ups")
    if not isinstance(follow_ups, dict) or not follow_ups:
        raise BankError("follow_ups: must map a reason to a list of questions")
    closings = data.get("closings") or {}
    for key in ("completed", "time_up", "ended_early", "practice", "async", "roleplay"):
        _text(closings.get(key), f"closings.{key}")
    instructions = data.get("instructions") or {}
    for key in ("voice", "text", "practice", "async", "roleplay"):
        _text(instructions.get(key), f"instructions.{key}")
    return QuestionBank(
        version=int(data.get("version", 1)),
        skill_templates=tiers["skill_templates"],
        trait_templates=tiers["trait_templates"],
        criterion_templates=tiers["criterion_templates"],
        questions=tuple(questions),
        warm_up=_text(data.get("warm_up"), "warm_up"),
        follow_ups={k: _strs(v, f"follow_ups.{k}") for k, v in follow_ups.items()},
        acknowledgements=_by_tone(data.get("acknowledgements"), "acknowledgements", lists=True),
        intro_lines=_by_tone(data.get("intro_lines"), "intro_lines", lists=False),
        instructions={k: str(v) for k, v in instructions.items()},
        closings={k: str(v) for k, v in closings.items()},
        no_answer_prompts=_strs(data.get("no_answer_prompts"), "no_answer_prompts", min_items=2),
        resume_line=_text(data.get("resume_line"), "resume_line"),
        retry_line=_text(data.get("retry_line"), "retry_line"),
        characters=tuple(characters),
        lowercase_terms=frozenset(t.casefold() for t in data.get("lowercase_terms") or []),
        style_lines={k: _text(v, f"style_lines.{k}") for k, v in (data.get("style_lines") or {}).items()},
        transitions=_strs(data["transitions"], "transitions") if data.get("transitions") else (),
    )


def load_bank(path: str | Path | None = None) -> QuestionBank:
    """The bank at `path` (default resources/question_bank.yaml), validated; cached per path."""
    return _load(str(Path(path) if path else BANK_PATH))


@functools.lru_cache(maxsize=4)
def _load(path: str) -> QuestionBank:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except FileNotFoundError:
        raise BankError(f"{path}: question bank not found") from None
    except yaml.YAMLError as exc:
        raise BankError(f"{path}: not valid YAML ({exc})") from None
    try:
        return parse_bank(data)
    except BankError as exc:
        raise BankError(f"{path}: {exc}") from None
