"""The five concepts of an interview setup, with their validation rules."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)


def _aliases(name: str, *more: str) -> AliasChoices:
    """Accepts our snake_case name, its camelCase spelling and any extra spellings."""
    head, *rest = name.split("_")
    camel = head + "".join(w.title() for w in rest)
    return AliasChoices(name, camel, *more)


class Base(BaseModel):
    """Strict models: unknown fields are errors, values are re-validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True, use_enum_values=True)

    def dump(self) -> dict[str, Any]:
        """A JSON-ready dict with our snake_case names."""
        return self.model_dump(mode="json")


# ---------------------------------------------------------------- vocabularies


class UseCase(StrEnum):
    HIRING = "hiring"
    TRAINING = "training"
    MOCK_INTERVIEW = "mock_interview"
    ADMISSIONS = "admissions"
    CERTIFICATION = "certification"
    CUSTOM = "custom"


class SuccessOutcome(StrEnum):
    HIRE_NO_HIRE = "hire_no_hire"
    ADMIT_REJECT = "admit_reject"
    PASS_FAIL = "pass_fail"
    READY_NEEDS_TRAINING = "ready_needs_training"
    CERTIFIED_NOT_CERTIFIED = "certified_not_certified"
    CUSTOM = "custom"


OUTCOME_FOR_USE_CASE: dict[str, SuccessOutcome] = {
    UseCase.HIRING: SuccessOutcome.HIRE_NO_HIRE,
    UseCase.TRAINING: SuccessOutcome.READY_NEEDS_TRAINING,
    UseCase.MOCK_INTERVIEW: SuccessOutcome.PASS_FAIL,
    UseCase.ADMISSIONS: SuccessOutcome.ADMIT_REJECT,
    UseCase.CERTIFICATION: SuccessOutcome.CERTIFIED_NOT_CERTIFIED,
    UseCase.CUSTOM: SuccessOutcome.CUSTOM,
}

# (positive, negative) label for each outcome.
VOCABULARY: dict[str, tuple[str, str]] = {
    SuccessOutcome.HIRE_NO_HIRE: ("hire", "no_hire"),
    SuccessOutcome.ADMIT_REJECT: ("admit", "reject"),
    SuccessOutcome.PASS_FAIL: ("pass", "fail"),
    SuccessOutcome.READY_NEEDS_TRAINING: ("ready", "needs_practice"),
    SuccessOutcome.CERTIFIED_NOT_CERTIFIED: ("certified", "not_certified"),
}


def recommendation_labels(use_case: str, custom: tuple[str, str] | None = None) -> tuple[str, str]:
    """(positive, negative) recommendation words for a use case; custom labels for `custom`."""
    outcome = OUTCOME_FOR_USE_CASE[UseCase(use_case)]
    if outcome == SuccessOutcome.CUSTOM:
        return custom or ("pass", "fail")
    return VOCABULARY[outcome]


class Tone(StrEnum):
    FRIENDLY = "friendly"
    PROFESSIONAL = "professional"
    STRICT = "strict"
    CHALLENGING = "challenging"


class Style(StrEnum):
    STRUCTURED = "structured"
    CONVERSATIONAL = "conversational"
    ADAPTIVE = "adaptive"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"
    ADAPTIVE = "adaptive"


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Scale(StrEnum):
    TEN = "0-10"
    FIVE = "0-5"
    HUNDRED = "0-100"


SCALE_MAX = {Scale.TEN: 10, Scale.FIVE: 5, Scale.HUNDRED: 100}


class ScoringMethod(StrEnum):
    WEIGHTED_AVERAGE = "weighted_average"
    RULE_BASED = "rule_based"


class SessionMode(StrEnum):
    LIVE_AI_INTERVIEW = "live_ai_interview"
    ASYNC_INTERVIEW = "async_interview"
    ROLEPLAY_SIMULATION = "roleplay_simulation"
    PRACTICE_SESSION = "practice_session"
    MANUAL_REVIEW = "manual_review"


class StageType(StrEnum):
    AI_INTERVIEW = "ai_interview"
    ROLEPLAY_SIMULATION = "roleplay_simulation"
    PRACTICE_SESSION = "practice_session"
    MANUAL_REVIEW = "manual_review"
    ASYNC_ASSESSMENT = "async_assessment"
    FINAL_REVIEW = "final_review"


