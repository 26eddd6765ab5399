"""What the channel worker itself says (commands, confirmations, apologies), English and Russian."""

from __future__ import annotations

import datetime as dt

_TEXTS = {
    "start": {
        "en": "Hello! I'm Sofia, the hostess of {restaurant}. Tell me the day, the time and how "
              "many guests, and I'll book you a table. You can share your contact so I have your "
              "phone number.",
        "ru": "Здравствуйте! Я София, хостес ресторана «{restaurant}». Напишите день, время и "
              "количество гостей — и я забронирую столик. Можно поделиться контактом, чтобы я "
              "знала ваш телефон.",
    },
    "help": {
        "en": "Write to me as you would to a hostess, e.g. \"a table for 2 on Friday at 19:00\". "
              "Commands: /start to begin, /cancel to cancel a booking, /help for this message.",
        "ru": "Пишите как хостес, например: «столик на двоих в пятницу в 19:00». "
              "Команды: /start — начать, /cancel — отменить бронь, /help — эта подсказка.",
    },
    "sorry": {
        "en": "Sorry, something went wrong on our side. Please try again in a moment or call us.",
        "ru": "Извините, у нас что-то пошло не так. Попробуйте ещё раз чуть позже или позвоните.",
    },
    "confirmed": {
        "en": "Booking {code} at {restaurant} is confirmed: {date} at {time}, {guests} guests.",
        "ru": "Ваша бронь {code} в «{restaurant}» подтверждена: {date} в {time}, гостей: {guests}.",
    },
    "changed": {
        "en": "Your booking {code} at {restaurant} has changed: {date} at {time}, {guests} guests.",
        "ru": "Ваша бронь {code} в «{restaurant}» изменена: {date} в {time}, гостей: {guests}.",
    },
    "cancelled": {
        "en": "Your booking {code} at {restaurant} for {date} at {time} is cancelled.",
        "ru": "Ваша бронь {code} в «{restaurant}» на {date} в {time} отменена.",
    },
    "reminder": {
        "en": "A reminder from {restaurant}: your table is booked for {date} at {time}, {guests} "
              "guests (booking {code}). We look forward to seeing you!",
        "ru": "Напоминание от «{restaurant}»: ваш столик забронирован на {date} в {time}, "
              "гостей: {guests} (бронь {code}). Ждём вас!",
    },
}  # fmt: skip


def say(key: str, language: str | None, **values: object) -> str:
    texts = _TEXTS[key]
    return texts.get(language or "en", texts["en"]).format(**values)


def language_of(code: object) -> str:
    """Telegram's ``language_code`` (or a stored conversation language) → "ru" or "en"."""
    return "ru" if isinstance(code, str) and code.lower().startswith(("ru", "uk", "be")) else "en"


def day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")
