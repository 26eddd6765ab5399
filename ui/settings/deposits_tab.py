"""Deposits & VIP: when a booking needs a deposit and how much per guest; how many visits or how
much spent earns each VIP tier. Amounts are typed as text ("1 500" or "1500,50"); the service
reads and refuses them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.db.enums import VipTier
from app.services.restaurant_settings import RestaurantSettingsView
from ui.reservations.badges import VIP_LABELS
from ui.settings.form_bits import SPIN_WIDTH, SettingsTab, error_label, group, hint, with_error

DEPOSIT_HINT = ("A deposit is asked per guest when the party is at least this big, on a special "
                "date marked for deposits, or (if ticked) for a special event.")  # fmt: skip
VIP_HINT = ("A guest reaches a tier with either as many visits or as much spent (leave a box "
            "empty to ignore it). The highest tier reached counts.")  # fmt: skip


def amount_text(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    whole = amount == amount.to_integral_value()
    return f"{amount:,.0f}".replace(",", " ") if whole else f"{amount:,.2f}".replace(",", " ")


class DepositsTab(SettingsTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        deposit_box, deposit = group("Deposits")
        self.party = QSpinBox()
        self.party.setObjectName("deposit_party_size_at_least")
        self.party.setRange(0, 500)
        self.party.setSpecialValueText("Never by size")
        self.party.setSuffix(" guests")
        self.amount = QLineEdit()
        self.amount.setObjectName("deposit_amount_per_guest")
        self.amount.setPlaceholderText("0")
        self.amount.setFixedWidth(SPIN_WIDTH + 20)
        self.party.setFixedWidth(SPIN_WIDTH + 20)
        self.special_events = QCheckBox("Special events need a deposit")
        for name in ("deposit_party_size_at_least", "deposit_amount_per_guest",
                     "deposit_special_events"):  # fmt: skip
            self.errors[name] = error_label()
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.addRow(
            "Parties of at least",
            with_error(self.party, self.errors["deposit_party_size_at_least"]),
        )
        form.addRow(
            "Amount per guest", with_error(self.amount, self.errors["deposit_amount_per_guest"])
        )
        form.addRow("", with_error(self.special_events, self.errors["deposit_special_events"]))
        deposit.addLayout(form)
        deposit.addWidget(hint(DEPOSIT_HINT))
        deposit.addStretch(1)

        vip_box, vip = group("VIP tiers")
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.addWidget(QLabel("Tier"), 0, 0)
        grid.addWidget(QLabel("Visits"), 0, 1)
        grid.addWidget(QLabel("Or spent at least"), 0, 2)
        self.vip: dict[VipTier, tuple[QLineEdit, QLineEdit]] = {}
        for row, tier in enumerate(VipTier, start=1):
            visits, spent = QLineEdit(), QLineEdit()
            visits.setObjectName(f"vip_{tier.value}_visits")
            spent.setObjectName(f"vip_{tier.value}_spent")
            visits.setPlaceholderText("—")
            spent.setPlaceholderText("—")
            grid.addWidget(QLabel(f"★ {VIP_LABELS[tier]}"), row, 0)
            grid.addWidget(visits, row, 1)
            grid.addWidget(spent, row, 2)
            self.vip[tier] = (visits, spent)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 2)
        self.errors["vip_thresholds"] = error_label()
        vip.addLayout(grid)
        vip.addWidget(self.errors["vip_thresholds"])
        vip.addWidget(hint(VIP_HINT))
        vip.addStretch(1)

        for edit in (self.amount, *(e for pair in self.vip.values() for e in pair)):
            edit.textEdited.connect(self.changed)
        self.party.valueChanged.connect(lambda _v: self.changed.emit())
        self.special_events.toggled.connect(lambda _on: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 12)
        layout.setSpacing(12)
        layout.addWidget(deposit_box, 1)
        layout.addWidget(vip_box, 1)

    def fill(self, view: RestaurantSettingsView) -> None:
        deposit = view.deposit
        self.party.setValue(deposit.party_size_at_least or 0)
        self.amount.setText(amount_text(deposit.amount_per_guest))
        self.special_events.setChecked(deposit.special_events)
        by_tier = {t.tier: t for t in view.vip_thresholds}
        for tier, (visits, spent) in self.vip.items():
            found = by_tier.get(tier)
            visits.setText(str(found.visits) if found and found.visits is not None else "")
            spent.setText(amount_text(found.spent) if found else "")

    def values(self) -> dict[str, Any]:
        return {
            "deposit_party_size_at_least": self.party.value() or None,
            "deposit_amount_per_guest": self.amount.text(),
            "deposit_special_events": self.special_events.isChecked(),
            "vip_thresholds": {tier.value: {"visits": visits.text().strip(),
                                            "spent": spent.text().strip()}
                               for tier, (visits, spent) in self.vip.items()},
        }  # fmt: skip