MODE_FOR_STAGE_TYPE = {
    StageType.AI_INTERVIEW: SessionMode.LIVE_AI_INTERVIEW,
    StageType.ROLEPLAY_SIMULATION: SessionMode.ROLEPLAY_SIMULATION,
    StageType.PRACTICE_SESSION: SessionMode.PRACTICE_SESSION,
    StageType.MANUAL_REVIEW: SessionMode.MANUAL_REVIEW,
    StageType.ASYNC_ASSESSMENT: SessionMode.ASYNC_INTERVIEW,
    StageType.FINAL_REVIEW: SessionMode.MANUAL_REVIEW,
}


class OnCompletion(StrEnum):
    AUTO_ADVANCE = "auto_advance"
    WAIT_FOR_APPROVAL = "wait_for_approval"


class QuestionDepth(StrEnum):
    INTRODUCTORY = "introductory"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class TemplateStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    SessionStatus.SCHEDULED: frozenset({SessionStatus.IN_PROGRESS, SessionStatus.CANCELLED}),
    SessionStatus.IN_PROGRESS: frozenset({SessionStatus.COMPLETED, SessionStatus.FAILED, SessionStatus.CANCELLED}),
    SessionStatus.COMPLETED: frozenset(),
    SessionStatus.FAILED: frozenset(),
    SessionStatus.CANCELLED: frozenset(),
}


def check_transition(current: str, new: str) -> None:
    """Raises ValueError unless a session may move from `current` to `new`."""
    if new not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS.get(current, ()))) or "none (final)"
        raise ValueError(f"cannot move from {current} to {new}; allowed from {current}: {allowed}")


# ---------------------------------------------------------------- agent profile


class Anchors(Base):
    """Behaviourally anchored descriptions of low, middle and high performance."""

    low: str = ""
    middle: str = Field(default="", validation_alias=AliasChoices("middle", "mid", "medium"))
    high: str = ""


class RubricDimension(Base):
    """One scoring axis of a rubric."""

    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    weight: int = Field(ge=0, le=100)
    anchors: Anchors = Field(default_factory=Anchors)

    @field_validator("weight", mode="before")
    @classmethod
    def _integer_weight(cls, v: Any) -> Any:
        if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
            raise ValueError("must be a whole number")
        return v


class Behavior(Base):
    """How the interviewer conducts the conversation."""

    tone: Tone = Tone.PROFESSIONAL
    style: Style = Style.STRUCTURED
    difficulty: Difficulty = Difficulty.MEDIUM
    probing_depth: Level = Field(default=Level.MEDIUM, validation_alias=_aliases("probing_depth"))


class Scoring(Base):
    """How a conversation becomes a score."""

    scale: Scale = Scale.TEN
    method: ScoringMethod = Field(
        default=ScoringMethod.WEIGHTED_AVERAGE, validation_alias=AliasChoices("method", "scoring_method", "scoringMethod")
    )
    recommendation_logic: str | None = Field(default=None, validation_alias=_aliases("recommendation_logic"))
    # Rule-based scoring: per dimension name, a list of rules (see core.scoring_rules).
    rules: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    # Several samples per dimension with a small model; their agreement is reported.
    samples: int = Field(default=3, ge=1, le=9)
    # How AI and human raters combine: ai | human | mean.
    combine: str = Field(default="mean", pattern=r"^(ai|human|mean)$")

    @property
    def max_score(self) -> int:
        return SCALE_MAX[Scale(self.scale)]


class Context(Base):
    """Grounding for the interviewer: the organization, the domain, the roleplay scenario."""

    organization: str = Field(default="", validation_alias=AliasChoices("organization", "organization_context", "organizationContext"))
    domain: str = Field(default="", validation_alias=AliasChoices("domain", "domain_context", "domainContext"))
    scenario: str = Field(default="", validation_alias=AliasChoices("scenario", "scenario_context", "scenarioContext"))


class ScorecardOptions(Base):
    """What the printed scorecard contains."""

    include_transcript: bool = Field(default=True, validation_alias=_aliases("include_transcript"))
    include_score_breakdown: bool = Field(default=True, validation_alias=_aliases("include_score_breakdown"))
    include_recommendation: bool = Field(default=True, validation_alias=_aliases("include_recommendation"))
    include_improvement_feedback: bool = Field(default=True, validation_alias=_aliases("include_improvement_feedback"))


# Flat spellings of the reference that belong in a nested group.
_FLAT_FIELDS = {
    "behavior": ("tone", "style", "difficulty", "probing_depth", "probingDepth"),
    "scoring": ("scale", "scoring_method", "scoringMethod", "recommendation_logic", "recommendationLogic"),
    "context": ("organization_context", "organizationContext", "domain_context", "domainContext", "scenario_context", "scenarioContext"),
    "scorecard": (
        "include_transcript", "includeTranscript", "include_score_breakdown", "includeScoreBreakdown",
        "include_recommendation", "includeRecommendation", "include_improvement_feedback", "includeImprovementFeedback",
    ),
}


