"""Database layer: SQLAlchemy models, engine factory, schema migration on start-up."""
