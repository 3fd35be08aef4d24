"""Export then import into an empty data folder gives the same setup (property-based)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.store import bundle
from desktop_app.store.db import Store

names = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs"), exclude_characters="\x00"),
                min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def rubrics(draw):
    n = draw(st.integers(1, 5))
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=n - 1, max_size=n - 1)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
    dim_names = draw(st.lists(names, min_size=n, max_size=n, unique_by=str.casefold))
    return [{"name": nm, "weight": w, "description": draw(st.text(max_size=30)),
             "anchors": {"low": draw(st.text(max_size=10)), "middle": "", "high": "<b>&</b>"}}
            for nm, w in zip(dim_names, weights)]


@st.composite
def setups(draw):
    profile_names = draw(st.lists(names, min_size=1, max_size=3, unique_by=str.casefold))
    scales = {"0-10": 10, "0-5": 5, "0-100": 100}
    profiles = [{"name": n, "rubric": draw(rubrics()), "use_case": draw(st.sampled_from(["hiring", "training", "admissions"])),
                 "scoring": {"scale": draw(st.sampled_from(list(scales)))},
                 "behavior": {"tone": draw(st.sampled_from(["friendly", "strict"]))},
                 "persona": draw(st.text(max_size=40))} for n in profile_names]
    template_names = draw(st.lists(names, min_size=1, max_size=2, unique_by=str.casefold))
    templates = [{"name": n, "skills": draw(st.lists(names, max_size=3, unique_by=str.casefold)),
                  "duration_minutes": draw(st.integers(1, 90))} for n in template_names]
    stages, participants = [], []
    for t in template_names:
        for order, stage_name in enumerate(draw(st.lists(names, max_size=3, unique_by=str.casefold))):
            prof = draw(st.sampled_from(profiles))
            top = scales[prof["scoring"]["scale"]]
            stages.append({"template": t, "name": stage_name, "agent_profile": prof["name"], "order": order,
                           "pass_threshold": draw(st.integers(0, top)), "allow_retry": draw(st.booleans())})
        for i in range(draw(st.integers(0, 3))):
            participants.append({"name": draw(names), "email": f"p{i}@example.org", "template": t,
                                 "external_id": draw(st.none() | names), "tags": draw(st.lists(names, max_size=2))})
    return {"profiles": profiles, "templates": templates, "stages": stages, "participants": participants}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setups())
def test_export_import_round_trip(setup_data):
    with tempfile.TemporaryDirectory() as tmp:
        a = Store.open(Path(tmp) / "a")
        bundle.import_bundle(a, setup_data)
        exported = bundle.export_bundle(a)
        path = Path(tmp) / "bundle.yaml"
        bundle.write_bundle(a, path)
        b = Store.open(Path(tmp) / "b")
        bundle.import_file(b, path)
        assert bundle.export_bundle(b) == exported
        json_path = Path(tmp) / "bundle.json"
        bundle.write_bundle(b, json_path)
        c = Store.open(Path(tmp) / "c")
        bundle.import_file(c, json_path)
        assert bundle.export_bundle(c) == exported
        assert len(exported["participants"]) == len(setup_data["participants"])
        assert len(exported["stages"]) == len(setup_data["stages"])
        for s in (a, b, c):
            s.close()


def test_unicode_line_breaks_survive_yaml(tmp_path):
    """Found by the property test: PyYAML folded NEL (U+0085) to a space in a plain scalar."""
    from desktop_app.core.validation import dump_document, load_document

    data = {"persona": "0\x850", "a": "x\u2028y", "b": "p\u2029", "c": "Zoë\nline two"}
    path = tmp_path / "b.yaml"
    path.write_text(dump_document(data, path), encoding="utf-8")
    assert load_document(path) == data
