"""Adverse-impact screening: pass rates, the four-fifths rule, small groups and the caveats."""

from __future__ import annotations

import pytest

from desktop_app.core.fairness import UNSPECIFIED, adverse_impact, groups_of


def _rows(group: str, n: int, passed: int) -> list[tuple[str, bool]]:
    return [(group, i < passed) for i in range(n)]


def test_rates_ratios_and_the_four_fifths_flag():
    rows = _rows("A", 50, 30) + _rows("B", 40, 18) + _rows("C", 10, 5) + _rows(UNSPECIFIED, 5, 0)
    report = adverse_impact(rows)
    by = {g.group: g for g in report.groups}
    assert [g.group for g in report.groups] == ["A", "B", "C", UNSPECIFIED]  # unspecified last
    assert report.reference_group == "A"
    assert (by["A"].n, by["A"].passed, by["A"].rate, by["A"].ratio) == (50, 30, 0.6, 1.0)
    assert by["B"].rate == pytest.approx(0.45) and by["B"].ratio == pytest.approx(0.75) and by["B"].flagged
    assert by["C"].ratio == pytest.approx(0.5 / 0.6) and not by["C"].flagged and by["C"].small
    assert not by["A"].small and not by["B"].small
    assert by[UNSPECIFIED].ratio == 0 and by[UNSPECIFIED].flagged
    assert report.total == 105 and [g.group for g in report.flagged] == ["B", UNSPECIFIED]


def test_the_warning_says_what_the_statistic_is_and_is_not_and_names_small_groups():
    report = adverse_impact(_rows("A", 50, 30) + _rows("C", 10, 5) + _rows("D", 3, 1))
    text = report.warning
    assert "screening statistic" in text
    assert "C (n=10)" in text and "D (n=3)" in text and "A (n=" not in text
    assert "under 30 people" in text
    assert "not proof of discrimination" in text and "absence" in text


def test_a_ratio_of_exactly_four_fifths_is_not_flagged():
    report = adverse_impact(_rows("A", 10, 5) + _rows("B", 10, 4))
    assert {g.group: g.flagged for g in report.groups} == {"A": False, "B": False}


def test_unspecified_is_never_the_reference_group():
    report = adverse_impact(_rows("A", 10, 2) + _rows(UNSPECIFIED, 10, 9))
    assert report.reference_group == "A"
    assert {g.group: g.ratio for g in report.groups}[UNSPECIFIED] == pytest.approx(4.5)


def test_nobody_passed_means_no_ratios_and_says_so():
    report = adverse_impact(_rows("A", 4, 0) + _rows("B", 3, 0))
    assert all(g.ratio is None and not g.flagged for g in report.groups)
    assert report.reference_group is None and "Nobody passed" in report.warning


def test_no_rows_is_an_empty_report_not_a_crash():
    report = adverse_impact([])
    assert report.groups == () and report.reference_group is None and report.total == 0
    assert "not proof" in report.warning


def test_people_in_two_groups_are_mentioned():
    assert "2 participant(s) carry more than one group tag" in adverse_impact([("A", True)], multi_group=2).warning


def test_groups_from_a_tag_prefix_or_an_explicit_list():
    assert groups_of(["group:A", "onsite"], prefix="group:") == ["A"]
    assert groups_of(["GROUP:b"], prefix="group:") == ["b"]
    assert groups_of(["onsite", "group:"], prefix="group:") == [UNSPECIFIED]
    assert groups_of(["group:A", "group:B"], prefix="group:") == ["A", "B"]
    assert groups_of(["Female", "senior"], groups=["female", "male"]) == ["female"]
    assert groups_of([], groups=["female", "male"]) == [UNSPECIFIED]
    with pytest.raises(ValueError):
        groups_of(["x"])
    with pytest.raises(ValueError):
        adverse_impact([], threshold=0)
