"""What Sofia says, in English and Russian. ``say(lang, key, style, **values)`` fills one phrase.

``PHRASES`` is the default wording. ``STYLED`` words the same content for the guest's
conversation style (app/sofia/profiling.py): formal (full polite sentences, "Would you like…",
"Не могли бы Вы…"), casual (warmer and shorter, "Great!") and brief (the minimum: "Fri 27 Nov
19:00, 2 guests — free. Name?"). A phrase without a variant for the style uses the default.
"""

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
    "confirm_rest": {"en": "{name}, {phone}. Book? Yes/no.",
                     "ru": "{name}, {phone}. Бронируем? Да/нет."},
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
    "returning": {
        "en": "Welcome back, {name}! A table for {party} at {time} as usual?",
        "ru": "С возвращением, {name}! Как обычно — столик на {party} в {time}?",
    },
    # Abusive, unsafe and manipulative messages: calm, never mirrored (app/sofia/abuse.py).
    "calm": {
        "en": "I'm here to help, and I'd like to keep our conversation respectful. ",
        "ru": "Я здесь, чтобы помочь, и давайте общаться уважительно. ",
    },
    "calm_next": {"en": "How can I help with your table?",
                  "ru": "Чем могу помочь со столиком?"},
    "unsafe": {
        "en": "I can't continue a conversation like this. I'm passing it to a colleague.",
        "ru": "Я не могу продолжать разговор в таком тоне. Передаю его коллеге.",
    },
    "injection": {
        "en": "I can only help with your own bookings: book a table, change or cancel your "
        "reservation, or tell you our opening hours. ",
        "ru": "Я могу помочь только с вашими собственными бронями: забронировать столик, "
        "изменить или отменить бронь, подсказать часы работы. ",
    },
}  # fmt: skip

