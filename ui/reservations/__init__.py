"""The day's reservations and the booking dialog (new bookings and reschedules)."""

from ui.reservations.day_list import DayListPanel
from ui.reservations.day_list_model import RESERVATION_MIME, ReservationTableModel
from ui.reservations.reservation_dialog import ReservationDialog

__all__ = ["RESERVATION_MIME", "DayListPanel", "ReservationDialog", "ReservationTableModel"]
