"""Every table and column of the seed schema exists in the migrated database."""

from __future__ import annotations

import sqlalchemy as sa

# Transcribed from shared/seed/tobeout-schema.md, camelCase turned into snake_case.
SEED_COLUMNS: dict[str, set[str]] = {
    "users": {"id", "email", "password", "role", "name", "is_active", "last_login", "created_at"},
    "restaurants": {
        "id", "name", "description", "address", "phone", "email", "cuisine", "opening_hours",
        "user_id", "settings", "timezone", "average_service_time", "max_advance_booking",
        "is_active", "created_at", "updated_at",
    },
    "tables": {
        "id", "restaurant_id", "name", "min_guests", "max_guests", "status", "position",
        "features", "priority", "shape", "is_active", "last_cleaned", "notes", "ai_score",
        "preferred_for", "created_at", "updated_at",
    },
    "timeslots": {
        "id", "restaurant_id", "date", "time", "is_available", "max_capacity",
        "current_bookings", "is_active", "staff_level", "special_event", "pricing",
        "created_at", "updated_at",
    },
    "guests": {
        "id", "restaurant_id", "name", "phone", "email", "preferences", "allergies",
        "visit_count", "total_spent", "last_visit", "average_party_size", "preferred_times",
        "conversation_style", "satisfaction_score", "blacklisted", "notes", "loyalty_points",
        "vip_status", "source", "ai_personality_profile", "communication_history",
        "created_at", "updated_at",
    },
    "reservations": {
        "id", "restaurant_id", "guest_id", "table_id", "timeslot_id", "date", "time", "guests",
        "duration", "status", "special_requests", "occasion_type", "source",
        "confirmation_code", "arrival_time", "departure_time", "no_show_reason",
        "cancellation_reason", "rating", "feedback", "total_amount", "deposit_required",
        "deposit_amount", "deposit_paid", "reminder_sent", "conversation_id", "ai_confidence",
        "alternatives_offered", "booking_complexity", "guest_sentiment", "created_at",
        "updated_at",
        # Not in the seed, required by ARCHITECTURE.md: UTC instants for overlap checks.
        "starts_at", "ends_at",
    },
    "integration_settings": {
        "id", "restaurant_id", "type", "settings", "credentials", "webhook_url", "is_active",
        "last_sync", "error_count", "last_error", "rate_limits", "features", "created_at",
        "updated_at",
    },
    "ai_activities": {
        "id", "restaurant_id", "type", "description", "metadata", "conversation_id",
        "guest_id", "success", "confidence_score", "processing_time", "model_version",
        "input_tokens", "output_tokens", "cost", "conversation_stage",
        "user_frustration_level", "context_preserved", "alternatives_generated",
        "booking_completed", "human_handoff_required", "response_quality", "created_at",
    },
    "conversation_threads": {
        "id", "restaurant_id", "guest_id", "platform", "platform_user_id", "thread_id",
        "status", "stage", "intent", "context", "message_count", "last_message_at",
        "sentiment_score", "satisfaction_rating", "resolution_type", "agent_handoff",
        "created_at", "updated_at",
    },
    "messages": {
        "id", "conversation_id", "sender_type", "sender_id", "message_text", "message_type",
        "metadata", "ai_confidence", "processing_time", "intent_detected",
        "entities_extracted", "sentiment_score", "language", "is_flagged", "response_time",
        "created_at",
    },
    "reservation_status_history": {
        "id", "reservation_id", "from_status", "to_status", "changed_at", "changed_by_user_id",
        "actor", "reason",
    },
}  # fmt: skip

# The seed's "Enhanced Relationships", as (child table, column, parent table).
SEED_RELATIONSHIPS = [
    ("restaurants", "user_id", "users"),
    ("tables", "restaurant_id", "restaurants"),
    ("timeslots", "restaurant_id", "restaurants"),
    ("guests", "restaurant_id", "restaurants"),
    ("reservations", "restaurant_id", "restaurants"),
    ("conversation_threads", "restaurant_id", "restaurants"),
    ("reservations", "guest_id", "guests"),
    ("conversation_threads", "guest_id", "guests"),
    ("reservations", "table_id", "tables"),
    ("reservations", "timeslot_id", "timeslots"),
    ("messages", "conversation_id", "conversation_threads"),
    ("reservations", "conversation_id", "conversation_threads"),
    ("ai_activities", "restaurant_id", "restaurants"),
    ("ai_activities", "conversation_id", "conversation_threads"),
    ("ai_activities", "guest_id", "guests"),
    ("integration_settings", "restaurant_id", "restaurants"),
]


def test_every_seed_column_is_in_the_migrated_schema(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        inspector = sa.inspect(engine)
        tables = set(inspector.get_table_names())
        for table, expected in SEED_COLUMNS.items():
            assert table in tables, f"table {table} missing"
            present = {c["name"] for c in inspector.get_columns(table)}
            missing = expected - present
            assert not missing, f"{table} lacks {sorted(missing)}"
    finally:
        engine.dispose()


def test_every_seed_relationship_is_a_foreign_key(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        inspector = sa.inspect(engine)
        for child, column, parent in SEED_RELATIONSHIPS:
            keys = inspector.get_foreign_keys(child)
            assert any(
                fk["referred_table"] == parent and fk["constrained_columns"] == [column]
                for fk in keys
            ), f"{child}.{column} -> {parent} missing"
    finally:
        engine.dispose()


def test_queries_the_app_runs_have_indexes(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        inspector = sa.inspect(engine)
        indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("reservations")}
        assert ("restaurant_id", "date") in indexed
        assert ("guest_id",) in indexed
        assert ("table_id", "starts_at") in indexed
    finally:
        engine.dispose()


def test_json_and_timestamp_column_types(database_url: str, backend: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        columns = {c["name"]: c for c in sa.inspect(engine).get_columns("guests")}
        json_type = str(columns["preferences"]["type"]).upper()
        timestamp = columns["created_at"]["type"]
        if backend == "postgresql":
            assert json_type == "JSONB"
            assert getattr(timestamp, "timezone", False), "timestamps must be timestamptz"
        else:
            assert json_type == "JSON"
            assert isinstance(timestamp, sa.DateTime)
        assert isinstance(columns["total_spent"]["type"], sa.Numeric)
    finally:
        engine.dispose()