def _nest_flat_fields(data: Any) -> Any:
    """Moves the reference's flat fields (e.g. top-level `probingDepth`) into their group."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for group, names in _FLAT_FIELDS.items():
        for name in names:
            if name in data:
                nested = dict(data.get(group) or {})
                nested.setdefault(name, data.pop(name))
                data[group] = nested
    return data


class AgentProfile(Base):
    """The interviewer: persona, use case, rubric, behaviour, scoring, context, scorecard."""

    kind: ClassVar[str] = "profile"

    name: str = Field(min_length=1, max_length=120, validation_alias=AliasChoices("name", "display_name", "displayName"))
    persona: str = ""
    use_case: UseCase = Field(default=UseCase.HIRING, validation_alias=_aliases("use_case"))
    custom_labels: tuple[str, str] | None = Field(default=None, validation_alias=_aliases("custom_labels"))
    rubric: list[RubricDimension] = Field(min_length=1)
    behavior: Behavior = Field(default_factory=Behavior, validation_alias=AliasChoices("behavior", "behaviour"))
    scoring: Scoring = Field(default_factory=Scoring)
    context: Context = Field(default_factory=Context)
    scorecard: ScorecardOptions = Field(default_factory=ScorecardOptions)
    # The assessor's private notes on this interviewer: never spoken, never given to a model.
    notes: str = Field(default="", max_length=4000)
    archived: bool = False

    @model_validator(mode="before")
    @classmethod
    def _nest(cls, data: Any) -> Any:
        return _nest_flat_fields(data)

    @field_validator("rubric")
    @classmethod
    def _rubric_rules(cls, rubric: list[RubricDimension]) -> list[RubricDimension]:
        seen: set[str] = set()
        for dim in rubric:
            key = dim.name.casefold()
            if key in seen:
                raise ValueError(f"dimension name {dim.name!r} is used twice, names must be unique")
            seen.add(key)
        total = sum(d.weight for d in rubric)
        if total != 100:
            raise ValueError(f"weights sum to {total}, must be 100")
        return rubric

    @model_validator(mode="after")
    def _logic_and_labels(self) -> AgentProfile:
        if self.use_case == UseCase.CUSTOM and self.custom_labels is not None:
            if len(set(self.custom_labels)) != 2 or not all(self.custom_labels):
                raise ValueError("custom_labels: must be two different non-empty words")
        if self.scoring.rules:
            from desktop_app.core.scoring_rules import check_rules

            check_rules(self.scoring.rules, self.dimension_names)
        if self.scoring.recommendation_logic:
            from desktop_app.core.recommendation_logic import check_logic

            check_logic(self.scoring.recommendation_logic, self.dimension_names, self.labels, self.scoring.max_score)
        return self

    @property
    def dimension_names(self) -> list[str]:
        return [d.name for d in self.rubric]

    @property
    def labels(self) -> tuple[str, str]:
        """(positive, negative) recommendation words."""
        return recommendation_labels(self.use_case, self.custom_labels)

    @property
    def max_score(self) -> int:
        return self.scoring.max_score


# ---------------------------------------------------------------- template and stage


class EvaluationTemplate(Base):
    """The blueprint of a role or assessment."""

    kind: ClassVar[str] = "template"

    name: str = Field(min_length=1, max_length=120, validation_alias=AliasChoices("name", "display_name", "displayName"))
    use_case: UseCase = Field(default=UseCase.HIRING, validation_alias=_aliases("use_case"))
    objective: str = ""
    success_outcome: SuccessOutcome | None = Field(default=None, validation_alias=_aliases("success_outcome"))
    skills: list[str] = Field(default_factory=list)
    traits: list[str] = Field(default_factory=list)
    success_criteria: list[str] = Field(default_factory=list, validation_alias=_aliases("success_criteria"))
    duration_minutes: int = Field(default=30, ge=1, le=480, validation_alias=_aliases("duration_minutes", "duration"))
    question_depth: QuestionDepth = Field(default=QuestionDepth.INTERMEDIATE, validation_alias=_aliases("question_depth"))
    default_session_mode: SessionMode = Field(
        default=SessionMode.LIVE_AI_INTERVIEW, validation_alias=_aliases("default_session_mode", "session_mode", "sessionMode")
    )
    status: TemplateStatus = TemplateStatus.ACTIVE

    @field_validator("success_criteria", mode="before")
    @classmethod
    def _criteria_list(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [line.strip(" -*\t") for line in v.splitlines() if line.strip(" -*\t")] or ([v] if v.strip() else [])
        return v

    @field_validator("skills", "traits")
    @classmethod
    def _unique_items(cls, items: list[str]) -> list[str]:
        cleaned = [s.strip() for s in items]
        if any(not s for s in cleaned):
            raise ValueError("items must not be empty")
        lowered = [s.casefold() for s in cleaned]
        dupes = sorted({s for s in cleaned if lowered.count(s.casefold()) > 1})
        if dupes:
            raise ValueError(f"{dupes[0]!r} is listed twice, items must be unique")
        return cleaned

    @model_validator(mode="after")
    def _derive_outcome(self) -> EvaluationTemplate:
        if self.success_outcome is None:
            object.__setattr__(self, "success_outcome", OUTCOME_FOR_USE_CASE[UseCase(self.use_case)].value)
        return self


class EvaluationStage(Base):
    """One step of a template's pipeline. `template` and `agent_profile` are ids or unique names."""

    kind: ClassVar[str] = "stage"

    template: str = Field(min_length=1, validation_alias=AliasChoices("template", "template_id", "templateId"))
    name: str = Field(min_length=1, max_length=120)
    type: StageType = Field(default=StageType.AI_INTERVIEW, validation_alias=AliasChoices("type", "stage_type", "stageType"))
    agent_profile: str = Field(
        min_length=1, validation_alias=AliasChoices("agent_profile", "agentProfile", "profile", "agent_profile_id", "agentProfileId")
    )
    order: int = Field(default=0, ge=0)
    pass_threshold: float = Field(default=0, ge=0, validation_alias=_aliases("pass_threshold"))
    allow_retry: bool = Field(default=False, validation_alias=_aliases("allow_retry"))
    on_completion: OnCompletion = Field(default=OnCompletion.WAIT_FOR_APPROVAL, validation_alias=_aliases("on_completion"))
    duration_minutes: int | None = Field(default=None, ge=1, le=480, validation_alias=_aliases("duration_minutes"))

    @property
    def session_mode(self) -> str:
        return MODE_FOR_STAGE_TYPE[StageType(self.type)].value


