"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 22:13:08.177265
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "manager",
                "staff",
                name="user_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_login", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_login_count", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "failed_login_count >= 0",
            name=op.f("ck_users_failed_login_count_non_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "restaurants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("cuisine", sa.String(length=100), nullable=True),
        sa.Column(
            "opening_hours",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("average_service_time", sa.Integer(), nullable=False),
        sa.Column("max_advance_booking", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "average_service_time > 0",
            name=op.f("ck_restaurants_average_service_time_positive"),
        ),
        sa.CheckConstraint(
            "max_advance_booking >= 0",
            name=op.f("ck_restaurants_max_advance_booking_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_restaurants_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restaurants")),
    )
    with op.batch_alter_table("restaurants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_restaurants_user_id"), ["user_id"], unique=False)

    op.create_table(
        "guests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restaurant_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column(
            "preferences",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "allergies",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("visit_count", sa.Integer(), nullable=False),
        sa.Column("total_spent", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("last_visit", sa.Date(), nullable=True),
        sa.Column("average_party_size", sa.Float(), nullable=True),
        sa.Column(
            "preferred_times",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "conversation_style",
            sa.Enum(
                "formal",
                "casual",
                "brief",
                name="conversation_style",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("satisfaction_score", sa.Float(), nullable=True),
        sa.Column("blacklisted", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("loyalty_points", sa.Integer(), nullable=False),
        sa.Column(
            "vip_status",
            sa.Enum(
                "bronze",
                "silver",
                "gold",
                "platinum",
                name="vip_tier",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "telegram",
                "web",
                "whatsapp",
                "ai_assistant",
                "referral",
                "phone",
                "walk_in",
                name="guest_source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "ai_personality_profile",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "communication_history",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "average_party_size IS NULL OR average_party_size > 0",
            name=op.f("ck_guests_average_party_size_positive"),
        ),
        sa.CheckConstraint(
            "loyalty_points >= 0", name=op.f("ck_guests_loyalty_points_non_negative")
        ),
        sa.CheckConstraint(
            "satisfaction_score IS NULL OR satisfaction_score BETWEEN 0 AND 5",
            name=op.f("ck_guests_satisfaction_score_range"),
        ),
        sa.CheckConstraint("total_spent >= 0", name=op.f("ck_guests_total_spent_non_negative")),
        sa.CheckConstraint("visit_count >= 0", name=op.f("ck_guests_visit_count_non_negative")),
        sa.ForeignKeyConstraint(
            ["restaurant_id"],
            ["restaurants.id"],
            name=op.f("fk_guests_restaurant_id_restaurants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guests")),
        sa.UniqueConstraint("restaurant_id", "phone", name=op.f("uq_guests_restaurant_id_phone")),
    )
    with op.batch_alter_table("guests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guests_name"), ["name"], unique=False)

    op.create_table(
        "integration_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restaurant_id", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "telegram",
                "whatsapp",
                "voice",
                "facebook",
                "google",
                name="integration_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("credentials", sa.Text(), nullable=True),
        sa.Column("webhook_url", sa.String(length=500), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_sync", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "rate_limits",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "features",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "error_count >= 0",
            name=op.f("ck_integration_settings_error_count_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["restaurant_id"],
            ["restaurants.id"],
            name=op.f("fk_integration_settings_restaurant_id_restaurants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration_settings")),
        sa.UniqueConstraint(
            "restaurant_id",
            "type",
            name=op.f("uq_integration_settings_restaurant_id_type"),
        ),
    )
    op.create_table(
        "tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restaurant_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("min_guests", sa.Integer(), nullable=False),
        sa.Column("max_guests", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "free",
                "occupied",
                "reserved",
                "maintenance",
                name="table_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "position",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "features",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column(
            "shape",
            sa.Enum(
                "round",
                "square",
                "rectangular",
                name="table_shape",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_cleaned", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("ai_score", sa.Float(), nullable=False),
        sa.Column(
            "preferred_for",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_guests >= min_guests", name=op.f("ck_tables_max_guests_not_below_min")
        ),
        sa.CheckConstraint("min_guests >= 1", name=op.f("ck_tables_min_guests_positive")),
        sa.CheckConstraint("priority BETWEEN 1 AND 10", name=op.f("ck_tables_priority_range")),
        sa.ForeignKeyConstraint(
            ["restaurant_id"],
            ["restaurants.id"],
            name=op.f("fk_tables_restaurant_id_restaurants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tables")),
        sa.UniqueConstraint("restaurant_id", "name", name=op.f("uq_tables_restaurant_id_name")),
    )
    op.create_table(
        "timeslots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restaurant_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("time", sa.Time(), nullable=False),
        sa.Column("is_available", sa.Boolean(), nullable=False),
        sa.Column("max_capacity", sa.Integer(), nullable=False),
        sa.Column("current_bookings", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("staff_level", sa.Integer(), nullable=True),
        sa.Column("special_event", sa.String(length=200), nullable=True),
        sa.Column(
            "pricing",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "current_bookings >= 0",
            name=op.f("ck_timeslots_current_bookings_non_negative"),
        ),
        sa.CheckConstraint(
            "max_capacity >= 0", name=op.f("ck_timeslots_max_capacity_non_negative")
        ),
        sa.CheckConstraint(
            "staff_level IS NULL OR staff_level >= 0",
            name=op.f("ck_timeslots_staff_level_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["restaurant_id"],
            ["restaurants.id"],
            name=op.f("fk_timeslots_restaurant_id_restaurants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeslots")),
        sa.UniqueConstraint(
            "restaurant_id",
            "date",
            "time",
            name=op.f("uq_timeslots_restaurant_id_date_time"),
        ),
    )
    op.create_table(
        "conversation_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restaurant_id", sa.Integer(), nullable=False),
        sa.Column("guest_id", sa.Integer(), nullable=True),
        sa.Column(
            "platform",
            sa.Enum(
                "telegram",
                "whatsapp",
                "web",
                name="platform",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("platform_user_id", sa.String(length=128), nullable=False),
        sa.Column("thread_id", sa.String(length=128), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "paused",
                "completed",
                "abandoned",
                name="conversation_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "stage",
            sa.Enum(
                "greeting",
                "collecting",
                "confirming",
                "alternatives",
                name="conversation_stage",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("intent", sa.String(length=32), nullable=True),
        sa.Column(
            "context",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("satisfaction_rating", sa.Integer(), nullable=True),
        sa.Column("resolution_type", sa.String(length=32), nullable=True),
        sa.Column("agent_handoff", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "message_count >= 0",
            name=op.f("ck_conversation_threads_message_count_non_negative"),
        ),
        sa.CheckConstraint(
            "satisfaction_rating IS NULL OR satisfaction_rating BETWEEN 1 AND 5",
            name=op.f("ck_conversation_threads_satisfaction_rating_range"),
        ),
        sa.CheckConstraint(
            "sentiment_score IS NULL OR sentiment_score BETWEEN -1 AND 1",
            name=op.f("ck_conversation_threads_sentiment_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["guest_id"],
            ["guests.id"],
            name=op.f("fk_conversation_threads_guest_id_guests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["restaurant_id"],
            ["restaurants.id"],
            name=op.f("fk_conversation_threads_restaurant_id_restaurants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_threads")),
    )
    with op.batch_alter_table("conversation_threads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_threads_guest_id"), ["guest_id"], unique=False
        )
        batch_op.create_index(
            "ix_conversation_threads_platform_user",
            ["platform", "platform_user_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_conversation_threads_restaurant_last",
            ["restaurant_id", "last_message_at"],
            unique=False,
        )

    op.create_table(
        "ai_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restaurant_id", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "booking_attempt",
                "conversation",
                "optimization",
                "sentiment_analysis",
                "frustration_detection",
                "alternative_suggestion",
                name="ai_activity_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("guest_id", sa.Integer(), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("confidence_score", sa.Float(), nullable=True),
        sa.Column("processing_time", sa.Integer(), nullable=True),
        sa.Column("model_version", sa.String(length=100), nullable=True),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column(
            "conversation_stage",
            sa.Enum(
                "greeting",
                "collecting",
                "confirming",
                "alternatives",
                name="conversation_stage",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("user_frustration_level", sa.Integer(), nullable=True),
        sa.Column("context_preserved", sa.Boolean(), nullable=False),
        sa.Column("alternatives_generated", sa.Integer(), nullable=False),
        sa.Column("booking_completed", sa.Boolean(), nullable=False),
        sa.Column("human_handoff_required", sa.Boolean(), nullable=False),
        sa.Column("response_quality", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "confidence_score IS NULL OR confidence_score BETWEEN 0 AND 1",
            name=op.f("ck_ai_activities_confidence_score_range"),
        ),
        sa.CheckConstraint("cost >= 0", name=op.f("ck_ai_activities_cost_non_negative")),
        sa.CheckConstraint(
            "input_tokens >= 0 AND output_tokens >= 0",
            name=op.f("ck_ai_activities_tokens_non_negative"),
        ),
        sa.CheckConstraint(
            "response_quality IS NULL OR response_quality BETWEEN 1 AND 5",
            name=op.f("ck_ai_activities_response_quality_range"),
        ),
        sa.CheckConstraint(
            "user_frustration_level IS NULL OR user_frustration_level BETWEEN 0 AND 5",
            name=op.f("ck_ai_activities_frustration_range"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation_threads.id"],
            name=op.f("fk_ai_activities_conversation_id_conversation_threads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["guest_id"],
            ["guests.id"],
            name=op.f("fk_ai_activities_guest_id_guests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["restaurant_id"],
            ["restaurants.id"],
            name=op.f("fk_ai_activities_restaurant_id_restaurants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_activities")),
    )
    with op.batch_alter_table("ai_activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ai_activities_conversation_id"),
            ["conversation_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_ai_activities_guest_id"), ["guest_id"], unique=False)
        batch_op.create_index(
            "ix_ai_activities_restaurant_created",
            ["restaurant_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column(
            "sender_type",
            sa.Enum(
                "user",
                "ai",
                "agent",
                name="sender_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("sender_id", sa.String(length=128), nullable=True),
        sa.Column("message_text", sa.Text(), nullable=False),
        sa.Column(
            "message_type",
            sa.Enum(
                "text",
                "image",
                "audio",
                "file",
                "quick_reply",
                name="message_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("ai_confidence", sa.Float(), nullable=True),
        sa.Column("processing_time", sa.Integer(), nullable=True),
        sa.Column("intent_detected", sa.String(length=32), nullable=True),
        sa.Column(
            "entities_extracted",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("is_flagged", sa.Boolean(), nullable=False),
        sa.Column("response_time", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ai_confidence IS NULL OR ai_confidence BETWEEN 0 AND 1",
            name=op.f("ck_messages_ai_confidence_range"),
        ),
        sa.CheckConstraint(
            "sentiment_score IS NULL OR sentiment_score BETWEEN -1 AND 1",
            name=op.f("ck_messages_sentiment_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation_threads.id"],
            name=op.f("fk_messages_conversation_id_conversation_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_messages_conversation_created",
            ["conversation_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "reservations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restaurant_id", sa.Integer(), nullable=False),
        sa.Column("guest_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=True),
        sa.Column("timeslot_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("time", sa.Time(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("guests", sa.Integer(), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "inquiry",
                "pending",
                "confirmed",
                "reminded",
                "seated",
                "dining",
                "completed",
                "cancelled",
                "no_show",
                "rescheduled",
                name="reservation_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("special_requests", sa.Text(), nullable=True),
        sa.Column(
            "occasion_type",
            sa.Enum(
                "birthday",
                "anniversary",
                "business",
                "casual",
                "date",
                name="occasion_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "web",
                "telegram",
                "whatsapp",
                "phone",
                "walk_in",
                "ai_assistant",
                name="reservation_source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("confirmation_code", sa.String(length=16), nullable=False),
        sa.Column("arrival_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("departure_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("no_show_reason", sa.Text(), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("total_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("deposit_required", sa.Boolean(), nullable=False),
        sa.Column("deposit_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("deposit_paid", sa.Boolean(), nullable=False),
        sa.Column(
            "reminder_sent",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("ai_confidence", sa.Float(), nullable=True),
        sa.Column("alternatives_offered", sa.Integer(), nullable=False),
        sa.Column(
            "booking_complexity",
            sa.Enum(
                "simple",
                "moderate",
                "complex",
                name="booking_complexity",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "guest_sentiment",
            sa.Enum(
                "positive",
                "neutral",
                "negative",
                name="sentiment",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("rescheduled_from_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ai_confidence IS NULL OR ai_confidence BETWEEN 0 AND 1",
            name=op.f("ck_reservations_ai_confidence_range"),
        ),
        sa.CheckConstraint(
            "alternatives_offered >= 0",
            name=op.f("ck_reservations_alternatives_non_negative"),
        ),
        sa.CheckConstraint(
            "deposit_amount IS NULL OR deposit_amount >= 0",
            name=op.f("ck_reservations_deposit_non_negative"),
        ),
        sa.CheckConstraint("duration > 0", name=op.f("ck_reservations_duration_positive")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_reservations_ends_after_start")),
        sa.CheckConstraint("guests > 0", name=op.f("ck_reservations_party_size_positive")),
        sa.CheckConstraint(
            "rating IS NULL OR rating BETWEEN 1 AND 5",
            name=op.f("ck_reservations_rating_range"),
        ),
        sa.CheckConstraint(
            "total_amount IS NULL OR total_amount >= 0",
            name=op.f("ck_reservations_total_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation_threads.id"],
            name=op.f("fk_reservations_conversation_id_conversation_threads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["guest_id"],
            ["guests.id"],
            name=op.f("fk_reservations_guest_id_guests"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["rescheduled_from_id"],
            ["reservations.id"],
            name=op.f("fk_reservations_rescheduled_from_id_reservations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["restaurant_id"],
            ["restaurants.id"],
            name=op.f("fk_reservations_restaurant_id_restaurants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["tables.id"],
            name=op.f("fk_reservations_table_id_tables"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["timeslot_id"],
            ["timeslots.id"],
            name=op.f("fk_reservations_timeslot_id_timeslots"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservations")),
        sa.UniqueConstraint("confirmation_code", name=op.f("uq_reservations_confirmation_code")),
    )
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reservations_conversation_id"),
            ["conversation_id"],
            unique=False,
        )
        batch_op.create_index("ix_reservations_guest", ["guest_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reservations_rescheduled_from_id"),
            ["rescheduled_from_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_reservations_restaurant_date", ["restaurant_id", "date"], unique=False
        )
        batch_op.create_index(
            "ix_reservations_restaurant_starts",
            ["restaurant_id", "starts_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_reservations_table_starts", ["table_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reservations_timeslot_id"), ["timeslot_id"], unique=False
        )

    op.create_table(
        "reservation_status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reservation_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "inquiry",
                "pending",
                "confirmed",
                "reminded",
                "seated",
                "dining",
                "completed",
                "cancelled",
                "no_show",
                "rescheduled",
                name="from_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "inquiry",
                "pending",
                "confirmed",
                "reminded",
                "seated",
                "dining",
                "completed",
                "cancelled",
                "no_show",
                "rescheduled",
                name="to_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_user_id"],
            ["users.id"],
            name=op.f("fk_reservation_status_history_changed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservations.id"],
            name=op.f("fk_reservation_status_history_reservation_id_reservations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservation_status_history")),
    )
    with op.batch_alter_table("reservation_status_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reservation_status_history_changed_at", ["changed_at"], unique=False
        )
        batch_op.create_index(
            "ix_reservation_status_history_reservation",
            ["reservation_id", "changed_at"],
            unique=False,
        )


def downgrade() -> None:

    with op.batch_alter_table("reservation_status_history", schema=None) as batch_op:
        batch_op.drop_index("ix_reservation_status_history_reservation")
        batch_op.drop_index("ix_reservation_status_history_changed_at")

    op.drop_table("reservation_status_history")
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reservations_timeslot_id"))
        batch_op.drop_index("ix_reservations_table_starts")
        batch_op.drop_index("ix_reservations_restaurant_starts")
        batch_op.drop_index("ix_reservations_restaurant_date")
        batch_op.drop_index(batch_op.f("ix_reservations_rescheduled_from_id"))
        batch_op.drop_index("ix_reservations_guest")
        batch_op.drop_index(batch_op.f("ix_reservations_conversation_id"))

    op.drop_table("reservations")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_conversation_created")

    op.drop_table("messages")
    with op.batch_alter_table("ai_activities", schema=None) as batch_op:
        batch_op.drop_index("ix_ai_activities_restaurant_created")
        batch_op.drop_index(batch_op.f("ix_ai_activities_guest_id"))
        batch_op.drop_index(batch_op.f("ix_ai_activities_conversation_id"))

    op.drop_table("ai_activities")
    with op.batch_alter_table("conversation_threads", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_threads_restaurant_last")
        batch_op.drop_index("ix_conversation_threads_platform_user")
        batch_op.drop_index(batch_op.f("ix_conversation_threads_guest_id"))

    op.drop_table("conversation_threads")
    op.drop_table("timeslots")
    op.drop_table("tables")
    op.drop_table("integration_settings")
    with op.batch_alter_table("guests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guests_name"))

    op.drop_table("guests")
    with op.batch_alter_table("restaurants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restaurants_user_id"))

    op.drop_table("restaurants")
    op.drop_table("users")
