"""ToBeOut Host Stand: the Qt-free core (services, domain rules, database)."""

__version__ = "0.1.0"