def check_threshold_on_scale(stage: EvaluationStage, profile: AgentProfile) -> None:
    """Raises ValueError when the stage's pass_threshold is off its profile's scale."""
    top = profile.max_score
    if not 0 <= stage.pass_threshold <= top:
        raise ValueError(f"{stage.pass_threshold:g} is off the profile's scale {profile.scoring.scale}")


def check_stage_orders(orders: list[int]) -> None:
    """Raises ValueError unless orders are exactly 0..n-1."""
    if sorted(orders) != list(range(len(orders))):
        raise ValueError(f"stage orders {sorted(orders)} must be 0-based and contiguous (0..{len(orders) - 1})")


# ---------------------------------------------------------------- participant


class ParticipantProfile(Base):
    title: str = ""
    organization: str = ""
    experience_level: str = Field(default="", validation_alias=_aliases("experience_level"))
    location: str = ""


class Background(Base):
    skills: list[str] = Field(default_factory=list)
    education: str = ""
    languages: list[str] = Field(default_factory=list)


class Participant(Base):
    """The person being evaluated, scoped to one template."""

    kind: ClassVar[str] = "participant"

    name: str = Field(min_length=1, max_length=200, validation_alias=AliasChoices("name", "full_name", "fullName"))
    email: EmailStr
    template: str = Field(min_length=1, validation_alias=AliasChoices("template", "template_id", "templateId"))
    external_id: str | None = Field(default=None, validation_alias=_aliases("external_id"))
    profile: ParticipantProfile = Field(default_factory=ParticipantProfile)
    background: Background = Field(default_factory=Background)
    resume: str | None = Field(default=None, description="path of a local PDF/DOCX/TXT resume")
    resume_text: str = Field(default="", validation_alias=_aliases("resume_text"))
    tags: list[str] = Field(default_factory=list)
    archived: bool = False

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, tags: list[str]) -> list[str]:
        out: list[str] = []
        for t in tags:
            t = t.strip()
            if not t:
                raise ValueError("tags must not be empty")
            if t not in out:
                out.append(t)
        return out

    @field_validator("email", mode="after")
    @classmethod
    def _normalise_email(cls, email: str) -> str:
        return email.strip()


MODELS: dict[str, type[Base]] = {
    "profile": AgentProfile,
    "template": EvaluationTemplate,
    "stage": EvaluationStage,
    "participant": Participant,
}
