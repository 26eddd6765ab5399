"""Every value set the seed schema lists, as Python enums stored by value."""

from __future__ import annotations

from enum import StrEnum


class UserRole(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    STAFF = "staff"


class TableStatus(StrEnum):
    FREE = "free"
    OCCUPIED = "occupied"
    RESERVED = "reserved"
    MAINTENANCE = "maintenance"


class TableShape(StrEnum):
    ROUND = "round"
    SQUARE = "square"
    RECTANGULAR = "rectangular"


class VipTier(StrEnum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"
    PLATINUM = "platinum"


class GuestSource(StrEnum):
    """How a guest was acquired: the seed's list plus the host stand's own ways."""

    TELEGRAM = "telegram"
    WEB = "web"
    WHATSAPP = "whatsapp"
    AI_ASSISTANT = "ai_assistant"
    REFERRAL = "referral"
    PHONE = "phone"
    WALK_IN = "walk_in"


class ConversationStyle(StrEnum):
    FORMAL = "formal"
    CASUAL = "casual"
    BRIEF = "brief"


class ReservationStatus(StrEnum):
    """The seed's advanced status flow (the seed's older ``created`` is ``pending`` here)."""

    INQUIRY = "inquiry"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REMINDED = "reminded"
    SEATED = "seated"
    DINING = "dining"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    RESCHEDULED = "rescheduled"


# Statuses in which a reservation holds its table(s).
BLOCKING_STATUSES: frozenset[ReservationStatus] = frozenset(
    {
        ReservationStatus.PENDING,
        ReservationStatus.CONFIRMED,
        ReservationStatus.REMINDED,
        ReservationStatus.SEATED,
        ReservationStatus.DINING,
    }
)


class OccasionType(StrEnum):
    BIRTHDAY = "birthday"
    ANNIVERSARY = "anniversary"
    BUSINESS = "business"
    CASUAL = "casual"
    DATE = "date"


class ReservationSource(StrEnum):
    WEB = "web"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    PHONE = "phone"
    WALK_IN = "walk_in"
    AI_ASSISTANT = "ai_assistant"


class BookingComplexity(StrEnum):
    SIMPLE = "simple"
    MODERATE = "moderate"
    COMPLEX = "complex"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class IntegrationType(StrEnum):
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    VOICE = "voice"
    FACEBOOK = "facebook"
    GOOGLE = "google"


class AiActivityType(StrEnum):
    BOOKING_ATTEMPT = "booking_attempt"
    CONVERSATION = "conversation"
    OPTIMIZATION = "optimization"
    SENTIMENT_ANALYSIS = "sentiment_analysis"
    FRUSTRATION_DETECTION = "frustration_detection"
    ALTERNATIVE_SUGGESTION = "alternative_suggestion"


class ConversationStage(StrEnum):
    GREETING = "greeting"
    COLLECTING = "collecting"
    CONFIRMING = "confirming"
    ALTERNATIVES = "alternatives"


class Platform(StrEnum):
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    WEB = "web"


class ConversationStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class SenderType(StrEnum):
    USER = "user"
    AI = "ai"
    AGENT = "agent"


class MessageType(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    FILE = "file"
    QUICK_REPLY = "quick_reply"
