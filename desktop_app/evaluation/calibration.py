"""Calibration: how closely the model's 1-5 ratings agree with people's on answers they rated (JSON or CSV file).

JSON: {"version": 1, "scale": "1-5", "items": [{"id", "preset" | "profile", "question", "answer",
"ratings": {"<dimension>": 1..5}}]}. CSV: columns id, preset (or profile), question, answer,
dimension, rating, one row per rated dimension. A preset names resources/presets/<preset>.yaml (its
first profile); a profile names an agent profile in the data folder's database.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core.agreement import DimensionAgreement, dimension_agreement, pooled_agreement
from desktop_app.core.errors import UserError
from desktop_app.core.models import AgentProfile
from desktop_app.core.presets import load_preset, preset_key
from desktop_app.core.scoring_rules import Answer
from desktop_app.core.validation import load_document, parse_model

SCALE = "1-5"
LOW, HIGH = 1, 5
CATEGORIES = HIGH - LOW + 1
FORMAT_VERSION = 1
ITEM_FIELDS = {"id", "preset", "profile", "question", "answer", "ratings"}
CSV_COLUMNS = ("id", "question", "answer", "dimension", "rating")

ProfileLookup = Callable[[str], AgentProfile]
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CalibrationItem:
    """One answer rated by people on some dimensions of one profile."""

    id: str
    profile_key: str  # "preset hiring" or "profile <name>": which rubric the ratings use
    question: str
    answer: str
    ratings: tuple[tuple[str, int], ...]  # (the rubric's spelling of the dimension, the human rating)

    @property
    def dimensions(self) -> list[str]:
        return [d for d, _ in self.ratings]


@dataclass(frozen=True)
class CalibrationSet:
    """A validated calibration file: its items and the profiles they refer to."""

    source: str
    items: tuple[CalibrationItem, ...]
    profiles: dict[str, AgentProfile] = field(hash=False, compare=False)

    @property
    def rating_count(self) -> int:
        return sum(len(i.ratings) for i in self.items)


@dataclass(frozen=True)
class RatedPair:
    """One human rating next to the model's expected rating for the same answer and dimension."""

    item_id: str
    profile_key: str
    dimension: str
    human: int
    model: float
    relevance: float
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "flags": list(self.flags)}


@dataclass(frozen=True)
class CalibrationReport:
    """Agreement per dimension and pooled, with every pair behind it."""

    source: str
    model: str
    items_in_file: int
    items_rated: int
    dimensions: tuple[DimensionAgreement, ...]
    pooled: DimensionAgreement
    pairs: tuple[RatedPair, ...]
    missing: tuple[str, ...]  # "item id / dimension" the model returned no rating for
    cancelled: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values; undefined statistics are null."""
        return {"source": self.source, "model": self.model, "scale": SCALE, "items_in_file": self.items_in_file,
                "items_rated": self.items_rated, "cancelled": self.cancelled,
                "dimensions": [d.to_dict() for d in self.dimensions], "pooled": self.pooled.to_dict(),
                "missing": list(self.missing), "pairs": [p.to_dict() for p in self.pairs]}


# ------------------------------------------------------------------ profiles


def preset_profile(preset: str) -> AgentProfile:
    """The first profile of a preset's example setup (its role kept: the calibration items were rated for it)."""
    key = preset_key(preset)
    profiles = load_preset(key).get("profiles")
    if not profiles:
        raise UserError("the preset has no profile", source=f"{key}.yaml", field="profiles")
    return parse_model(AgentProfile, profiles[0], f"{key}.yaml")


class _Profiles:
    """Resolves and caches the profile each item names, with errors naming the item."""

    def __init__(self, source: str, lookup: ProfileLookup | None) -> None:
        self.source = source
        self.lookup = lookup
        self.profiles: dict[str, AgentProfile] = {}

    def resolve(self, preset: Any, profile: Any, where: str) -> str:
        if (preset in (None, "")) == (profile in (None, "")):
            raise UserError("give either a preset or a profile, not both and not neither", source=self.source,
                            field=where + ".preset")
        if preset not in (None, ""):
            try:
                name = preset_key(str(preset))
            except UserError as exc:
                raise UserError(exc.rule, source=self.source, field=where + ".preset") from None
            key = f"preset {name}"
            if key not in self.profiles:
                self.profiles[key] = preset_profile(name)
            return key
        name = str(profile).strip()
        key = f"profile {name}"
        if key not in self.profiles:
            if self.lookup is None:
                raise UserError("profiles are looked up in a data folder; none is open", source=self.source,
                                field=where + ".profile")
            try:
                self.profiles[key] = self.lookup(name)
            except UserError as exc:
                raise UserError(exc.rule, source=self.source, field=where + ".profile") from None
        return key

    def dimension(self, key: str, name: Any, where: str) -> str:
        """The rubric's spelling of a dimension name (case-insensitive match)."""
        profile = self.profiles[key]
        text = str(name).strip()
        for dim in profile.dimension_names:
            if dim.casefold() == text.casefold():
                return dim
        raise UserError(f"{text!r} is not a dimension of {key} ({', '.join(profile.dimension_names)})",
                        source=self.source, field=where)


