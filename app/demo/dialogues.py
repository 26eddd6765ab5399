"""Scripted chats between guests and Sofia, filled in with a real booking's details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.db.enums import SenderType

U, AI, AGENT = SenderType.USER, SenderType.AI, SenderType.AGENT
_DAYS_RU = ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье")
_MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")  # fmt: skip
_DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class Line:
    sender: SenderType
    text: str
    after_seconds: int  # since the previous message
    intent: str | None = None
    entities: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Booking:
    """What a chat talks about: a real reservation's details (or a wish)."""

    name: str
    day: dt.date
    time: dt.time
    party: int
    code: str = ""


def day_ru(day: dt.date) -> str:
    return f"{_DAYS_RU[day.weekday()]}, {day.day} {_MONTHS_RU[day.month - 1]}"


def day_en(day: dt.date) -> str:
    return f"{_DAYS_EN[day.weekday()]}, {day.day} {_MONTHS_EN[day.month - 1]}"


def _entities(b: Booking) -> dict[str, Any]:
    return {"date": b.day.isoformat(), "time": f"{b.time:%H:%M}", "party_size": b.party}


def booked_ru(b: Booking) -> list[Line]:
    first = b.name.split()[0]
    return [
        Line(U, f"Здравствуйте! Хочу забронировать столик на {day_ru(b.day)}, "
                f"{b.party} чел., к {b.time:%H:%M}", 0, "book", _entities(b)),
        Line(AI, f"Добрый день! С радостью помогу. На {day_ru(b.day)} в {b.time:%H:%M} "
                 f"есть свободный столик (гостей: {b.party}). На чьё имя оформить бронь?", 4),
        Line(U, b.name, 40, "book", {"name": b.name}),
        Line(AI, f"Спасибо, {first}! Подтверждаю бронь на {day_ru(b.day)}, {b.time:%H:%M}, "
                 f"гостей: {b.party}. Код подтверждения: {b.code}. Напомню о визите за день.", 5),
        Line(U, "Отлично, спасибо!", 30, "other"),
        Line(AI, "Будем рады видеть вас в Tverskaya Brasserie! 🥂", 3),
    ]  # fmt: skip


def booked_en(b: Booking) -> list[Line]:
    first = b.name.split()[0]
    return [
        Line(U, f"Hi! Could I book a table for {b.party} on {day_en(b.day)} "
                f"around {b.time:%H:%M}?", 0, "book", _entities(b)),
        Line(AI, f"Hello! Yes, {b.time:%H:%M} on {day_en(b.day)} works for a party of "
                 f"{b.party}. May I have the name for the booking?", 4),
        Line(U, f"{b.name}. We're celebrating, so somewhere nice please :)", 55, "book",
             {"name": b.name, "occasion": "celebration"}),
        Line(AI, f"Wonderful, {first}! You're confirmed for {day_en(b.day)} at "
                 f"{b.time:%H:%M}, {b.party} guests. Your confirmation code is {b.code}. "
                 "I've noted the celebration for the team.", 5),
        Line(U, "Perfect, thank you!", 25, "other"),
    ]  # fmt: skip


def cancelled_ru(b: Booking) -> list[Line]:
    return [
        Line(U, f"Добрый вечер. Нужно отменить бронь {b.code}, планы поменялись", 0, "cancel",
             {"confirmation_code": b.code}),
        Line(AI, f"Нашла вашу бронь на {day_ru(b.day)}, {b.time:%H:%M}, гостей: {b.party}. "
                 "Отменить её?", 4),
        Line(U, "Да, отмените пожалуйста", 35, "cancel"),
        Line(AI, "Бронь отменена. Жаль, что не получится, будем ждать вас в другой раз!", 3),
    ]  # fmt: skip


def alternatives_en(b: Booking) -> list[Line]:
    return [
        Line(U, f"Hello, table for {b.party} this {_DAYS_EN[b.day.weekday()]} at "
                f"{b.time:%H:%M}?", 0, "book", _entities(b)),
        Line(AI, f"Hi! {b.time:%H:%M} is fully booked for {b.party} guests, I'm sorry. "
                 "I can offer 19:00 or 21:45 the same evening, or the same time on Sunday. "
                 "Would any of those work?", 6),
        Line(U, "Hmm, 21:45 is a bit late with kids. Let me check with my wife", 90, "book"),
    ]  # fmt: skip


def collecting_ru() -> list[Line]:
    return [
        Line(U, "Добрый день! Можно столик на завтра вечером?", 0, "book", {"date": "tomorrow"}),
        Line(AI, "Здравствуйте! Конечно. На сколько гостей и к какому времени?", 4),
        Line(U, "Нас будет трое", 70, "book", {"party_size": 3}),
        Line(AI, "Отлично, трое гостей. Какое время вам удобно? Вечером свободно с 18:00 "
                 "до 22:30.", 4),
    ]  # fmt: skip


def abandoned_ru() -> list[Line]:
    return [
        Line(U, "Привет", 0, "other"),
        Line(AI, "Здравствуйте! Я Софья, помощница Tverskaya Brasserie. Помочь забронировать "
                 "столик или ответить на вопрос?", 3),
    ]  # fmt: skip


def handoff_ru(name: str) -> list[Line]:
    return [
        Line(U, "Добрый день! Хотим провести корпоратив на 30 человек в декабре, закрыть "
                "весь зал. Это возможно?", 0, "info", {"party_size": 30}),
        Line(AI, "Здравствуйте! Для мероприятий больше 10 гостей меню и условия согласует "
                 "менеджер. Передаю ваш запрос Марине, она свяжется с вами сегодня.", 5),
        Line(AGENT, f"{name.split()[0]}, добрый день! Это Марина, менеджер ресторана. "
                    "Пришлю вам банкетное меню и свободные даты до вечера.", 1800),
        Line(U, "Спасибо, ждём", 300, "other"),
    ]  # fmt: skip


def info_en() -> list[Line]:
    return [
        Line(U, "Are you open late on Friday? And is the terrace heated?", 0, "info"),
        Line(AI, "On Fridays and Saturdays dinner runs 18:00-01:00, last seating at midnight. "
                 "Yes, the terrace is a heated veranda, open all year.", 4),
        Line(U, "Great, thanks! Will book later", 60, "other"),
        Line(AI, "You're welcome! Just message me when you're ready.", 3),
    ]  # fmt: skip


def refused_ru() -> list[Line]:
    return [
        Line(U, "Стол на 8 человек в субботу на 21:00", 0, "book", {"party_size": 8}),
        Line(AI, "Спасибо за сообщение. К сожалению, я не могу оформить эту бронь онлайн. "
                 "Передала ваш запрос менеджеру, он свяжется с вами.", 5),
        Line(U, "В смысле?? Это что за отношение", 40, "other"),
    ]  # fmt: skip
