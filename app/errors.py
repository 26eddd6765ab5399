"""Errors a host, a manager or a script can read.

Every error that reaches a person derives from ``ToBeOutError``; its ``exit_code`` is the
command-line contract (2 bad input, 3 not available / conflict, 1 environment problem).
"""

from __future__ import annotations


class ToBeOutError(Exception):
    """Base of every error the app reports to a person rather than as a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(ToBeOutError):
    """The request itself is wrong: a bad date, an unknown value, a missing field."""

    exit_code = 2


class NotFound(InvalidInput):
    """A named thing (restaurant, reservation, user) does not exist."""


class PermissionDenied(InvalidInput):
    """The signed-in user's role does not allow the action."""


class NotAvailable(ToBeOutError):
    """The request is valid but cannot be met: the table or time is taken, the guest is refused.

    ``alternatives`` carries what can be offered instead (bookable times), when there is any.
    """

    exit_code = 3

    def __init__(self, message: str, alternatives: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.alternatives = alternatives


class Conflict(NotAvailable):
    """Someone else changed the same data first (a race lost, a duplicate)."""


class GuestBlocked(NotAvailable):
    """The guest is on the restaurant's blocked list: staff decide, guests are not told why."""


class DatabaseProblem(ToBeOutError):
    """The database cannot be used: unreachable, too new, or not a ToBeOut database."""

    exit_code = 1
