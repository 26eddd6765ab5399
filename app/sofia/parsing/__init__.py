"""Offline understanding of guest messages: intent, date, time, party size, name, phone.

Deterministic and dependency-light, so Sofia works without any model. ``parse_message`` is the
entry point; each sibling module handles one kind of fact.
"""

from app.sofia.parsing.parse import ParsedMessage, parse_message, to_json_dict

__all__ = ["ParsedMessage", "parse_message", "to_json_dict"]
