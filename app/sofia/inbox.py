"""The host's view of Sofia's conversations: the inbox, one transcript, taking a thread over.

A thread "needs a human" when Sofia handed it off (``agent_handoff``) and no colleague has taken
it yet; once one has (``take_over``), the thread's context names them under
``conversations.AGENT_KEY`` and Sofia stays silent there until ``hand_back``.

Staff messages (``post_staff_message``) are stored as ``agent`` messages whose metadata carries
``"delivery": "pending"`` when the thread is on a chat channel (Telegram, WhatsApp): the channel
sync worker picks those up into its outbox and sends them (the channel issue). Web threads —
the desktop "Talk to Sofia" test chats — have no channel, so their messages are ``"local"``.

Every call is one unit of work; writes are permission-checked (staff may) and announced as a
"conversation" change. Threading: runs on the calling thread and blocks on the database; GUI
callers run it in a worker.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.db.enums import ConversationStage, ConversationStatus, Platform, SenderType
from app.db.models import ConversationThread, Message
from app.domain import fields
from app.errors import NotFound
from app.services.accounts import UserSummary
from app.services.database import Database
from app.services.permissions import Permission, require
from app.sofia import conversations
from app.sofia.assistant import STORED_MESSAGE_CHARS, SofiaReply, handle_message
from app.sofia.engine import SofiaEngine

INBOX_LIMIT = 100
TRANSCRIPT_LIMIT = 300  # the latest messages of a conversation; older ones stay stored
PREVIEW_CHARS = 90
TEST_PREFIX = "host-"  # platform_user_id of a host's "Talk to Sofia" chat (platform "web")
PLATFORM_NAMES = {Platform.TELEGRAM: "Telegram", Platform.WHATSAPP: "WhatsApp", Platform.WEB: "Web"}


@dataclass(frozen=True)
class InboxEntry:
    id: int
    platform: Platform
    title: str  # the guest's name, or what identifies the chat when the guest is unknown
    guest_id: int | None
    status: ConversationStatus
    stage: ConversationStage
    intent: str | None
    agent_handoff: bool
    staff_name: str | None  # the colleague who has taken it over
    sentiment: float | None
    message_count: int
    waiting: int  # guest messages since a colleague last answered (threads with staff only)
    preview: str
    preview_sender: SenderType | None
    last_activity: dt.datetime
    is_test: bool  # a host's own "Talk to Sofia" chat

    @property
    def needs_human(self) -> bool:
        return self.agent_handoff and self.staff_name is None

    @property
    def taken_over(self) -> bool:
        return self.agent_handoff and self.staff_name is not None


@dataclass(frozen=True)
class InboxMessage:
    id: int
    sender: SenderType
    text: str
    sent_at: dt.datetime
    author: str | None  # the colleague's name on staff messages
    flagged: bool


@dataclass(frozen=True)
class ConversationDetail:
    entry: InboxEntry
    messages: tuple[InboxMessage, ...]


def test_user_id(user: UserSummary | None) -> str:
    """The per-host channel identity of the desktop test chat."""
    return f"{TEST_PREFIX}{user.id if user else 0}"


def list_conversations(
    db: Database, restaurant_id: int, *, limit: int = INBOX_LIMIT
) -> list[InboxEntry]:
    """The restaurant's conversations, the latest activity first."""
    activity = func.coalesce(ConversationThread.last_message_at, ConversationThread.created_at)
    with db.unit_of_work() as uow:
        threads = uow.session.scalars(
            select(ConversationThread)
            .where(ConversationThread.restaurant_id == restaurant_id)
            .options(selectinload(ConversationThread.guest))
            .order_by(activity.desc(), ConversationThread.id.desc())
            .limit(limit)
        ).all()
        last = _last_messages(uow.session, [t.id for t in threads])
        return [_entry(uow.session, t, last.get(t.id)) for t in threads]


def open_conversation(db: Database, conversation_id: int) -> ConversationDetail:
    """One conversation with its latest messages, oldest first."""
    with db.unit_of_work() as uow:
        thread = _thread(uow.session, conversation_id)
        rows = uow.session.scalars(
            select(Message)
            .where(Message.conversation_id == thread.id)
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(TRANSCRIPT_LIMIT)
        ).all()
        messages = tuple(_message(m) for m in reversed(rows))
        return ConversationDetail(_entry(uow.session, thread, rows[0] if rows else None), messages)


def take_over(
    db: Database, conversation_id: int, user: UserSummary | None, *, now: dt.datetime | None = None
) -> InboxEntry:
    """A colleague takes the thread: Sofia pauses there until it is handed back."""
    require(user, Permission.BOOK)
    now = now or dt.datetime.now(dt.UTC)
    with db.unit_of_work() as uow:
        thread = _thread(uow.session, conversation_id)
        _hold(thread, user, now)
        entry = _entry(uow.session, thread, _last_messages(uow.session, [thread.id]).get(thread.id))
        uow.changed("conversation", thread.id)
        uow.commit()
        return entry


def hand_back(
    db: Database, conversation_id: int, user: UserSummary | None, *, now: dt.datetime | None = None
) -> InboxEntry:
    """Sofia answers the thread again (from where the dialogue stood, frustration cooled)."""
    require(user, Permission.BOOK)
    with db.unit_of_work() as uow:
        thread = _thread(uow.session, conversation_id)
        context = copy.deepcopy(thread.context or {})
        context.pop(conversations.AGENT_KEY, None)
        context["frustration"] = 0
        context["no_progress"] = 0
        thread.context = context
        thread.agent_handoff = False
        if thread.status == ConversationStatus.PAUSED:
            thread.status = ConversationStatus.ACTIVE
        if thread.resolution_type == "handoff":
            thread.resolution_type = None
        entry = _entry(uow.session, thread, _last_messages(uow.session, [thread.id]).get(thread.id))
        uow.changed("conversation", thread.id)
        uow.commit()
        return entry


