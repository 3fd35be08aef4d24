"""File names from people's words: readable, and legal on Windows."""

from __future__ import annotations

import re

import pytest

from desktop_app.core.filenames import safe_part, scorecard_filename


def test_scorecard_name_carries_participant_and_stage():
    assert scorecard_filename("Ada Byron", "Technical interview") == "Ada Byron - Technical interview - scorecard.pdf"


@pytest.mark.parametrize("name", ['A<b>:"/\\|?*c', "tab\tnew\nline", "  dots...  ", "x" * 300, "CON", "nul.txt",
                                  "", "Zoë Ångström-Łukasiewicz", "李小龙"])
def test_no_character_or_name_windows_refuses(name):
    part = safe_part(name)
    assert part and not re.search(r'[<>:"/\\|?*\x00-\x1f]', part)
    assert not part.endswith((" ", ".")) and not part.startswith(" ")
    assert part.split(".")[0].casefold() not in {"con", "prn", "aux", "nul"}
    assert len(part) <= 80


def test_letters_of_any_script_are_kept():
    assert safe_part("Zoë Ångström") == "Zoë Ångström"
    assert safe_part("李小龙") == "李小龙"
    assert safe_part("Ada / Byron: lead?") == "Ada Byron lead"
    assert safe_part("", "participant") == "participant"
