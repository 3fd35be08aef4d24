"""Claims against events: how much of an answer is padding (jargon, listed terms, claimed metrics, result claims)
and how much tells what happened and why.

A 1.5B model rates confident lists of tools and percentages above plain accounts of real work
(measured: 4 of 4 pairs before this, and 17 of 26 of our own pairs with the model alone). These counts
catch the padding in code: the judge scales a rating towards the bottom of the scale by the
padding factor, and the scorecard shows the counts as facts. Plain answers, with or without
technical terms, have an index at or below zero and are untouched.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Business and CV jargon: words that sound like achievement without saying what happened.
_JARGON = re.compile(
    r"\b(?:leverag\w*|spearhead\w*|synerg\w*|best[- ]in[- ]class|world[- ]class|end[- ]to[- ]end|stakeholders?|"
    r"alignment|aligning|excellence|transformation\w*|transformative|scalab\w*|seamless\w*|innovat\w*|"
    r"cutting[- ]edge|state[- ]of[- ]the[- ]art|data[- ]driven|holistic\w*|strategic\w*|impactful|high[- ]performance|"
    r"high[- ]performing|empower\w*|paradigm\w*|streamlin\w*|orchestrat\w*|championed|proactive\w*|"
    r"cross[- ]functional|mindset|thought[- ]leader\w*|future[- ]proof|frictionless|unlock\w*|value[- ]add\w*|"
    r"ecosystem|robust|resilien\w*|next[- ]gen\w*|game[- ]chang\w*|north[- ]star|visionary|results[- ]driven|"
    r"results[- ]oriented|customer[- ]centric|customer[- ]first|mission[- ]critical|world[- ]leading|"
    r"industry[- ]leading|industry[- ]standard|enterprise[- ]grade|cloud[- ]native|best practices?|kpis?|okrs?|"
    r"roi|nps|csat|slas?|mttr|mttd|deliverables?|actionable|bandwidth|move the needle|low[- ]hanging|"
    r"value[- ]driven|growth[- ]mindset|outside the box|exceed(?:ed|ing)? expectations|go[- ]getter|"
    r"dynamic|passionate|excellent communication|exceptional|outstanding results|culture of \w+|"
    # customer-service stock phrases and procedure-speak
    r"sincerely apologi[sz]e|any inconvenience|valued customers?|customer journey|customer experience|"
    r"i value you|we value (?:you|your)|your (?:time|feedback|business|custom) is (?:\w+ )?(?:valuable|important)|"
    r"at the heart of|pride ourselves|commit(?:ted|ment) to (?:excellence|you|\w+ing)|rest assured|"
    r"i (?:completely|totally|fully|truly) understand|i hear you|validate|empathi[sz]e|active listening|"
    r"guarantee\w*|personal promise|delight\w*|win back|trust and loyalty|escalation matrix|sop|crm|"
    r"touchpoints?|omnichannel|goodwill|360[- ]degree|centre of excellence|center of excellence|"
    r"continuous(?:ly)? improve\w*|service excellence|earliest opportunity|moving forward|going forward|"
    r"priority ticket|dedicated team|every resource|premium|platinum|award[- ]winning|personali[sz]ed)\b",
    re.I)
# Claimed measurements: percentages, multipliers, money, "40+", p99, "five nines".
_METRIC = re.compile(
    r"(?:\$\s?\d[\d,.]*\s?[kmb]?n?\b|[€£]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:%|percent\b|per cent\b)|\b\d+(?:\.\d+)?\s?x\b|"
    r"\bp9\d(?:\.\d+)?\b|\b\d{2,}\+|\bfive nines\b|\bten[- ]?x\b|\b\d+(?:\.\d+)?[kmb]\b)", re.I)
# Verbs and phrases that claim an outcome rather than tell one.
_RESULT_CLAIM = re.compile(
    r"\b(?:as a result|resulting in|drove|driving|delivered|delivering|spearheaded|championed|architected|"
    r"boosted|maximi[sz]ed|accelerated|revolutioni[sz]ed|transformed|ensured|established|achieved|"
    r"improved \w+ by|reduced \w+ by|increased \w+ by|cut \w+ by|saved \w+)\b", re.I)
# Words that link events and reasons: the spine of an account of what happened.
_LINK = re.compile(
    r"\b(?:because|so|since|which meant|meaning|rather than|instead|but|although|though|that's why|so that|"
    r"in order to|then|after|afterwards|when|until|before|first|next|later|while|if|once|turned out|"
    r"realised|realized|noticed|found|asked|told|said)\b", re.I)
# Hedging and generalities: an answer about what one would or usually does, not what one did.
_HEDGE = re.compile(
    r"\b(?:i think|i guess|i suppose|probably|maybe|perhaps|not sure|i don'?t know|kind of|sort of|i hope|"
    r"usually|always|generally|typically|normally|tend to|try to|somehow|stuff|things like that|or something|"
    r"i'?m good at|i'?m a (?:natural|good|great|strong) \w+|as soon as possible)\b", re.I)
# The speaker doing something: "I" (or "we") followed by a verb in the past tense or a common action verb.
_OWN_ACTION = re.compile(
    r"\b(?:i|we)\s+(?:\w+ed|went|made|took|wrote|asked|told|found|built|ran|got|set|put|gave|kept|sent|saw|met|"
    r"chose|drew|rang|called|spoke|paused|rolled|split|moved|added|fixed|checked|read|learned|learnt|said|held|"
    r"brought|caught|did|had|left|let|paid|stood|thought|understood|won|lost|began|sat|rebuilt|rewrote)\b", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)
_CLAUSE = re.compile(r"[.;:!?\n]")
_ITEM_SPLIT = re.compile(r",|/|\band\b|\bor\b|\s&\s", re.I)


@dataclass(frozen=True)
class Substance:
    """Counts over one answer, and the padding index derived from them."""

    words: int
    jargon: int
    metric_claims: int
    result_claims: int
    listed_terms: int
    links: int
    hedges: int = 0
    own_actions: int = 0

    @property
    def padding(self) -> float:
        """Padding per square root of length (short stuffed answers and long ones compare)."""
        weight = self.jargon + self.metric_claims + 0.5 * self.result_claims + 0.3 * self.listed_terms
        return weight / math.sqrt(max(1, self.words))

    @property
    def narrative(self) -> float:
        """Event and reason links per square root of length."""
        return self.links / math.sqrt(max(1, self.words))

    @property
    def index(self) -> float:
        """Padding net of narrative: <= 0 for plain accounts, > 1 for answers made of claims."""
        return self.padding - 0.8 * self.narrative

    def to_dict(self) -> dict[str, float | int]:
        return {"words": self.words, "jargon": self.jargon, "metric_claims": self.metric_claims,
                "result_claims": self.result_claims, "listed_terms": self.listed_terms, "links": self.links,
                "hedges": self.hedges, "own_actions": self.own_actions,
                "padding": round(self.padding, 3), "narrative": round(self.narrative, 3), "index": round(self.index, 3)}


def _listed_terms(text: str) -> int:
    """Items in runs of four or more short list items (e.g. "Go, Kafka, gRPC and Redis")."""
    total = 0
    for clause in _CLAUSE.split(text):
        items = [x.strip() for x in _ITEM_SPLIT.split(clause) if x.strip()]
        short = [x for x in items if len(x.split()) <= 3]
        if len(short) >= 4:
            total += len(short)
    return total


def substance(text: str) -> Substance:
    """The counts for one answer."""
    return Substance(
        words=len(_WORD.findall(text)), jargon=len(_JARGON.findall(text)), metric_claims=len(_METRIC.findall(text)),
        result_claims=len(_RESULT_CLAIM.findall(text)), listed_terms=_listed_terms(text), links=len(_LINK.findall(text)),
        hedges=len(_HEDGE.findall(text)), own_actions=len(_OWN_ACTION.findall(text)))


PADDING_START = 0.2  # an index up to this leaves the rating alone
PADDING_SLOPE = 0.6
PADDING_FLOOR = 0.3


def padding_factor(index: float) -> float:
    """How much of a rating above the bottom an answer keeps for its padding (1 = all, PADDING_FLOOR at worst)."""
    if index <= PADDING_START:
        return 1.0
    return max(PADDING_FLOOR, 1.0 - PADDING_SLOPE * (index - PADDING_START))


# How the model's rating and these counts combine into a 1-5 rating. A least-squares fit to the 302 human
# ratings of resources/calibration/presets.json (three roles), stretched to the human ratings' spread;
# `benchmarks/judgement.py --fit` prints it again from a fresh run. Measured there: the model alone
# agrees with the human ratings at quadratic weighted kappa 0.27 (Spearman 0.39); with these counts 0.62,
# and 0.55 when each role is predicted from a fit to the other two (so it is not just memorising a role).
EVIDENCE_WEIGHTS = {"const": -1.2626, "model": 1.2257, "padding": -2.7520, "narrative": 0.4940, "hedges": -5.2550,
                    "own_actions": 1.1660}


def evidence_rating(model_rating: float, s: Substance) -> float:
    """The model's 1-5 rating moved by what the answer shows: padding and hedging down, events and own actions up."""
    w = EVIDENCE_WEIGHTS
    root = math.sqrt(max(1, s.words))
    value = (w["const"] + w["model"] * model_rating + w["padding"] * s.padding + w["narrative"] * s.narrative
             + w["hedges"] * s.hedges / root + w["own_actions"] * s.own_actions / root)
    return max(1.0, min(5.0, value))
