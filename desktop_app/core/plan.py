"""The interview plan: questions, persona, context and time budget, built before the interview starts.

The plan carries the structure so the interview never depends on the model being smart:
every skill, trait and success criterion of the template gets a core question, worded from
the question bank at the template's depth and the profile's difficulty, in the same order
for every participant of a stage (the wording is chosen with a seed derived from the stage id).
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from desktop_app.core.models import (
    AgentProfile,
    Difficulty,
    EvaluationStage,
    EvaluationTemplate,
    Participant,
    QuestionDepth,
    SessionMode,
    Style,
)
from desktop_app.core.probes import content_words, similarity
from desktop_app.core.question_bank import TIERS, QuestionBank, load_bank

PLAN_VERSION = 1
DEPTH_TIER = {QuestionDepth.INTRODUCTORY: 0, QuestionDepth.INTERMEDIATE: 1, QuestionDepth.ADVANCED: 2, QuestionDepth.EXPERT: 3}
DIFFICULTY_SHIFT = {Difficulty.EASY: -1, Difficulty.MEDIUM: 0, Difficulty.HARD: 1, Difficulty.ADAPTIVE: 0}
PROBES = {"low": (0, 1), "medium": (1, 2), "high": (2, 3)}
ANSWER_S = 75.0  # planning estimate for one answer, question included
FOLLOW_UP_S = 40.0
WARM_UP_MIN_MINUTES = 15
RESUME_CHARS = 1200


@dataclass(frozen=True)
class PlannedQuestion:
    """One core question (or roleplay beat) and what it covers."""

    id: str
    text: str
    kind: str  # warm_up | skill | trait | criterion | general | roleplay
    targets: tuple[str, ...]
    tier: int
    variants: dict[str, str] = field(default_factory=dict)  # "-1"/"+1": easier/harder wording (adaptive)
    max_follow_ups: int = 0
    source: str = "template"  # bank question id, or "template" for a generic template
    lead: str = ""  # said just before the question (a conversational transition)

    def text_at(self, shift: int) -> str:
        """The wording at a difficulty shift (-1, 0, +1), falling back to the base wording."""
        return self.variants.get(f"{shift:+d}", self.text) if shift else self.text


@dataclass(frozen=True)
class Roleplay:
    """The character the AI plays in a roleplay simulation, with its scripted fallback lines."""

    scenario: str
    character_id: str
    character: str
    trainee: str
    description: str
    opener: str
    lines: tuple[str, ...]
    farewell: str


@dataclass(frozen=True)
class InterviewPlan:
    """Everything the runner follows; stored on the session as JSON."""

    version: int
    mode: str
    seed: int
    stage_id: str
    stage_name: str
    template_name: str
    objective: str
    persona: str
    persona_name: str
    tone: str
    style: str
    difficulty: str
    probing_depth: str
    follow_up_range: tuple[int, int]
    question_depth: str
    introduction: str
    instructions: dict[str, str]
    closings: dict[str, str]
    acknowledgements: tuple[str, ...]
    questions: tuple[PlannedQuestion, ...]
    context: dict[str, str]
    participant_name: str
    resume_excerpt: str
    skills: tuple[str, ...]
    traits: tuple[str, ...]
    success_criteria: tuple[str, ...]
    time_budget_s: float
    roleplay: Roleplay | None = None
    bank_version: int = 1

    @property
    def adaptive(self) -> bool:
        """True when difficulty follows the answers."""
        return self.difficulty == Difficulty.ADAPTIVE

    def question(self, question_id: str) -> PlannedQuestion:
        """A planned question by id."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def closing(self, reason: str) -> str:
        """The closing line for how the interview ended."""
        return self.closings.get(reason) or self.closings["completed"]

    def phrases(self) -> list[str]:
        """Fixed lines worth synthesising before the interview starts, most urgent first."""
        out = [self.introduction]
        for q in self.questions:
            out += [q.lead, q.text]
            out += list(q.variants.values())
        out += list(self.acknowledgements) + list(self.closings.values())
        if self.roleplay:
            out += [self.roleplay.opener, *self.roleplay.lines, self.roleplay.farewell]
        return list(dict.fromkeys(p for p in out if p))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterviewPlan:
        """Rebuilds a stored plan; ValueError if it is not a plan of this version."""
        if not isinstance(data, dict) or data.get("version") != PLAN_VERSION:
            raise ValueError(f"plan: version must be {PLAN_VERSION}")
        d = dict(data)
        d["questions"] = tuple(
            PlannedQuestion(**{**q, "targets": tuple(q.get("targets", ()))}) for q in d["questions"]
        )
        if d.get("roleplay"):
            d["roleplay"] = Roleplay(**{**d["roleplay"], "lines": tuple(d["roleplay"]["lines"])})
        for key in ("acknowledgements", "skills", "traits", "success_criteria", "follow_up_range"):
            d[key] = tuple(d[key])
        return cls(**d)


