"""Free-text stock for demo reservations, in the guest's language."""

from __future__ import annotations

from app.db.enums import OccasionType

REQUESTS: dict[str, tuple[str, ...]] = {
    "ru": (
        "Столик у окна, если возможно",
        "Нужен детский стульчик",
        "Тихий столик, деловая встреча",
        "Будем с коляской",
        "Пожалуйста, подальше от кухни",
        "Гость на инвалидной коляске, нужен удобный проход",
        "Хотим на веранду",
        "Можно ли принести своё вино? Готовы оплатить пробковый сбор",
        "Опоздаем минут на 15",
    ),
    "en": (
        "Window table if possible",
        "High chair for a toddler, please",
        "Quiet table, business meeting",
        "We'd love a table on the terrace",
        "Wheelchair user in our party",
        "Could you seat us away from the door?",
        "Might be 10-15 minutes late",
    ),
}
OCCASION_REQUESTS: dict[OccasionType, dict[str, str]] = {
    OccasionType.BIRTHDAY: {
        "ru": "День рождения: свеча в десерт и поздравление от официанта",
        "en": "Birthday: a candle in the dessert, please",
    },
    OccasionType.ANNIVERSARY: {
        "ru": "Годовщина свадьбы, бокал шампанского к приходу",
        "en": "Our anniversary: champagne on arrival",
    },
    OccasionType.DATE: {
        "ru": "Романтический ужин, столик у камина или у окна",
        "en": "Romantic dinner, fireplace or window table",
    },
    OccasionType.BUSINESS: {
        "ru": "Бизнес-ланч, нужен счёт на юрлицо",
        "en": "Business lunch, company invoice needed",
    },
}
ALLERGY_NOTE = {"ru": "Аллергия: {items}", "en": "Allergy in the party: {items}"}

CANCELLATION_REASONS = (
    "Guest unwell",
    "Plans changed",
    "Flight delayed",
    "Booked another restaurant",
    "Weather",
    "Duplicate booking",
    "Business meeting moved",
    "Childcare fell through",
)
NO_SHOW_REASONS = (
    "No answer on two calls",
    "Phone switched off",
    "Guest said later they forgot",
    "Stuck in traffic, did not come",
)
FEEDBACK: dict[int, dict[str, tuple[str, ...]]] = {
    5: {
        "ru": ("Всё было идеально, особенно устрицы!", "Прекрасный сервис, вернёмся."),
        "en": ("Wonderful evening, the steak frites were perfect.", "Lovely staff, great wine."),
    },
    4: {
        "ru": ("Вкусно, но немного шумно.", "Хорошо, десерт ждали долго."),
        "en": ("Very good food, a little loud on Friday.", "Great, but the bill took a while."),
    },
    3: {
        "ru": ("Средне: горячее остыло.",),
        "en": ("Okay. Our table was close to the kitchen door.",),
    },
    2: {
        "ru": ("Долго ждали столик, хотя была бронь.",),
        "en": ("Waited 25 minutes to be seated.",),
    },
    1: {"ru": ("Перепутали заказ, никто не извинился.",), "en": ("Wrong order and no apology.",)},
}
