"""The recommendation in plain choices: "Recommend Hire when the overall score is at least 7 and no dimension is
below 5; otherwise No hire". It writes the rule text of core.recommendation_logic through core.logic_builder."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.core.logic_builder import SimpleLogic, from_text
from desktop_app.core.logic_conflicts import word
from desktop_app.ui.widgets import combo, hint

PASS_MARK, SCORE = "pass_mark", "score"


def _spin(name: str, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setAccessibleName(name)
    box.setToolTip(tip)
    return box


class RecommendationBuilder(QWidget):
    """Plain controls for the common logic; `edited` fires when the person changes one of them."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Recommendation")
        self.positive, self.negative = "hire", "no_hire"
        self._setting = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.controls = QWidget()
        grid = QGridLayout(self.controls)
        grid.setContentsMargins(0, 0, 0, 0)
        self.when = QLabel()
        self.bar_kind = combo([("the stage's pass mark", PASS_MARK), ("this score:", SCORE)], "Overall score needed for",
                              tip="Follow each stage's pass mark, or one fixed score for every stage")
        self.bar = _spin("Overall score needed", "The overall score from which the candidate is recommended")
        self.of_scale = QLabel()
        self.floor_on = QCheckBox("and no dimension is below")
        self.floor_on.setAccessibleName("And no dimension is below")
        self.floor_on.setToolTip("A candidate weak in any one dimension is not recommended, whatever the overall score")
        self.floor = _spin("Lowest dimension score allowed", "No single dimension may score below this")
        self.otherwise = QLabel()
        grid.addWidget(self.when, 0, 0)
        grid.addWidget(self.bar_kind, 0, 1)
        grid.addWidget(self.bar, 0, 2)
        grid.addWidget(self.of_scale, 0, 3)
        grid.addWidget(self.floor_on, 1, 0)
        grid.addWidget(self.floor, 1, 2)
        grid.addWidget(self.otherwise, 2, 0, 1, 4)
        grid.setColumnStretch(4, 1)
        outer.addWidget(self.controls)
        self.note = hint("This recommendation is written as code the simple choices cannot show. "
                         "Read or change it under “Advanced” below.")
        self.note.hide()
        outer.addWidget(self.note)
        self.set_scale(10)
        self.bar.setValue(7)
        self.floor.setValue(5)
        self.set_words("hire", "no_hire")
        for signal in (self.bar_kind.currentIndexChanged, self.bar.valueChanged, self.floor.valueChanged,
                       self.floor_on.toggled):
            signal.connect(self._changed)
        self._enable()

    # ------------------------------------------------------------ state

    @property
    def representable(self) -> bool:
        """False while the logic is code the plain choices cannot show."""
        return self.note.isHidden()

    def set_words(self, positive: str, negative: str) -> None:
        """The profile's recommendation words (they follow the use case)."""
        self.positive, self.negative = positive, negative
        self.when.setText(f"Recommend “{word(positive)}” when the overall score is at least")
        self.otherwise.setText(f"Otherwise recommend “{word(negative)}”.")

    def set_scale(self, top: int) -> None:
        """The profile's scale: bounds the two scores."""
        for box in (self.bar, self.floor):
            box.setRange(0, top)
            box.setSingleStep(0.5 if top <= 10 else 5)
        self.of_scale.setText(f"of {top}")

    def simple(self) -> SimpleLogic:
        """The choices as shown."""
        bar = self.bar.value() if self.bar_kind.currentData() == SCORE else None
        floor = self.floor.value() if self.floor_on.isChecked() else None
        return SimpleLogic(self.positive, self.negative, bar, floor)

    def logic_text(self) -> str:
        """The rule text the choices stand for ('' when the stage's pass mark alone decides)."""
        return self.simple().to_text()

    def show_logic(self, text: str) -> bool:
        """Shows rule text in the controls; False (and a note) when they cannot represent it."""
        simple = from_text(text, self.positive, self.negative)
        self.controls.setEnabled(simple is not None)
        self.note.setVisible(simple is None)
        if simple is None or simple == self.simple():
            return simple is not None
        self._setting = True
        self.bar_kind.setCurrentIndex(self.bar_kind.findData(PASS_MARK if simple.overall_at_least is None else SCORE))
        if simple.overall_at_least is not None:
            self.bar.setValue(simple.overall_at_least)
        self.floor_on.setChecked(simple.dimension_floor is not None)
        if simple.dimension_floor is not None:
            self.floor.setValue(simple.dimension_floor)
        self._setting = False
        self._enable()
        return True

    # ------------------------------------------------------------ editing

    def _enable(self) -> None:
        self.bar.setEnabled(self.bar_kind.currentData() == SCORE)
        self.floor.setEnabled(self.floor_on.isChecked())

    def _changed(self, *_: object) -> None:
        self._enable()
        if not self._setting:
            self.edited.emit()
