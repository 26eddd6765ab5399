"""Use cases: one call is one user action and one transaction, returning frozen DTOs."""