def stage_seed(stage_id: str) -> int:
    """A stable seed from the stage id: the same plan wording for every participant of a stage."""
    return int.from_bytes(hashlib.sha256(stage_id.encode("utf-8")).digest()[:8], "big")


def base_tier(depth: str, difficulty: str) -> int:
    """The bank tier for a template depth and a profile difficulty."""
    return max(0, min(TIERS - 1, DEPTH_TIER[QuestionDepth(depth)] + DIFFICULTY_SHIFT[Difficulty(difficulty)]))


def persona_name(persona: str) -> str:
    """The name at the start of a persona ("Alex, a senior engineer" -> "Alex")."""
    text = re.sub(r"^(?:i am|i'm|my name is)\s+", "", persona.strip(), flags=re.I)
    head = re.split(r"[,.;(]| - | who | from ", text, maxsplit=1)[0].strip()
    return head if head and len(head.split()) <= 3 else "your interviewer"


def organization_name(organization: str) -> str:
    """A short name from an organization context ("Acme Ltd builds payment systems." -> "Acme Ltd")."""
    head = re.split(r"[,;:(]| - ", organization.strip(), maxsplit=1)[0].strip().rstrip(".")
    if 0 < len(head.split()) <= 5:
        return head
    words: list[str] = []
    for word in head.split():
        if not word[:1].isupper() or len(words) == 5:
            break
        words.append(word)
    return " ".join(words)


_SECOND_PERSON = [
    (r"\byou are\b", "I am"), (r"\byou're\b", "I'm"), (r"\byou were\b", "I was"), (r"\byou have\b", "I have"),
    (r"\byou've\b", "I've"), (r"\byou'll\b", "I'll"), (r"\byou'd\b", "I'd"), (r"\byourself\b", "myself"),
    (r"\byours\b", "mine"), (r"\byour\b", "my"),
    (r"(^|\b(?:and|but|so|because|when|if|that|since|until|as)\s+)you\b", r"\1I"), (r"\byou\b", "me"),
]


def scenario_opener(scenario: str) -> str:
    """The character's first words from a second-person scenario ("You are Jordan. Your blender..." ->
    "I'm Jordan. My blender..."); empty when the scenario is not written that way."""
    kept = []
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(scenario.split())):
        if not re.match(r"^(?:you|your)\b", sentence, re.I):
            continue  # instructions to the actor ("Calm down only if...") are not said aloud
        line = sentence
        for pattern, repl in _SECOND_PERSON:
            line = re.sub(pattern, repl, line, flags=re.I)
        line = re.sub(r"^I am\b", "I'm", line)
        kept.append(line[:1].upper() + line[1:])
    text = " ".join(kept)
    return text if 3 <= len(text.split()) <= 60 else ""


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1:] in ".!?" else text + "."


class _Wording:
    """Chooses wording for targets with one seeded generator, never using a bank question twice."""

    def __init__(self, bank: QuestionBank, seed: int, adaptive: bool) -> None:
        self.bank = bank
        self.adaptive = adaptive
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def word(self, kind: str, target: str, tier: int) -> tuple[str, str, dict[str, str]]:
        """(text, source, variants at tier-1/tier+1) for one target."""
        pick = self.rng.random()
        tagged = self._tagged(kind, target, tier)
        if tagged is not None:
            self.used.add(tagged.id)
            variants: dict[str, str] = {}
            for shift in (-1, 1) if self.adaptive else ():
                other = self._tagged(kind, target, tier + shift, strict_tier=True)
                variants[f"{shift:+d}"] = other.text if other else self._generic(kind, target, tier + shift, pick)
            return tagged.text, tagged.id, variants
        text = self._generic(kind, target, tier, pick)
        variants = {f"{s:+d}": self._generic(kind, target, tier + s, pick) for s in ((-1, 1) if self.adaptive else ())}
        return text, "template", variants

    def _tagged(self, kind: str, target: str, tier: int, strict_tier: bool = False):
        if kind == "skill" and target.casefold() not in self.bank.lowercase_terms:
            return None  # a technical skill gets a question about that skill, not a behavioural stand-in
        need = 2 if kind == "criterion" else 1
        words = content_words(target) | {w.casefold() for w in re.findall(r"[\w-]+", target)}
        for q in self.bank.tagged(words, tier):
            shared = len(words & set(q.tags))
            close = q.tier == tier if strict_tier else abs(q.tier - tier) <= 1
            if shared >= need and close and q.id not in self.used:
                return q
        return None

    def _generic(self, kind: str, target: str, tier: int, pick: float) -> str:
        tier = max(0, min(TIERS - 1, tier))
        table = {"skill": self.bank.skill_templates, "trait": self.bank.trait_templates}.get(
            kind, self.bank.criterion_templates)
        options = table[tier]
        template = options[int(pick * len(options)) % len(options)]
        term = self.bank.term(target)
        return template.format(skill=term, trait=term, criterion=_sentence(target), target=term)


