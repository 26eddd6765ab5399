"""The day sheet on paper or as a PDF: time, table, guest, party, flags and notes."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.db.enums import ReservationStatus
from app.services.reservation_views import ReservationView

HIDDEN = {ReservationStatus.CANCELLED, ReservationStatus.RESCHEDULED}


def day_sheet_html(
    restaurant: str, day: dt.date, reservations: Sequence[ReservationView], timezone: str
) -> str:
    zone = ZoneInfo(timezone)
    shown = [r for r in reservations if r.status not in HIDDEN]
    covers = sum(r.party_size for r in shown)
    rows = []
    for r in shown:
        flags = []
        if r.vip_status:
            flags.append(f"VIP {r.vip_status.value}")
        if r.allergies:
            flags.append("ALLERGY: " + ", ".join(r.allergies))
        if r.occasion:
            flags.append(r.occasion)
        if r.deposit_required:
            flags.append(f"deposit {r.deposit_amount}")
        rows.append(
            "<tr>"
            f"<td>{r.starts_at.astimezone(zone):%H:%M}</td>"
            f"<td>{html.escape('+'.join(r.tables) or '—')}</td>"
            f"<td>{html.escape(r.guest_name)}<br/><small>{html.escape(r.guest_phone)}</small></td>"
            f"<td align='center'>{r.party_size}</td>"
            f"<td>{html.escape(r.status.value.replace('_', ' '))}</td>"
            f"<td class='flags'>{html.escape(' · '.join(flags))}</td>"
            f"<td>{html.escape(r.special_requests or '')}</td>"
            "</tr>"
        )
    return f"""
    <html><head><style>
      body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; }}
      h1 {{ font-size: 15pt; margin: 0; }}
      table {{ border-collapse: collapse; width: 100%; }}
      th {{ background: #2f3b52; color: white; padding: 4px; text-align: left; }}
      td {{ border-bottom: 1px solid #ccd; padding: 4px; vertical-align: top; }}
      td.flags {{ color: #b3261e; font-weight: bold; }}
    </style></head><body>
      <h1>{html.escape(restaurant)} — {day:%A %d %B %Y}</h1>
      <p>{len(shown)} reservations, {covers} covers</p>
      <table>
        <tr><th>Time</th><th>Table</th><th>Guest</th><th>Party</th><th>Status</th>
            <th>Flags</th><th>Notes</th></tr>
        {"".join(rows) or "<tr><td colspan='7'>No reservations.</td></tr>"}
      </table>
    </body></html>
    """


def write_day_sheet_pdf(path: Path, document_html: str) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                    QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    )  # fmt: skip
    writer.setResolution(150)
    document = QTextDocument()
    document.setHtml(document_html)
    layout = writer.pageLayout()
    rect = layout.paintRectPixels(writer.resolution())
    document.setPageSize(QSizeF(rect.width(), rect.height()))
    document.print_(writer)