def _rating(value: Any, source: str, where: str) -> int:
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.lstrip("+-").isdigit() else text
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not LOW <= value <= HIGH:
        shown = "empty" if value in ("", None) else repr(value)
        raise UserError(f"{shown} must be a whole number from {LOW} to {HIGH}", source=source, field=where)
    return value


def _text(value: Any, source: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UserError("is required and must be non-empty text", source=source, field=where)
    return value.strip()


def _item_id(value: Any, source: str, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise UserError("is required (text or a number)", source=source, field=where)
    return str(value).strip()


# ------------------------------------------------------------------ loading


def _from_json(data: Any, source: str, profiles: _Profiles) -> list[CalibrationItem]:
    if not isinstance(data, dict):
        raise UserError("must be a JSON object with version, scale and items", source=source)
    unknown = sorted(set(data) - {"version", "scale", "items"})
    if unknown:
        raise UserError("unknown field", source=source, field=unknown[0])
    if data.get("version") != FORMAT_VERSION:
        raise UserError(f"must be {FORMAT_VERSION}", source=source, field="version")
    if data.get("scale", SCALE) != SCALE:
        raise UserError(f"must be {SCALE!r} (ratings are whole numbers from {LOW} to {HIGH})", source=source,
                        field="scale")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise UserError("must be a non-empty list", source=source, field="items")
    items: list[CalibrationItem] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_items):
        where = f"items[{i}]"
        if not isinstance(raw, dict):
            raise UserError("must be an object", source=source, field=where)
        item_id = _item_id(raw.get("id"), source, where + ".id")
        where = f"items[{i}] (id {item_id!r})"
        if item_id in seen:
            raise UserError("is used twice, ids must be unique", source=source, field=where + ".id")
        seen.add(item_id)
        extra = sorted(set(raw) - ITEM_FIELDS)
        if extra:
            raise UserError("unknown field", source=source, field=f"{where}.{extra[0]}")
        key = profiles.resolve(raw.get("preset"), raw.get("profile"), where)
        question = _text(raw.get("question"), source, where + ".question")
        answer = _text(raw.get("answer"), source, where + ".answer")
        ratings = raw.get("ratings")
        if not isinstance(ratings, dict) or not ratings:
            raise UserError("must be an object of dimension name -> rating", source=source, field=where + ".ratings")
        rated: dict[str, int] = {}
        for name, value in ratings.items():
            dim = profiles.dimension(key, name, f"{where}.ratings.{name}")
            if dim in rated:
                raise UserError("is rated twice", source=source, field=f"{where}.ratings.{name}")
            rated[dim] = _rating(value, source, f"{where}.ratings.{name}")
        items.append(CalibrationItem(item_id, key, question, answer, tuple(rated.items())))
    return items


def _from_csv(path: Path, source: str, profiles: _Profiles) -> list[CalibrationItem]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in reader.fieldnames or []]
            # Row numbers as a spreadsheet shows them: the header is row 1 (a quoted line break stays in its row).
            rows = list(enumerate(reader, start=2))
    except UnicodeDecodeError:
        raise UserError("is not UTF-8 text", source=source) from None
    except csv.Error as exc:
        raise UserError(f"invalid CSV: {exc}", source=source) from None
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise UserError("column is missing (need id, preset or profile, question, answer, dimension, rating)",
                        source=source, field=missing[0])
    if "preset" not in header and "profile" not in header:
        raise UserError("column is missing (each row names a preset or a profile)", source=source, field="preset")
    if not rows:
        raise UserError("has no rows after the header", source=source)
    order: list[str] = []
    first_row: dict[str, int] = {}
    fixed: dict[str, tuple[str, str, str]] = {}
    ratings: dict[str, dict[str, int]] = {}
    for line, raw in rows:
        row = {(k or "").strip(): (v or "") for k, v in raw.items() if k is not None}
        if not any(v.strip() for v in row.values()):
            continue  # blank line
        if None in raw:
            raise UserError("has more cells than the header has columns", source=source, field=f"row {line}")
        item_id = _item_id(row.get("id"), source, f"row {line}.id")
        where = f"row {line} (id {item_id!r})"
        key = profiles.resolve(row.get("preset") or None, row.get("profile") or None, where)
        question = _text(row.get("question"), source, where + ".question")
        answer = _text(row.get("answer"), source, where + ".answer")
        if item_id in fixed:
            earlier = fixed[item_id]
            for name, old, new in zip(("preset", "question", "answer"), earlier, (key, question, answer)):
                if old != new:
                    field = "profile" if name == "preset" and key.startswith("profile ") else name
                    raise UserError(f"differs from row {first_row[item_id]} of the same id", source=source,
                                    field=f"{where}.{field}")
        else:
            order.append(item_id)
            first_row[item_id] = line
            fixed[item_id] = (key, question, answer)
            ratings[item_id] = {}
        dim = profiles.dimension(key, _text(row.get("dimension"), source, where + ".dimension"), where + ".dimension")
        if dim in ratings[item_id]:
            raise UserError(f"{dim!r} is rated twice for this id", source=source, field=where + ".dimension")
        ratings[item_id][dim] = _rating(row.get("rating"), source, where + ".rating")
    if not order:
        raise UserError("has no rows after the header", source=source)
    return [CalibrationItem(i, fixed[i][0], fixed[i][1], fixed[i][2], tuple(ratings[i].items())) for i in order]