def _questions(template: EvaluationTemplate, bank: QuestionBank, seed: int, tier: int, mode: str,
               follow_ups: int, minutes: int, adaptive: bool) -> list[PlannedQuestion]:
    wording = _Wording(bank, seed, adaptive)
    targets = [("skill", s) for s in template.skills] + [("trait", t) for t in template.traits]
    targets += [("criterion", c) for c in template.success_criteria]
    out: list[PlannedQuestion] = []
    if mode in (SessionMode.LIVE_AI_INTERVIEW, SessionMode.PRACTICE_SESSION) and minutes >= WARM_UP_MIN_MINUTES:
        out.append(PlannedQuestion("q0", bank.warm_up, "warm_up", (), 0, {}, min(follow_ups, 1), "warm_up"))
    seen_texts: list[str] = []
    for kind, target in targets:
        text, source, variants = wording.word(kind, target, tier)
        if any(similarity(text, s) >= 0.9 for s in seen_texts):
            text, source = wording._generic(kind, target, tier, 0.99), "template"
        seen_texts.append(text)
        number = sum(1 for q in out if q.kind != "warm_up") + 1
        out.append(PlannedQuestion(f"q{number}", text, kind, (target,), tier, variants, follow_ups, source))
    if not targets:  # nothing to cover: fall back to three bank questions of the right tier
        for q in bank.tagged({"example", "problem", "motivation"}, tier)[:3]:
            out.append(PlannedQuestion(f"q{len(out) + 1}", q.text, "general", (), tier, {}, follow_ups, q.id))
    return out


def _roleplay(profile: AgentProfile, template: EvaluationTemplate, bank: QuestionBank, seed: int,
              follow_ups: int) -> tuple[Roleplay, list[PlannedQuestion]]:
    scenario = profile.context.scenario or template.objective or "A conversation in which the trainee helps someone."
    c = bank.character_for(scenario)
    lines = list(c.lines)
    random.Random(seed).shuffle(lines)
    targets = [*template.skills, *template.traits, *template.success_criteria]
    beats = max(3, min(len(targets), len(lines) + 1))
    groups: list[list[str]] = [[] for _ in range(beats)]
    for i, target in enumerate(targets):
        groups[i % beats].append(target)
    opener = scenario_opener(scenario) or c.opener
    questions = [
        PlannedQuestion(f"q{i + 1}", opener if i == 0 else lines[(i - 1) % len(lines)], "roleplay", tuple(group),
                        1, {}, follow_ups, f"roleplay:{c.id}")
        for i, group in enumerate(groups)
    ]
    return Roleplay(scenario, c.id, c.character, c.trainee, c.description, opener, tuple(lines), c.farewell), questions


