"""What Sofia says, in English and Russian. ``say(lang, key, **values)`` fills one phrase."""

from __future__ import annotations

import datetime as dt
from typing import Any

_RU_WEEKDAYS = ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу",
                "воскресенье")  # fmt: skip
_RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")  # fmt: skip
_RU_WEEKDAYS_NOM = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")

PHRASES: dict[str, dict[str, str]] = {
    "greeting": {
        "en": "Hello! I'm Sofia, the hostess of {restaurant}. I can book a table, change or "
        "cancel a booking, or tell you our hours. How can I help?",
        "ru": "Здравствуйте! Я София, хостес {restaurant}. Я могу забронировать столик, "
        "изменить или отменить бронь, подсказать часы работы. Чем помочь?",
    },
    "allergy_noted": {
        "en": "I've noted the allergy ({items}) for the kitchen. ",
        "ru": "Я отметила аллергию ({items}) для кухни. ",
    },
    "anything_else": {"en": "Anything else I can do for you?",
                      "ru": "Чем ещё могу помочь?"},
    "welcome_back": {
        "en": "Welcome back, {name}! ",
        "ru": "Рада снова вас видеть, {name}! ",
    },
    "ask_date": {"en": "For which day would you like the table?",
                 "ru": "На какой день забронировать столик?"},
    "ask_time": {"en": "At what time?", "ru": "На какое время?"},
    "ask_party": {"en": "For how many guests?", "ru": "На сколько гостей?"},
    "ask_name": {"en": "May I have your name for the booking?",
                 "ru": "Как к вам обращаться? На чьё имя бронь?"},
    "ask_phone": {"en": "And a phone number to reach you?",
                  "ru": "Оставьте, пожалуйста, номер телефона для связи."},
    "available": {"en": "Good news: {when} for {party} is available. ",
                  "ru": "Отлично: на {when} на {party} есть свободный столик. "},
    "confirm": {
        "en": "Shall I book a table for {party} on {when} under the name {name} ({phone})? "
        "Please reply yes or no.",
        "ru": "Бронирую столик на {party} на {when} на имя {name} ({phone})? Ответьте «да» "
        "или «нет».",
    },
    "booked": {
        "en": "Done! Your table for {party} on {when} is booked. Confirmation code: {code}. "
        "See you soon!",
        "ru": "Готово! Столик на {party} на {when} забронирован. Код брони: {code}. "
        "Ждём вас!",
    },
    "what_change": {"en": "No problem. What would you like to change?",
                    "ru": "Хорошо. Что изменить?"},
    "unavailable": {
        "en": "Sorry, {when} for {party} is not available. I can offer: {options}. "
        "Which one suits you?",
        "ru": "К сожалению, на {when} на {party} мест нет. Могу предложить: {options}. "
        "Какой вариант подойдёт?",
    },
    "unavailable_none": {
        "en": "Sorry, {when} for {party} is not available ({reason}). Would another day or "
        "time work?",
        "ru": "К сожалению, на {when} на {party} мест нет ({reason}). Подойдёт другой день "
        "или время?",
    },
    "pick_alternative": {
        "en": "Please choose one of: {options} — or tell me another time.",
        "ru": "Выберите, пожалуйста, один из вариантов: {options} — или назовите другое время.",
    },
    "cancel_which": {
        "en": "Which booking should I cancel? Please send the confirmation code or the phone "
        "number it was made with.",
        "ru": "Какую бронь отменить? Пришлите код брони или номер телефона, на который она "
        "оформлена.",
    },
    "modify_which": {
        "en": "Which booking should I change? Please send the confirmation code or the phone "
        "number it was made with.",
        "ru": "Какую бронь изменить? Пришлите код брони или номер телефона, на который она "
        "оформлена.",
    },
    "cancel_confirm": {
        "en": "You have a booking {code} for {party} on {when}. Cancel it? Please reply yes "
        "or no.",
        "ru": "У вас бронь {code} на {party} на {when}. Отменить её? Ответьте «да» или «нет».",
    },
    "cancelled": {"en": "Your booking {code} is cancelled. Hope to see you another time!",
                  "ru": "Бронь {code} отменена. Будем рады видеть вас в другой раз!"},
    "cancel_kept": {"en": "All right, your booking {code} stays as it is.",
                    "ru": "Хорошо, бронь {code} остаётся в силе."},
    "modify_what": {
        "en": "Your booking {code} is for {party} on {when}. What should I change — the day, "
        "the time or the number of guests?",
        "ru": "Ваша бронь {code}: {party} на {when}. Что изменить — день, время или "
        "количество гостей?",
    },
    "modify_confirm": {"en": "Move booking {code} to {party} on {when}? Please reply yes or no.",
                       "ru": "Изменить бронь {code}: {party} на {when}? Ответьте «да» или «нет»."},
    "modified": {"en": "Done! Your booking is now for {party} on {when}. New code: {code}.",
                 "ru": "Готово! Теперь бронь на {party} на {when}. Новый код: {code}."},
    "failed": {"en": "Sorry, I couldn't do that: {reason}",
               "ru": "К сожалению, не получилось: {reason}"},
    "hours": {"en": "{name}: {hours}.{address}", "ru": "{name}: {hours}.{address}"},
    "address": {"en": " Address: {address}.", "ru": " Адрес: {address}."},
    "closed": {"en": "closed", "ru": "выходной"},
    "not_understood": {
        "en": "Sorry, I didn't quite get that. I can book a table, change or cancel a booking, "
        "or tell you our opening hours.",
        "ru": "Извините, я не совсем поняла. Я могу забронировать столик, изменить или "
        "отменить бронь, подсказать часы работы.",
    },
    "didnt_catch": {"en": "Sorry, I didn't catch that. ",
                    "ru": "Извините, не совсем поняла. "},
    "empty": {"en": "Sorry, I didn't receive any text. How can I help you?",
              "ru": "Извините, я не получила текста. Чем могу помочь?"},
    "too_long": {
        "en": "Sorry, that message is too long for me to read. Could you tell me briefly what "
        "you need?",
        "ru": "Извините, сообщение слишком длинное. Напишите, пожалуйста, коротко, что вам "
        "нужно.",
    },
    "handoff": {
        "en": "I'm passing our conversation to a colleague, who will reply here shortly.",
        "ru": "Передаю наш разговор коллеге — вам ответят здесь в ближайшее время.",
    },
    "with_agent": {"en": "A colleague has your conversation and will answer shortly.",
                   "ru": "Вашим вопросом занимается коллега, ответ будет в ближайшее время."},
    "bad_phone": {"en": "That phone number doesn't look right. Could you check it?",
                  "ru": "Номер телефона выглядит неверно. Проверьте, пожалуйста."},
    "thanks": {"en": "You're welcome! Anything else I can do?",
               "ru": "Пожалуйста! Могу ещё чем-то помочь?"},
}  # fmt: skip


