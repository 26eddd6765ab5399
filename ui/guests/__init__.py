"""Guests: search, profiles, edits and the blocked list."""

from ui.guests.guest_profile_view import GuestProfileView
from ui.guests.guests_panel import GuestsPanel

__all__ = ["GuestProfileView", "GuestsPanel"]
