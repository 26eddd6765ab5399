"""Sofia's chats: bookings made and cancelled over Telegram and WhatsApp, open and lost chats."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from app.db.enums import (
    ConversationStage,
    ConversationStatus,
    Platform,
    ReservationSource,
    ReservationStatus,
    SenderType,
)
from app.db.models import ConversationThread, Guest, Message, Reservation
from app.demo import dialogues
from app.demo.dialogues import Booking, Line
from app.demo.guests import GuestSeed

_UPCOMING = {ReservationStatus.CONFIRMED, ReservationStatus.REMINDED}


@dataclass(frozen=True)
class ThreadSpec:
    platform: Platform
    status: ConversationStatus
    stage: ConversationStage
    intent: str
    resolution: str | None
    sentiment: float
    rating: int | None = None
    handoff: bool = False


class ConversationBuilder:
    def __init__(
        self,
        rng: random.Random,
        restaurant_id: int,
        seeds: list[GuestSeed],
        reservations: list[Reservation],
        now: dt.datetime,
    ) -> None:
        self.rng = rng
        self.restaurant_id = restaurant_id
        self.seeds = seeds
        self.language = {id(s.guest): s.language for s in seeds}
        self.rows = sorted(reservations, key=lambda r: (r.starts_at, r.confirmation_code))
        self.now = now
        self.threads: list[ConversationThread] = []

    def build(self) -> list[ConversationThread]:
        self._booking_thread(ReservationSource.TELEGRAM, "ru", dialogues.booked_ru)
        self._booking_thread(ReservationSource.WHATSAPP, "en", dialogues.booked_en)
        self._cancel_thread()
        ago = self._ago
        en_guest = self._seed(lambda s: s.language == "en" and s.prior_visits > 0)
        self._add(
            ThreadSpec(Platform.WHATSAPP, ConversationStatus.ACTIVE,
                       ConversationStage.ALTERNATIVES, "book", None, -0.1),
            en_guest.guest if en_guest else None, "en", ago(minutes=50),
            dialogues.alternatives_en(
                Booking("", self._next_weekday(5), dt.time(20, 0), 6)
            ),
            {"date": self._next_weekday(5).isoformat(), "time": "20:00", "party_size": 6,
             "alternatives": ["19:00", "21:45"]},
        )  # fmt: skip
        self._add(
            ThreadSpec(Platform.TELEGRAM, ConversationStatus.ACTIVE,
                       ConversationStage.COLLECTING, "book", None, 0.3),
            None, "ru", ago(minutes=20), dialogues.collecting_ru(),
            {"date": (self.now.date() + dt.timedelta(days=1)).isoformat(), "party_size": 3},
        )  # fmt: skip
        self._add(
            ThreadSpec(Platform.TELEGRAM, ConversationStatus.ABANDONED,
                       ConversationStage.GREETING, "other", "abandoned", 0.0),
            None, "ru", ago(days=3, minutes=140), dialogues.abandoned_ru(), {},
        )  # fmt: skip
        vip = self._seed(lambda s: s.language == "ru" and s.prior_visits >= 11)
        self._add(
            ThreadSpec(Platform.WHATSAPP, ConversationStatus.PAUSED,
                       ConversationStage.COLLECTING, "info", "human_handoff", 0.4,
                       handoff=True),
            vip.guest if vip else None, "ru", ago(days=2, minutes=300),
            dialogues.handoff_ru(vip.guest.name if vip else "Гость"),
            {"party_size": 30, "event": "corporate", "assigned_to": "manager"},
        )  # fmt: skip
        self._add(
            ThreadSpec(Platform.TELEGRAM, ConversationStatus.COMPLETED,
                       ConversationStage.COLLECTING, "info", "info_provided", 0.6, 5),
            None, "en", ago(days=5, minutes=600), dialogues.info_en(), {},
        )  # fmt: skip
        banned = self._seed(lambda s: s.guest.blacklisted)
        self._add(
            ThreadSpec(Platform.WHATSAPP, ConversationStatus.COMPLETED,
                       ConversationStage.GREETING, "book", "refused_blacklisted", -0.7,
                       handoff=True),
            banned.guest if banned else None, "ru", ago(days=6, minutes=200),
            dialogues.refused_ru(), {"party_size": 8, "blocked": True},
        )  # fmt: skip
        return self.threads

    # -- threads tied to real reservations --------------------------------------------------

    def _booking_thread(
        self, source: ReservationSource, language: str, script: Callable[[Booking], list[Line]]
    ) -> None:
        candidates = [
            r for r in self.rows
            if r.source == source and r.status in _UPCOMING and r.starts_at > self.now
            and self.language[id(r.guest)] == language and r.conversation is None
        ]  # fmt: skip
        if not candidates:
            return
        row = self.rng.choice(candidates)
        booking = Booking(row.guest.name, row.date, row.time, row.guests, row.confirmation_code)
        spec = ThreadSpec(
            Platform(source.value), ConversationStatus.COMPLETED, ConversationStage.CONFIRMING,
            "book", "booking_created", 0.75, 5,
        )  # fmt: skip
        start = row.created_at - dt.timedelta(seconds=50)
        context = {"date": row.date.isoformat(), "time": f"{row.time:%H:%M}",
                   "party_size": row.guests, "name": row.guest.name, "phone": row.guest.phone,
                   "confirmation_code": row.confirmation_code}  # fmt: skip
        thread = self._add(spec, row.guest, language, start, script(booking), context)
        row.conversation = thread

    def _cancel_thread(self) -> None:
        candidates = [
            r for r in self.rows
            if r.source == ReservationSource.TELEGRAM and r.status == ReservationStatus.CANCELLED
            and self.language[id(r.guest)] == "ru" and r.conversation is None
        ]  # fmt: skip
        if not candidates:
            return
        row = self.rng.choice(candidates)
        cancelled_at = row.updated_at  # the cancellation was its last change
        booking = Booking(row.guest.name, row.date, row.time, row.guests, row.confirmation_code)
        spec = ThreadSpec(
            Platform.TELEGRAM, ConversationStatus.COMPLETED, ConversationStage.CONFIRMING,
            "cancel", "booking_cancelled", 0.1,
        )  # fmt: skip
        start = cancelled_at - dt.timedelta(seconds=45)
        thread = self._add(spec, row.guest, "ru", start, dialogues.cancelled_ru(booking),
                           {"confirmation_code": row.confirmation_code})  # fmt: skip
        row.conversation = thread

    # -- helpers ------------------------------------------------------------------------------

    def _ago(self, *, days: int = 0, minutes: int = 0) -> dt.datetime:
        return (self.now - dt.timedelta(days=days, minutes=minutes)).replace(microsecond=0)

    def _next_weekday(self, weekday: int) -> dt.date:
        today = self.now.date()
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)

    def _seed(self, predicate: Callable[[GuestSeed], bool]) -> GuestSeed | None:
        matches = [s for s in self.seeds if predicate(s)]
        return self.rng.choice(matches) if matches else None

    def _add(
        self,
        spec: ThreadSpec,
        guest: Guest | None,
        language: str,
        start: dt.datetime,
        lines: list[Line],
        context: dict[str, object],
    ) -> ConversationThread:
        rng = self.rng
        if spec.platform == Platform.WHATSAPP and guest is not None:
            user_id = guest.phone.lstrip("+")
        else:
            user_id = str(rng.randint(150_000_000, 7_900_000_000))
        thread = ConversationThread(
            restaurant_id=self.restaurant_id,
            guest=guest,
            platform=spec.platform,
            platform_user_id=user_id,
            thread_id=user_id if spec.platform == Platform.TELEGRAM else f"wa:{user_id}",
            status=spec.status,
            stage=spec.stage,
            intent=spec.intent,
            context={**context, "language": language},
            sentiment_score=spec.sentiment,
            satisfaction_rating=spec.rating,
            resolution_type=spec.resolution,
            agent_handoff=spec.handoff,
            created_at=start,
        )
        at = start
        for line in lines:
            at = min(at + dt.timedelta(seconds=line.after_seconds), self.now)
            thread.messages.append(self._message(line, user_id, language, at))
        thread.message_count = len(lines)
        thread.last_message_at = at
        thread.updated_at = at
        if guest is not None:
            guest.communication_history = [
                *guest.communication_history,
                {"platform": spec.platform.value, "at": start.isoformat(),
                 "intent": spec.intent, "outcome": spec.resolution or spec.status.value},
            ]  # fmt: skip
        self.threads.append(thread)
        return thread

    def _message(self, line: Line, user_id: str, language: str, at: dt.datetime) -> Message:
        rng = self.rng
        message = Message(
            sender_type=line.sender,
            message_text=line.text,
            language=language,
            created_at=at,
            entities_extracted=dict(line.entities),
        )
        if line.sender == SenderType.USER:
            message.sender_id = user_id
            message.intent_detected = line.intent
            message.sentiment_score = round(rng.uniform(-0.2, 0.8), 2)
        elif line.sender == SenderType.AI:
            processing = rng.randint(700, 2600)
            message.sender_id = "sofia"
            message.ai_confidence = round(rng.uniform(0.86, 0.99), 2)
            message.processing_time = processing
            message.response_time = processing + rng.randint(80, 400)
            message.meta = {"model": "gpt-4o-2024-08-06", "engine": "openai"}
        else:
            message.sender_id = "manager@tobeout.demo"
        return message