def say(lang: str, key: str, **values: Any) -> str:
    phrase = PHRASES[key]
    return phrase.get(lang, phrase["en"]).format(**values)


def when(lang: str, day: dt.date, clock: dt.time) -> str:
    if lang == "ru":
        return (f"{_RU_WEEKDAYS[day.weekday()]}, {day.day} {_RU_MONTHS[day.month - 1]}, "
                f"в {clock:%H:%M}")  # fmt: skip
    return f"{day:%A} {day.day} {day:%B} at {clock:%H:%M}"


def party(lang: str, size: int) -> str:
    if lang == "ru":
        if size % 10 == 1 and size % 100 != 11:
            word = "персону"
        elif size % 10 in (2, 3, 4) and size % 100 not in (12, 13, 14):
            word = "персоны"
        else:
            word = "персон"
        return f"{size} {word}"
    return f"{size} guest" if size == 1 else f"{size} guests"


def option(lang: str, day: dt.date, clock: str, same_day: bool) -> str:
    if same_day:
        return clock
    if lang == "ru":
        return f"{_RU_WEEKDAYS_NOM[day.weekday()]} {day.day} {_RU_MONTHS[day.month - 1]} {clock}"
    return f"{day:%a} {day.day} {day:%b} {clock}"


def options(lang: str, items: list[str]) -> str:
    numbered = [f"{i}) {text}" for i, text in enumerate(items, 1)]
    return ", ".join(numbered)


def weekday(lang: str, day: dt.date) -> str:
    return _RU_WEEKDAYS_NOM[day.weekday()] if lang == "ru" else f"{day:%a}"
