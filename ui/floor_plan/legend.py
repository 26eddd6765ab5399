"""The floor plan's legend: what each live colour and badge means. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.floor_plan.style import ALLERGY_RED, LEGEND_STATES, VIP_GOLD, state_style


class FloorLegend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.setSpacing(6)
        self.entries: list[QLabel] = []
        for state in LEGEND_STATES:
            style = state_style(state)
            chip = QLabel(style.label)
            chip.setStyleSheet(
                f"background: {style.fill.name()}; color: {style.text.name()};"
                f"border: 2px solid {style.border.name()}; border-radius: 8px; padding: 1px 7px;"
            )
            self.entries.append(chip)
            layout.addWidget(chip)
        vip = QLabel(f"<span style='color:{VIP_GOLD.name()}; font-size: 13pt'>★</span> VIP")
        allergy = QLabel(f"<span style='color:white; background:{ALLERGY_RED.name()};"
                         "font-weight:bold'>&nbsp;!&nbsp;</span> Allergy")  # fmt: skip
        for label in (vip, allergy):
            self.entries.append(label)
            layout.addWidget(label)
        layout.addStretch(1)

    def labels(self) -> list[str]:
        return [label.text() for label in self.entries]
