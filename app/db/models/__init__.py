"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from app.db.base import Base
from app.db.models.ai import AiActivity
from app.db.models.channels import ChannelCursor, ChannelUpdate, OutboxMessage
from app.db.models.conversations import ConversationThread, Message
from app.db.models.guests import Guest
from app.db.models.integrations import IntegrationSetting
from app.db.models.reservations import Reservation, ReservationStatusChange
from app.db.models.restaurants import DiningTable, Restaurant, Timeslot
from app.db.models.table_bookings import ReservationTable
from app.db.models.users import User

__all__ = [
    "AiActivity",
    "Base",
    "ChannelCursor",
    "ChannelUpdate",
    "ConversationThread",
    "DiningTable",
    "Guest",
    "IntegrationSetting",
    "Message",
    "OutboxMessage",
    "Reservation",
    "ReservationStatusChange",
    "ReservationTable",
    "Restaurant",
    "Timeslot",
    "User",
]