def introduction(*, first_name: str, persona: str, stage_name: str, template_name: str, organization: str,
                 tone: str, style: str, bank: QuestionBank, count: int, minutes: int,
                 roleplay: Roleplay | None = None) -> str:
    """The opening words spoken to the candidate: greeting, the persona word for word, stage, length, tone."""
    parts = [f"Hello {first_name}." if first_name else "Hello."]
    if persona and not roleplay:
        parts.append(_sentence(persona if re.match(r"^(?:i am|i'm|my name is)\b", persona, re.I) else f"I'm {persona}"))
    org = organization_name(organization)
    where = f" at {org}" if org else ""
    parts.append(_sentence(f"This is the {stage_name} stage for {template_name}{where}"))
    if roleplay:
        trainee = "yourself" if roleplay.trainee == "You" else f"the {roleplay.trainee.lower()}"
        parts.append(_sentence(f"In this roleplay you are {trainee}, and I will play {persona or roleplay.description}"))
        parts.append(f"It will take about {minutes} minutes.")
    else:
        noun = "question" if count == 1 else "questions"
        parts.append(f"It will take about {minutes} minutes, with {count} main {noun}.")
    parts.append(bank.intro_lines.get(tone) or bank.intro_lines["professional"])
    if not roleplay and bank.style_lines.get(style):
        parts.append(bank.style_lines[style])
    return " ".join(parts)


def _with_transitions(questions: list[PlannedQuestion], bank: QuestionBank, seed: int) -> list[PlannedQuestion]:
    """Conversational style: a short transition naming the topic before each skill or trait question after the first."""
    if not bank.transitions:
        return questions
    rng = random.Random(seed ^ 0x5EED)
    out = []
    for i, q in enumerate(questions):
        if i > 0 and q.kind in ("skill", "trait") and q.targets:
            lead = rng.choice(bank.transitions).format(target=bank.term(q.targets[0]))
            q = PlannedQuestion(**{**q.__dict__, "lead": lead})
        out.append(q)
    return out


def build_plan(template: EvaluationTemplate, stage: EvaluationStage, profile: AgentProfile, participant: Participant,
               *, stage_id: str, mode: str, bank: QuestionBank | None = None, seed: int | None = None) -> InterviewPlan:
    """The plan for one session: same questions in the same order for every participant of the stage."""
    bank = bank or load_bank()
    seed = stage_seed(stage_id) if seed is None else seed
    behavior = profile.behavior
    minutes = stage.duration_minutes or template.duration_minutes
    low, high = PROBES[behavior.probing_depth]
    if mode in (SessionMode.ASYNC_INTERVIEW, SessionMode.MANUAL_REVIEW):
        low = high = 0
    tier = base_tier(template.question_depth, behavior.difficulty)
    roleplay = None
    if mode == SessionMode.ROLEPLAY_SIMULATION:
        roleplay, questions = _roleplay(profile, template, bank, seed, high)
    else:
        questions = _questions(template, bank, seed, tier, mode, high, minutes,
                               behavior.difficulty == Difficulty.ADAPTIVE)
        if behavior.style == Style.CONVERSATIONAL:
            questions = _with_transitions(questions, bank, seed)
    first_name = participant.name.split()[0] if participant.name.split() else ""
    count = sum(1 for q in questions if q.kind != "warm_up")
    intro = introduction(first_name=first_name, persona=profile.persona, stage_name=stage.name,
                         template_name=template.name, organization=profile.context.organization,
                         tone=str(behavior.tone), style=str(behavior.style), bank=bank, count=count, minutes=minutes,
                         roleplay=roleplay)
    suffix = f", {first_name}" if first_name else ""
    closings = {k: v.replace("{name_suffix}", suffix) for k, v in bank.closings.items()}
    resume = " ".join(participant.resume_text.split())[:RESUME_CHARS]
    return InterviewPlan(
        version=PLAN_VERSION, mode=str(mode), seed=seed, stage_id=stage_id, stage_name=stage.name,
        template_name=template.name, objective=template.objective, persona=profile.persona,
        persona_name=persona_name(profile.persona), tone=str(behavior.tone), style=str(behavior.style),
        difficulty=str(behavior.difficulty), probing_depth=str(behavior.probing_depth), follow_up_range=(low, high),
        question_depth=str(template.question_depth), introduction=intro, instructions=dict(bank.instructions),
        closings=closings, acknowledgements=bank.acknowledgement_list(str(behavior.tone)), questions=tuple(questions),
        context=profile.context.dump(), participant_name=participant.name, resume_excerpt=resume,
        skills=tuple(template.skills), traits=tuple(template.traits), success_criteria=tuple(template.success_criteria),
        time_budget_s=float(minutes * 60), roleplay=roleplay, bank_version=bank.version,
    )


def planned_seconds(plan: InterviewPlan, question_index: int = 0) -> float:
    """Estimated time the questions from `question_index` on need, each with its minimum follow-ups."""
    remaining = plan.questions[question_index:]
    return len(remaining) * (ANSWER_S + plan.follow_up_range[0] * FOLLOW_UP_S)