def load_calibration(path: str | Path, *, profile_lookup: ProfileLookup | None = None) -> CalibrationSet:
    """Reads and validates a calibration file; UserError names the file, item or row, field and rule."""
    p = Path(path)
    source = p.name
    profiles = _Profiles(source, profile_lookup)
    suffix = p.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise UserError("must be a .json or .csv file", source=source)
    if not p.is_file():
        raise UserError("file not found" if not p.exists() else "is not a file", source=str(path))
    if suffix == ".json":
        items = _from_json(load_document(p), source, profiles)
    else:
        items = _from_csv(p, source, profiles)
    return CalibrationSet(source, tuple(items), dict(profiles.profiles))


# ------------------------------------------------------------------ running


def _label(key: str, dimension: str, several: bool) -> str:
    return f"{key.split(' ', 1)[1]} / {dimension}" if several else dimension


def run_calibration(llm: Any, calibration: CalibrationSet, *, limit: int | None = None,
                    progress: Progress | None = None, cancel: threading.Event | None = None) -> CalibrationReport:
    """Rates every item's answer with the judge on its rated dimensions and measures agreement with people.

    Items are taken in file order (the first `limit` of them) and rated grouped by profile, one call
    per item. Kappa and the confusion matrix use the model's rating rounded to a whole 1..5; Spearman
    and the mean absolute difference use it unrounded. When `cancel` is set, the items rated so far
    are reported.
    """
    from desktop_app.evaluation.judge import Cancelled, rate_answers

    check_limit(limit)
    chosen = list(calibration.items[:limit] if limit else calibration.items)
    keys = list(dict.fromkeys(i.profile_key for i in chosen))
    # Grouped by profile so one rubric's prompts follow each other (the model's prompt cache reuses them).
    position = {item.id: n for n, item in enumerate(chosen)}
    queue = sorted(chosen, key=lambda i: (keys.index(i.profile_key), position[i.id]))
    pairs: list[RatedPair] = []
    missing: list[str] = []
    rated = 0
    cancelled = False
    total = len(queue)
    for done, item in enumerate(queue):
        if cancel is not None and cancel.is_set():
            cancelled = True
            break
        if progress:
            progress(done, total, f"item {item.id}")

        def inner(step: int, steps: int, text: str, _item: CalibrationItem = item, _done: int = done) -> None:
            if progress:
                progress(_done, total, f"item {_item.id}: {text}" if text else f"item {_item.id}")

        answer = Answer(index=position[item.id], text=item.answer, question=item.question)
        try:
            results = rate_answers(llm, calibration.profiles[item.profile_key], [answer],
                                   dimensions=item.dimensions, progress=inner, cancel=cancel)
        except Cancelled:
            cancelled = True  # the interrupted item is left out rather than half-rated
            break
        by_dimension = {r.dimension.casefold(): r for r in results if r.turn == answer.index}
        for dim, human in item.ratings:
            r = by_dimension.get(dim.casefold())
            if r is None:
                missing.append(f"{item.id} / {dim}")
                continue
            pairs.append(RatedPair(item.id, item.profile_key, dim, human, float(r.rating), float(r.relevance),
                                   tuple(r.flags)))
        rated += 1
    if progress and not cancelled:
        progress(total, total, "done")
    several = len(keys) > 1
    grouped: dict[str, tuple[list[int], list[float]]] = {}
    for key in keys:
        profile = calibration.profiles[key]
        for dim in profile.dimension_names:
            sel = [p for p in pairs if p.profile_key == key and p.dimension == dim]
            if sel:
                grouped[_label(key, dim, several)] = ([p.human for p in sel], [p.model for p in sel])
    dimensions = tuple(dimension_agreement(name, h, m, CATEGORIES) for name, (h, m) in grouped.items())
    return CalibrationReport(
        source=calibration.source, model=_model_name(llm), items_in_file=len(calibration.items), items_rated=rated,
        dimensions=dimensions, pooled=pooled_agreement(grouped, CATEGORIES),
        pairs=tuple(sorted(pairs, key=lambda p: position[p.item_id])), missing=tuple(missing), cancelled=cancelled)


def _model_name(llm: Any) -> str:
    path = getattr(llm, "model_path", None)
    return Path(path).name if path else type(llm).__name__


def check_limit(limit: int | None) -> None:
    """UserError unless the item limit is absent or positive."""
    if limit is not None and limit < 1:
        raise UserError("must be 1 or more", field="limit")