STYLED: dict[str, dict[str, dict[str, str]]] = {
    "formal": {
        "greeting": {
            "en": "Good day! I'm Sofia, the hostess of {restaurant}. I would be glad to book a "
            "table for you, change or cancel a booking, or tell you our opening hours. How may "
            "I help you?",
            "ru": "Здравствуйте! Меня зовут София, я хостес {restaurant}. С радостью забронирую "
            "для Вас столик, изменю или отменю бронь, подскажу часы работы. Чем могу помочь?",
        },
        "ask_date": {"en": "For which day would you like the table?",
                     "ru": "Не могли бы Вы подсказать, на какой день забронировать столик?"},
        "ask_time": {"en": "At what time would you like the table?",
                     "ru": "На какое время Вам было бы удобно?"},
        "ask_party": {"en": "For how many guests would you like the table?",
                      "ru": "Не могли бы Вы уточнить, на сколько гостей?"},
        "ask_name": {"en": "May I have your name for the booking, please?",
                     "ru": "Как к Вам обращаться? На чьё имя оформить бронь?"},
        "ask_phone": {"en": "Would you kindly leave a phone number so we can reach you?",
                      "ru": "Не могли бы Вы оставить номер телефона для связи?"},
        "thanks": {"en": "You are most welcome! Is there anything else I can do for you?",
                   "ru": "Всегда рада помочь! Могу ли я ещё чем-то быть полезна?"},
        "anything_else": {"en": "Is there anything else I can do for you?",
                          "ru": "Могу ли я ещё чем-то Вам помочь?"},
        "what_change": {"en": "Certainly. What would you like to change?",
                        "ru": "Конечно. Что бы Вы хотели изменить?"},
        "returning": {
            "en": "Welcome back, {name}! Would you like a table for {party} at {time}, as usual?",
            "ru": "Рада снова Вас видеть, {name}! Не забронировать ли, как обычно, столик на "
            "{party} в {time}?",
        },
    },
    "casual": {
        "greeting": {
            "en": "Hi! I'm Sofia from {restaurant} 😊 I can book a table, change or cancel one, "
            "or tell you our hours. What do you need?",
            "ru": "Привет! Я София из {restaurant} 😊 Могу забронировать столик, поменять или "
            "отменить бронь, подсказать часы работы. Что нужно?",
        },
        "ask_date": {"en": "Sure! Which day?", "ru": "Конечно! На какой день?"},
        "ask_time": {"en": "What time?", "ru": "Во сколько?"},
        "ask_party": {"en": "How many of you?", "ru": "Сколько вас будет?"},
        "ask_name": {"en": "What name should I put it under?", "ru": "На чьё имя записать?"},
        "ask_phone": {"en": "And your phone number?", "ru": "И номер телефона?"},
        "available": {"en": "Great! {when} for {party} is free. ",
                      "ru": "Отлично! На {when} на {party} есть столик. "},
        "confirm": {
            "en": "Table for {party} on {when} for {name} ({phone}) — shall I book it? Yes or no?",
            "ru": "Столик на {party} на {when} на имя {name} ({phone}) — бронирую? Да или нет?",
        },
        "booked": {"en": "Done! 🎉 Table for {party} on {when}. Your code: {code}. See you!",
                   "ru": "Готово! 🎉 Столик на {party} на {when}. Код: {code}. До встречи!"},
        "unavailable": {"en": "Oh no, {when} for {party} is taken. How about: {options}?",
                        "ru": "Ой, на {when} на {party} всё занято. Может, так: {options}?"},
        "cancel_confirm": {"en": "Found it: {code}, {party} on {when}. Cancel it? Yes or no?",
                           "ru": "Нашла: {code}, {party} на {when}. Отменить? Да или нет?"},
        "cancelled": {"en": "Done, {code} is cancelled. Hope to see you soon!",
                      "ru": "Готово, бронь {code} отменена. Надеюсь, ещё увидимся!"},
        "modified": {"en": "Done! Now it's {party} on {when}. New code: {code}.",
                     "ru": "Готово! Теперь {party} на {when}. Новый код: {code}."},
        "thanks": {"en": "Anytime! 😊 Anything else?", "ru": "Всегда пожалуйста! 😊 Что-то ещё?"},
        "anything_else": {"en": "Anything else?", "ru": "Что-нибудь ещё?"},
        "what_change": {"en": "Sure, what should I change?", "ru": "Без проблем, что поменять?"},
        "not_understood": {
            "en": "Oops, didn't get that 🙈 I can book, change or cancel a table, or tell you "
            "our hours.",
            "ru": "Ой, не поняла 🙈 Могу забронировать, поменять или отменить столик, "
            "подсказать часы работы.",
        },
        "handoff": {"en": "Let me get a colleague — they'll reply here soon!",
                    "ru": "Позову коллегу — вам скоро ответят здесь!"},
        "returning": {"en": "Hey {name}, great to see you again! The usual — {party} at {time}?",
                      "ru": "Привет, {name}! Как обычно — {party} в {time}?"},
    },
    "brief": {
        "greeting": {"en": "Sofia, {restaurant}. Book, change, cancel or hours?",
                     "ru": "София, {restaurant}. Бронь, изменение, отмена или часы работы?"},
        "ask_date": {"en": "Date?", "ru": "Дата?"},
        "ask_time": {"en": "Time?", "ru": "Время?"},
        "ask_party": {"en": "Guests?", "ru": "Сколько гостей?"},
        "ask_name": {"en": "Name?", "ru": "Имя?"},
        "ask_phone": {"en": "Phone?", "ru": "Телефон?"},
        "available": {"en": "{when}, {party} — free. ", "ru": "{when}, {party} — свободно. "},
        "confirm": {"en": "{when}, {party}, {name}, {phone}. Book? Yes/no.",
                    "ru": "{when}, {party}, {name}, {phone}. Бронируем? Да/нет."},
        "booked": {"en": "Booked: {when}, {party}. Code {code}.",
                   "ru": "Забронировано: {when}, {party}. Код {code}."},
        "unavailable": {"en": "{when}, {party} — taken. Options: {options}. Which?",
                        "ru": "{when}, {party} — занято. Варианты: {options}. Какой?"},
        "unavailable_none": {"en": "{when}, {party} — taken ({reason}). Another day or time?",
                             "ru": "{when}, {party} — занято ({reason}). Другой день или время?"},
        "pick_alternative": {"en": "Pick: {options} — or another time.",
                             "ru": "Выберите: {options} — или другое время."},
        "cancel_which": {"en": "Code or phone of the booking?", "ru": "Код брони или телефон?"},
        "modify_which": {"en": "Code or phone of the booking?", "ru": "Код брони или телефон?"},
        "cancel_confirm": {"en": "Cancel {code}: {party}, {when}? Yes/no.",
                           "ru": "Отменить {code}: {party}, {when}? Да/нет."},
        "cancelled": {"en": "{code} cancelled.", "ru": "Бронь {code} отменена."},
        "cancel_kept": {"en": "{code} kept.", "ru": "Бронь {code} сохранена."},
        "modify_what": {"en": "{code}: {party}, {when}. Change day, time or guests?",
                        "ru": "{code}: {party}, {when}. Изменить день, время или гостей?"},
        "modify_confirm": {"en": "Change {code} to {party}, {when}? Yes/no.",
                           "ru": "Изменить {code}: {party}, {when}? Да/нет."},
        "modified": {"en": "Changed: {party}, {when}. New code {code}.",
                     "ru": "Изменено: {party}, {when}. Новый код {code}."},
        "not_understood": {"en": "Didn't get that. Book, change, cancel or hours?",
                           "ru": "Не поняла. Бронь, изменение, отмена или часы работы?"},
        "didnt_catch": {"en": "Didn't catch that. ", "ru": "Не поняла. "},
        "thanks": {"en": "You're welcome.", "ru": "Пожалуйста."},
        "anything_else": {"en": "Anything else?", "ru": "Что-то ещё?"},
        "what_change": {"en": "What to change?", "ru": "Что изменить?"},
        "handoff": {"en": "Passing you to a colleague; they'll reply here.",
                    "ru": "Передаю коллеге, ответят здесь."},
        "returning": {"en": "Welcome back, {name}. Usual: {party}, {time}?",
                      "ru": "С возвращением, {name}. Как обычно: {party}, {time}?"},
    },
}  # fmt: skip


def say(lang: str, key: str, style: str | None = None, **values: Any) -> str:
    """Phrase ``key`` in ``lang``, worded for ``style`` when it has a variant."""
    styled = STYLED.get(style or "", {}).get(key) or {}
    phrase = PHRASES[key]
    template = styled.get(lang) or phrase.get(lang) or phrase["en"]
    return template.format(**values)


def when(lang: str, day: dt.date, clock: dt.time, style: str | None = None) -> str:
    if style == "brief":
        if lang == "ru":
            short = _RU_WEEKDAYS_NOM[day.weekday()]
            return f"{short} {day.day} {_RU_MONTHS[day.month - 1]} {clock:%H:%M}"
        return f"{day:%a} {day.day} {day:%b} {clock:%H:%M}"
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
