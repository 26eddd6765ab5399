"""The users dialog (administrators): accounts, roles, activation and passwords."""
