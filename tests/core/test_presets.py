"""Presets: role-neutral objects with the example role in one marked block, one loader that ignores case."""

from __future__ import annotations

import json
import re

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.models import AgentProfile, EvaluationTemplate
from desktop_app.core.presets import about_role, load_preset, preset_item, preset_key, preset_names, start_from
from desktop_app.core.validation import parse_model

# Words that belong to each preset's example role only.
ROLE_WORDS = {
    "hiring": r"(?i:backend|PostgreSQL|Northwind|payment|distributed|engineer)|\bGo\b",  # "go wrong" is fine
    "training": r"(?i:Brightside|blender|kitchenware|Jordan|refund|order)",
    "mock_interview": r"(?i:graduate|teamwork)",
}


def test_names_are_found_whatever_the_case():
    assert preset_names() == ["hiring", "mock_interview", "training"]
    assert preset_key("Hiring") == "hiring"
    assert preset_key(" Mock interview ") == "mock_interview"
    assert preset_key("MOCK-INTERVIEW") == "mock_interview"
    with pytest.raises(UserError, match=r"^preset: 'sales' is not a preset \(hiring, mock_interview, training\)$"):
        preset_key("sales")


@pytest.mark.parametrize("preset", sorted(ROLE_WORDS))
@pytest.mark.parametrize("kind", ["profile", "template"])
def test_starting_without_the_role_leaves_no_trace_of_it(preset, kind):
    item = preset_item(preset, kind)
    data = start_from(item, kind)
    text = json.dumps(data)
    assert not re.search(ROLE_WORDS[preset], text), text
    parse_model({"profile": AgentProfile, "template": EvaluationTemplate}[kind], data)  # valid as it is
    assert "role" not in data


def test_keeping_the_role_gives_back_the_example():
    item = preset_item("hiring", "profile")
    assert about_role(item) == "Backend engineering at Northwind Systems"
    kept = start_from(item, "profile", keep_role=True)
    assert kept == load_preset("hiring")["profiles"][0]
    assert kept["name"] == "Senior Engineering Interviewer"
    assert kept["context"]["organization"].startswith("Northwind Systems")
    assert [d["name"] for d in kept["rubric"]][:2] == ["System design", "Technical depth"]
    assert kept["scoring"]["recommendation_logic"].startswith("overall >= threshold")


def test_without_the_style_only_the_basics_are_kept():
    item = preset_item("hiring", "profile")
    bare = start_from(item, "profile", keep_style=False)
    assert set(bare) == {"name", "persona", "use_case"}
    template = start_from(preset_item("hiring", "template"), "template", keep_style=False, keep_role=True)
    assert template["skills"] == ["Go", "PostgreSQL", "Distributed Systems"]
    assert "traits" not in template


def test_the_example_setups_hold_no_role_blocks():
    for preset in preset_names():
        data = load_preset(preset)
        for section in ("profiles", "templates"):
            assert all("role" not in item for item in data[section])
        names = {p["name"] for p in data["profiles"]}
        assert {s["agent_profile"] for s in data["stages"]} <= names
