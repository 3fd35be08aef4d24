"""The pinned Qt binding itself: a fault in it would crash the app mid-interview, whatever our code does."""

from __future__ import annotations

import sys


def test_calls_returning_nothing_keep_their_reference_to_none(qtbot):
    # PySide6 6.12.0 on Python 3.11 dropped one reference to None per such call (QLabel.setText, setVisible ...),
    # so a long interview (a clock label updated every second) ended in "Fatal Python error: none_dealloc".
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for n in range(2000):
        label.setText(str(n))
        label.setVisible(False)
    assert sys.getrefcount(None) >= before - 50
