"""Scorecards built from review data in the new shape: every script prints, markup stays literal, and each
dimension reads as score, anchor, rationale and quotes with the rule features only in the appendix."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desktop_app.core.outcome import format_score
from desktop_app.core.transcript import Turn
from desktop_app.reports import fonts
from desktop_app.reports.appendix import FEATURES_TITLE, RATINGS_TITLE
from desktop_app.reports.scorecard import render_scorecard

NAMES = {
    "latin": "Zoë Łukasiewicz-Müller",
    "greek": "Ελένη Παπαδοπούλου",
    "cyrillic": "Дмитрий Иванов",
    "cjk": "王小明",
    "arabic": "محمد علي",
    "devanagari": "अनिल शर्मा",
}
ANSWERS = {
    "latin": "Ich habe die Datenbank überwacht; ça marche très bien.",
    "greek": "Διόρθωσα το σφάλμα στη βάση δεδομένων.",
    "cyrillic": "Я нашёл причину ошибки и исправил её за два дня.",
    "cjk": "我把缓存迁移到了 Redis，延迟下降了百分之八十。",
    "arabic": "قمت بإصلاح الخطأ في قاعدة البيانات",
    "devanagari": "मैंने डेटाबेस की त्रुटि ठीक की",
}
MARKUP = '<b>bold</b> & <font name="Courier">x</font> </para> <img src="http://example.com/x.png"/> [[[t]]]'
SCORECARD_ON = {"include_transcript": True, "include_score_breakdown": True, "include_recommendation": True,
                "include_improvement_feedback": True}


def _rule_row(dimension: str, score: float, labels: list[str]) -> dict[str, Any]:
    lines = [{"feature": f"f{i}", "label": label, "weight": 1.0, "target": 0.5 if i else [40, 250],
              "value": 0.4 + i / 10 if i != 2 else None, "earned": 0.8 if i != 2 else None}
             for i, label in enumerate(labels)]
    return {"dimension": dimension, "source": "rules", "rater": "rules", "score": score, "confidence": "high",
            "rationale": "Measured features of the answers (see rule lines).", "evidence": ["A rule quote."],
            "details": {"lines": lines, "capped_from": None}}


def _ai_row(dimension: str, score: float, *, anchor: str | None, anchor_text: str, rationale: str,
            evidence: list[str]) -> dict[str, Any]:
    details: dict[str, Any] = {"samples": [score, score], "model_median": score, "agreement": 1.0,
                               "rule_score": score, "band": 2.0, "reasons": []}
    if anchor:
        details.update(anchor=anchor, anchor_text=anchor_text, rating=3.5, ratings=[
            {"turn": 1, "question": "Tell me about a hard problem you solved.", "rating": 4.0, "relevance": 0.9,
             "weight": 1.0, "flags": []},
            {"turn": 2, "question": "How did you explain it?", "rating": 3.0, "relevance": "high", "weight": 0.5,
             "flags": ["short"]},
        ])
    return {"dimension": dimension, "source": "ai", "rater": "gemma.gguf", "score": score, "confidence": "high",
            "rationale": rationale, "evidence": evidence, "details": details}


def review(*, name: str = "Ada Lovelace", dims: list[dict[str, Any]] | None = None,
           feedback: dict[str, str] | None = None) -> dict[str, Any]:
    """A review_data()-shaped dict, built directly so the new AI row shape can be exercised."""
    dims = dims or []
    outcome = [{"name": d["name"], "weight": d["weight"], "final": d["final"], "basis": "ai", "machine": d["final"],
                "machine_source": "ai", "human": None, "human_raters": 0, "override": None, "confidence": "high",
                "agreement_ai_human": None, "sample_agreement": 1.0} for d in dims]
    return {
        "session": {"attempt": 1, "ended_at": "2025-03-01T10:30:00", "created_at": "2025-03-01T10:00:00"},
        "session_id": "0123456789abcdef",
        "participant": {"id": "p1", "name": name, "email": "x@example.com", "external_id": "ATS-9"},
        "template": {"id": "t1", "name": "Backend engineer", "skills": ["Python"]},
        "stage": {"id": "s1", "name": "Round 1", "pass_threshold": 5, "on_completion": "wait_for_approval",
                  "allow_retry": False},
        "profile": {"id": "pr1", "name": "Hiring", "scale": "0-10", "max_score": 10, "method": "weighted_average",
                    "combine": "ai", "labels": ["no", "yes"], "scorecard": SCORECARD_ON, "rubric_version": "r1"},
        "result": {"overall": 6.45, "recommendation": "yes", "passed": True, "needs_review": False, "flags": [],
                   "signals": [], "feedback": feedback or {}, "decision": "pending",
                   "details": {"model": {"file": "gemma.gguf", "sha256": "ab" * 32}, "prompt_version": "p2",
                               "combine": "ai", "dimensions": outcome}},
        "dimensions": [{"name": d["name"], "weight": d["weight"], "description": d.get("description", ""),
                        "scores": {"ai": d.get("ai", []), "rules": d.get("rules", []), "human": [], "override": []},
                        "outcome": o} for d, o in zip(dims, outcome)],
        "audit": [],
    }


def _turns(answers: list[str]) -> list[Turn]:
    turns = []
    for i, text in enumerate(answers):
        turns.append(Turn("s", 2 * i, "interviewer", f"Question {i + 1}?", 10.0 * i, 10.0 * i + 3, kind="question"))
        turns.append(Turn("s", 2 * i + 1, "candidate", text, 10.0 * i + 4, 10.0 * i + 9))
    return turns


def _render(tmp_path: Path, data: dict[str, Any], turns: list[Turn], name: str = "card.pdf") -> Path:
    pdf = tmp_path / name
    render_scorecard(data, turns, pdf)
    return pdf


def _text(pdf: Path, *, layout: bool = True) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _embedded_fonts(pdf: Path) -> set[str]:
    """Base names of the fonts embedded in the PDF, without the subset prefix (ABCDEF+)."""
    names = set()
    for page in PdfReader(str(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile2", "/FontFile")):
                names.add(str(target["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def _dimension(name: str, final: float, *, anchor: str | None = "middle", rationale: str = "", quotes=(),
               labels=("answers with numbers", "words per answer", "seconds before answering"), **kw) -> dict:
    ai = [_ai_row(name, final, anchor=anchor, anchor_text=kw.pop("anchor_text", f"{name} anchor wording"),
                  rationale=rationale or f"{name} rationale sentence.", evidence=list(quotes))]
    return {"name": name, "weight": kw.pop("weight", 50), "final": final, "ai": ai,
            "rules": [_rule_row(name, final, list(labels))], **kw}


@pytest.mark.parametrize("script", sorted(NAMES))
def test_each_script_prints_in_names_answers_and_quotes(tmp_path, script):
    name, answer = NAMES[script], ANSWERS[script]
    data = review(name=name, dims=[_dimension(f"Communication {name}", 6.5, quotes=[answer])],
                  feedback={"Communication": answer})
    pdf = _render(tmp_path, data, _turns([answer]), f"{script}.pdf")
    flat = _flat(_text(pdf))
    if script == "arabic":
        # Unshaped Arabic comes back from pdftotext in an order that depends on its bidi guess: check the letters.
        for word in name.split() + answer.split():
            assert all(ch in flat for ch in word), word
    else:
        assert name in flat
        assert _flat(answer) in flat
    assert "\u25a1" not in flat  # no white-square substitutes
    embedded = _embedded_fonts(pdf)
    assert {"NotoSans-Regular", "NotoSans-Bold"} <= embedded, embedded
    assert not {"Helvetica", "Helvetica-Bold"} & embedded


def test_all_six_scripts_on_one_card_embed_their_fonts(tmp_path):
    answers = list(ANSWERS.values())
    name = " / ".join(NAMES.values())
    data = review(name=name, dims=[_dimension(n, 5.0 + i / 2, quotes=[ANSWERS[s]], anchor_text=ANSWERS[s])
                                   for i, (s, n) in enumerate(NAMES.items())])
    pdf = _render(tmp_path, data, _turns(answers))
    embedded = _embedded_fonts(pdf)
    for font in ("NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic", "NotoSansArabic-Regular",
                 "NotoSansDevanagari-Regular", "WenQuanYiMicroHei"):
        assert any(e == font or e.startswith(font + "-") for e in embedded), (font, embedded)  # a .ttc face: -0
    flat = _flat(_text(pdf))
    for script in ("latin", "greek", "cyrillic", "cjk", "devanagari"):
        assert NAMES[script] in flat, script


def test_runs_pick_a_font_that_has_every_character():
    for text in list(NAMES.values()) + list(ANSWERS.values()) + ["Ada 王 (42) मैं, محمد!"]:
        for family, run in fonts.runs(text):
            missing = [ch for ch in run if ord(ch) not in fonts._coverage[family.name]]
            assert not missing, (family.name, run, missing)
    assert [f.name for f, _ in fonts.runs("Zoë 王小明 Дмитрий")] == ["Viva", "VivaCJK", "Viva"]
    extra = {"VivaCJK": "김민준 すずき", "VivaHebrew": "שלום", "VivaThai": "สวัสดี"}  # Korean is an interview language
    for family, text in extra.items():
        assert {f.name for f, _ in fonts.runs(text)} == {family}, text
    # The symbols the scorecard itself prints need no fallback.
    assert {f.name for f, _ in fonts.runs("·–—“”‘’±…•%§°×")} == {"Viva"}
    marked = fonts.markup("<b>王</b> & </para>\nx", bold=True)
    assert re.sub(r'<font name="VivaCJK">|</font>', "", marked) == "&lt;b&gt;王&lt;/b&gt; &amp; &lt;/para&gt;<br/>x"


def test_markup_in_names_answers_and_rationales_prints_literally(tmp_path):
    dims = [_dimension(f"Dim {MARKUP}", 6.5, rationale=f"Because {MARKUP}", quotes=[f"I said {MARKUP}"],
                       anchor_text=f"Anchor {MARKUP}", description=f"Describes {MARKUP}")]
    data = review(name=f"Eve {MARKUP}", dims=dims, feedback={f"Dim {MARKUP}": f"Try {MARKUP}"})
    data["dimensions"][0]["scores"]["human"] = [{"rater": f"rater {MARKUP}", "score": 6, "rationale": MARKUP}]
    data["dimensions"][0]["scores"]["override"] = [{"rater": "grace", "score": 7, "reason": MARKUP}]
    pdf = _render(tmp_path, data, _turns([f"My answer {MARKUP}", "</para><para>"]))
    flat = _flat(_text(pdf, layout=False))  # reading order: the header's two columns are not interleaved
    for literal in (f"Eve {MARKUP}", f"Because {MARKUP}", f"I said {MARKUP}", f"Anchor {MARKUP}",
                    f"Try {MARKUP}", f"My answer {MARKUP}", "</para><para>", f"Human rater rater {MARKUP}: 6.0",
                    f"reason: {MARKUP}"):
        assert _flat(literal) in flat, literal
    assert "Courier" not in _embedded_fonts(pdf)


def test_each_dimension_reads_as_score_anchor_rationale_and_quotes(tmp_path):
    dims = [
        _dimension("Problem solving", 6.45, anchor="high", anchor_text="specific example with a measured result",
                   rationale="Names the root cause and a measured drop in latency.",
                   quotes=["p95 latency dropped from 2.1 seconds to 300 ms"], weight=60,
                   labels=["answers with numbers or percentages", "STAR structure", "named tools per answer"]),
        _dimension("Communication", 5.0, anchor="low", anchor_text="vague, no example",
                   rationale="Short answers without a concrete example.", quotes=["I guess I would fix it"],
                   weight=40, labels=["words per answer", "answers saying what I did", "first person share"]),
    ]
    pdf = _render(tmp_path, review(dims=dims), _turns(["p95 latency dropped from 2.1 seconds to 300 ms"]))
    flat = _flat(_text(pdf))
    appendix_at = flat.index(FEATURES_TITLE)
    assert RATINGS_TITLE in flat[appendix_at:]
    for d, anchor in zip(dims, ("high", "low")):
        ai = d["ai"][0]
        start = flat.index(f"{d['name']} · {format_score(d['final'])} of 10")
        block = flat[start:appendix_at]
        anchor_text = ai["details"]["anchor_text"]
        assert f"Matched anchor: {anchor} (rated 3.5 on the anchors' 1–5 scale) – “{anchor_text}”" in block
        assert f"Why: {ai['rationale']}" in block
        assert f"“{ai['evidence'][0]}”" in block
    # One shortening everywhere: one decimal, cut rather than rounded up, so 6.45 never prints as a 6.5 it is not.
    assert "Problem solving · 6.4 of 10" in flat and "6.45" not in flat and "6.5 of 10" not in flat
    for d in dims:
        for line in d["rules"][0]["details"]["lines"]:
            assert flat.index(line["label"]) > appendix_at, line["label"]
            assert line["label"] not in flat[:appendix_at]
    assert "not measured" in flat[appendix_at:] and "40–250" in flat[appendix_at:]
    assert "How did you explain it?" in flat[flat.index(RATINGS_TITLE):]


def test_older_ai_rows_without_anchor_fall_back(tmp_path):
    old = _dimension("Problem solving", 7.0, anchor=None, rationale="Old-style rationale.", quotes=["old quote"])
    rules_only = {"name": "Communication", "weight": 50, "final": 4.0,
                  "rules": [_rule_row("Communication", 4.0, ["words per answer"])]}
    pdf = _render(tmp_path, review(dims=[old, rules_only]), _turns(["old quote"]))
    flat = _flat(_text(pdf))
    assert "Matched anchor" not in flat
    assert "Why: Old-style rationale." in flat and "“old quote”" in flat
    assert "Scored by rules over measured features of the answers (see the appendix)." in flat
    assert "“A rule quote.”" in flat  # without a model score, the rules' quotes back it
    assert flat.index("words per answer") > flat.index(FEATURES_TITLE)


def test_footer_and_chart_draw_every_script(tmp_path):
    from desktop_app.reports.charts import dimension_chart

    drawing = dimension_chart([NAMES["cjk"] + " Dimension", NAMES["devanagari"]], [6.0, 4.0], max_score=10,
                              threshold=5)
    faces = {s.fontName for s in drawing.contents if hasattr(s, "fontName")}
    assert {"VivaCJK", "Viva", "VivaDevanagari"} <= faces
    pdf = _render(tmp_path, review(name=NAMES["cjk"], dims=[_dimension(NAMES["cjk"], 6.0)]), _turns(["x"]))
    page = PdfReader(str(pdf)).pages[0].extract_text()
    assert f"Viva scorecard · session 01234567 · {NAMES['cjk']}" in " ".join(page.split())


def test_every_bundled_font_file_ships_with_its_licence_in_the_frozen_build():
    folder = fonts.FONTS_DIR
    spec = (folder.parents[1] / "build.spec").read_text(encoding="utf-8")
    files = sorted(p.name for p in folder.iterdir())
    assert {"LICENSE-OFL-1.1.txt", "LICENSE-Apache-2.0.txt", "README.md"} <= set(files)
    for name in files:
        assert f'"{name}"' in spec, f"build.spec does not ship resources/fonts/{name}"
    for family in fonts.FALLBACK:
        for file in family.faces().values():
            assert file in files
    assert sum(p.stat().st_size for p in folder.iterdir()) < 15_000_000