def post_staff_message(
    db: Database,
    conversation_id: int,
    text: str,
    user: UserSummary | None,
    *,
    now: dt.datetime | None = None,
) -> InboxMessage:
    """Store a colleague's reply (taking the thread over if nobody had); see the module notes
    for how it reaches the guest."""
    require(user, Permission.BOOK)
    body = fields.required_text(text, "message", max_length=STORED_MESSAGE_CHARS)
    now = now or dt.datetime.now(dt.UTC)
    with db.unit_of_work() as uow:
        thread = _thread(uow.session, conversation_id)
        if conversations.staff_holder(thread.context) is None:
            _hold(thread, user, now)
        author = user.name if user else "Staff"
        delivery = "local" if thread.platform == Platform.WEB else "pending"
        message = conversations.add_message(
            uow.session, thread, sender=SenderType.AGENT, text=body, at=now,
            sender_id=f"user:{user.id}" if user else "operator",
            meta={"author": author, "user_id": user.id if user else None, "delivery": delivery},
        )  # fmt: skip
        uow.session.flush()
        result = _message(message)
        uow.changed("conversation", thread.id)
        uow.commit()
        return result


def talk_as_guest(
    db: Database,
    restaurant_id: int,
    user: UserSummary | None,
    text: str,
    *,
    thread_id: str | None = None,
    now: dt.datetime | None = None,
    engine: SofiaEngine | None = None,
) -> SofiaReply:
    """The host's test chat: ``text`` goes to Sofia as a guest on the web platform would."""
    require(user, Permission.BOOK)
    return handle_message(db, restaurant_id, Platform.WEB.value, test_user_id(user), text,
                          thread_id=thread_id, now=now, engine=engine)  # fmt: skip


# -- helpers ---------------------------------------------------------------------------------


def _thread(session: Session, conversation_id: int) -> ConversationThread:
    thread = session.get(ConversationThread, fields.integer(conversation_id, "conversation id"))
    if thread is None:
        raise NotFound(f"There is no conversation with id {conversation_id}.")
    return thread


def _hold(thread: ConversationThread, user: UserSummary | None, now: dt.datetime) -> None:
    context = copy.deepcopy(thread.context or {})
    context[conversations.AGENT_KEY] = {
        "user_id": user.id if user else None, "name": user.name if user else "Staff",
        "since": now.astimezone(dt.UTC).isoformat(),
    }  # fmt: skip
    thread.context = context
    thread.agent_handoff = True
    thread.status = ConversationStatus.PAUSED
    thread.resolution_type = "handoff"


def _last_messages(session: Session, ids: list[int]) -> dict[int, Message]:
    if not ids:
        return {}
    ranked = (
        select(
            Message.id,
            func.row_number()
            .over(
                partition_by=Message.conversation_id,
                order_by=(Message.created_at.desc(), Message.id.desc()),
            )
            .label("rank"),
        )
        .where(Message.conversation_id.in_(ids))
        .subquery()
    )
    rows = session.scalars(
        select(Message).join(ranked, ranked.c.id == Message.id).where(ranked.c.rank == 1)
    ).all()
    return {m.conversation_id: m for m in rows}


def _waiting(session: Session, thread: ConversationThread) -> int:
    """Guest messages after the latest staff message (only asked of threads with staff)."""
    since = session.scalar(
        select(func.max(Message.created_at)).where(
            Message.conversation_id == thread.id, Message.sender_type == SenderType.AGENT
        )
    )
    query = select(func.count(Message.id)).where(
        Message.conversation_id == thread.id, Message.sender_type == SenderType.USER
    )
    if since is not None:
        query = query.where(Message.created_at > since)
    return int(session.scalar(query) or 0)


def _title(thread: ConversationThread, is_test: bool) -> str:
    if thread.guest is not None:
        return thread.guest.name
    slots = (thread.context or {}).get("slots") or {}
    if isinstance(slots, dict) and slots.get("name"):
        return str(slots["name"])
    if is_test:
        return "Test chat"
    return f"{PLATFORM_NAMES.get(thread.platform, 'Chat')} guest {thread.platform_user_id}"


def _entry(session: Session, thread: ConversationThread, last: Message | None) -> InboxEntry:
    is_test = thread.platform == Platform.WEB and thread.platform_user_id.startswith(TEST_PREFIX)
    preview = " ".join((last.message_text if last else "").split())
    if len(preview) > PREVIEW_CHARS:
        preview = preview[: PREVIEW_CHARS - 1].rstrip() + "…"
    return InboxEntry(
        id=thread.id, platform=thread.platform, title=_title(thread, is_test),
        guest_id=thread.guest_id, status=thread.status, stage=thread.stage, intent=thread.intent,
        agent_handoff=thread.agent_handoff, staff_name=conversations.staff_holder(thread.context),
        sentiment=thread.sentiment_score, message_count=thread.message_count,
        waiting=_waiting(session, thread) if thread.agent_handoff else 0,
        preview=preview, preview_sender=last.sender_type if last else None,
        last_activity=thread.last_message_at or thread.created_at, is_test=is_test,
    )  # fmt: skip


def _message(message: Message) -> InboxMessage:
    author = (message.meta or {}).get("author") if message.sender_type == SenderType.AGENT else None
    return InboxMessage(message.id, message.sender_type, message.message_text, message.created_at,
                        author, message.is_flagged)  # fmt: skip
