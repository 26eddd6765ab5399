"""About three hundred guest profiles: regulars, VIPs, first-timers, one banned guest."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from app.db.enums import ConversationStyle, GuestSource, ReservationStatus, VipTier
from app.db.models import Guest, Reservation
from app.demo import names
from app.demo.profile import VIP_THRESHOLDS
from app.domain.phones import normalize_phone
from app.errors import InvalidInput

GUEST_COUNT = 300
# National-number lengths, so random digits make a plausible (then validated) mobile number.
_NATIONAL_LENGTH = {
    "+7": 10, "+44": 10, "+1": 10, "+49": 11, "+33": 9, "+39": 10, "+86": 11, "+90": 10,
    "+81": 10, "+34": 9, "+41": 9, "+971": 9, "+46": 9, "+31": 9, "+972": 9, "+91": 10,
}  # fmt: skip
# Planned tiers by profile index: a handful of VIPs, as in any real guest book.
_PLATINUM, _GOLD, _SILVER = 4, 9, 18

ALLERGIES = (
    ["nuts"], ["peanuts"], ["shellfish"], ["gluten"], ["lactose"], ["fish"], ["sesame"],
    ["nuts", "sesame"], ["eggs"], ["shellfish", "fish"],
)  # fmt: skip
SEATING = ("window", "booth", "terrace", "quiet", "bar", "fireplace")
DIETARY = ("vegetarian", "vegan", "pescatarian", "gluten-free", "halal", "no pork")
DRINKS = ("sparkling water", "Chablis", "champagne", "espresso after dinner", "no ice",
          "non-alcoholic only", "Negroni", "red Burgundy")  # fmt: skip
TAGS = ("regular", "wine lover", "oysters", "business lunch", "family", "celebrations",
        "late diner", "influencer", "corporate account", "press")  # fmt: skip
VIP_NOTES = (
    "Prefers table W3; always starts with a dozen oysters.",
    "Orders the seafood plateau; likes the sommelier to suggest a white Burgundy.",
    "Hosts business lunches; send the invoice to the company, not the guest.",
    "Comes with family on Sundays; high chair for the grandson.",
    "Knows the chef personally; a compliment from the kitchen is expected.",
)
_SOURCES = (
    [GuestSource.PHONE, GuestSource.WEB, GuestSource.TELEGRAM, GuestSource.WHATSAPP,
     GuestSource.AI_ASSISTANT, GuestSource.REFERRAL, GuestSource.WALK_IN],
    [26, 20, 16, 12, 8, 8, 10],
)  # fmt: skip


@dataclass
class GuestSeed:
    """A guest row plus what the generator needs to know about them."""

    guest: Guest
    language: str
    weight: float  # how often they book, relative to a first-timer
    prior_visits: int
    prior_spent: Decimal
    prior_last_visit: dt.date | None
    first_seen: dt.datetime
    prior_satisfaction: float
    reservations: list[Reservation] = field(default_factory=list)


def _phone(rng: random.Random, code: str, prefix: str, taken: set[str]) -> str:
    for _ in range(200):
        rest = _NATIONAL_LENGTH[code] - len(prefix)
        raw = code + prefix + "".join(str(rng.randrange(10)) for _ in range(rest))
        try:
            phone = normalize_phone(raw)
        except InvalidInput:
            continue
        if phone not in taken:
            taken.add(phone)
            return phone
    raise RuntimeError(f"could not make a valid {code} number")  # only a broken table above


def _russian(rng: random.Random, used: set[str]) -> tuple[str, str, str]:
    """(display name, first name, surname), avoiding repeats of a full name."""
    while True:
        male = rng.random() < 0.5
        first = rng.choice(names.MALE_FIRST if male else names.FEMALE_FIRST)
        surname = rng.choice(names.SURNAMES)
        surname = surname if male else names.female_surname(surname)
        full = f"{first} {surname}"
        if full not in used:
            used.add(full)
            return full, first, surname


def _email(rng: random.Random, first: str, last: str, domain: str) -> str:
    f, s = names.transliterate(first), names.transliterate(last)
    pattern = rng.randrange(4)
    local = (f"{f}.{s}", f"{f[0]}.{s}", f"{s}{rng.randrange(70, 100)}", f"{f}{s[0]}")[pattern]
    return f"{local}@{domain}"


def _prior_visits(rng: random.Random, index: int) -> int:
    if index < _PLATINUM:
        return rng.randint(25, 34)
    if index < _PLATINUM + _GOLD:
        return rng.randint(12, 16)
    if index < _PLATINUM + _GOLD + _SILVER:
        return rng.randint(5, 7)
    return rng.choices([0, 1, 2, 3], [62, 24, 10, 4])[0]


def _preferences(rng: random.Random, language: str, prior: int) -> dict[str, object]:
    prefs: dict[str, object] = {"language": language}
    if rng.random() < 0.35:
        prefs["seating"] = rng.sample(SEATING, rng.randint(1, 2))
    if rng.random() < 0.12:
        prefs["dietary"] = [rng.choice(DIETARY)]
    if rng.random() < 0.2 or prior >= 5:
        prefs["drinks"] = rng.sample(DRINKS, rng.randint(1, 2))
    tags = ["regular"] if prior >= 5 else []
    if rng.random() < 0.25:
        tags.append(rng.choice(TAGS[1:]))
    if tags:
        prefs["tags"] = tags
    if rng.random() < 0.25:
        prefs["birthday"] = f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if rng.random() < 0.08:
        prefs["anniversary"] = f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return prefs


def build_guests(rng: random.Random, restaurant_id: int, now: dt.datetime) -> list[GuestSeed]:
    today = now.date()
    taken: set[str] = set()
    used: set[str] = set()
    seeds: list[GuestSeed] = []
    international = list(names.INTERNATIONAL)
    for index in range(GUEST_COUNT):
        # Foreign visitors are spread through the list rather than bunched at the end.
        foreign = index % 10 == 7 and international
        if foreign:
            full, code, prefix, domain = international.pop(0)
            first, _, last = full.partition(" ")
            language = "ru" if code == "+7" and full.startswith("Aigerim") else "en"
            phone = _phone(rng, code, prefix, taken)
            email = _email(rng, first, last, domain) if rng.random() < 0.8 else None
        else:
            full, first, last = _russian(rng, used)
            language = "ru"
            phone = _phone(rng, "+7", rng.choice(names.RUSSIAN_MOBILE_PREFIXES), taken)
            domain = rng.choice(names.RUSSIAN_EMAIL_DOMAINS)
            email = _email(rng, first, last, domain) if rng.random() < 0.55 else None
        prior = _prior_visits(rng, index)
        per_visit = rng.randint(5_500, 14_000)
        last_visit = today - dt.timedelta(days=rng.randint(15, 40 if prior >= 5 else 200))
        first_seen = dt.datetime.combine(
            (last_visit if prior else today) - dt.timedelta(days=rng.randint(20, 700)),
            dt.time(rng.randint(9, 22), rng.randrange(60)),
            tzinfo=dt.UTC,
        )
        guest = Guest(
            restaurant_id=restaurant_id,
            name=full,
            phone=phone,
            email=email,
            preferences=_preferences(rng, language, prior),
            allergies=list(rng.choice(ALLERGIES)) if rng.random() < 0.1 else [],
            conversation_style=rng.choice(list(ConversationStyle)),
            source=rng.choices(*_SOURCES)[0],
            notes=rng.choice(VIP_NOTES) if prior >= 11 else None,
            ai_personality_profile=(
                {"traits": rng.sample(["punctual", "detail-oriented", "friendly", "direct",
                                       "price-sensitive", "spontaneous"], 2),
                 "prefers_language": language}
                if rng.random() < 0.3 else {}
            ),
            communication_history=[],
            created_at=first_seen,
        )  # fmt: skip
        seeds.append(
            GuestSeed(
                guest=guest,
                language=language,
                weight=1.0 + prior / 12,
                prior_visits=prior,
                prior_spent=Decimal(prior * per_visit),
                prior_last_visit=last_visit if prior else None,
                first_seen=first_seen,
                prior_satisfaction=rng.choice([4.0, 4.2, 4.5, 4.6, 4.8, 5.0]),
            )
        )
    _blacklist(seeds[23])
    return seeds


def _blacklist(seed: GuestSeed) -> None:
    """The one banned guest: Sofia refuses them and the generator never books them."""
    seed.guest.blacklisted = True
    seed.guest.notes = (
        "Blacklisted by the manager: two no-shows for parties of eight (deposit disputed) "
        "and abusive to the host team. Refer any booking request to the manager."
    )
    seed.weight = 0.0


def vip_tier(visits: int) -> VipTier | None:
    for tier in (VipTier.PLATINUM, VipTier.GOLD, VipTier.SILVER):
        if visits >= VIP_THRESHOLDS[tier.value]["visits"]:
            return tier
    return None


def finalize_guest(seed: GuestSeed) -> None:
    """Visit count, spend, last visit, tier and habits agree with the guest's reservations."""
    guest, rows = seed.guest, seed.reservations
    done = [r for r in rows if r.status == ReservationStatus.COMPLETED]
    kept = [r for r in rows if r.status != ReservationStatus.CANCELLED]
    guest.visit_count = seed.prior_visits + len(done)
    guest.total_spent = seed.prior_spent + sum((r.total_amount or Decimal(0) for r in done),
                                               Decimal(0))  # fmt: skip
    dates = [r.date for r in done]
    guest.last_visit = max(dates) if dates else seed.prior_last_visit
    guest.vip_status = vip_tier(guest.visit_count)
    guest.loyalty_points = int(guest.total_spent // 100)
    if kept:
        guest.average_party_size = round(mean(r.guests for r in kept), 1)
        counts = Counter(f"{r.time:%H:%M}" for r in kept)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        guest.preferred_times = [t for t, _ in ranked[:2]]
    # Earlier visits count too: one bad evening does not sink a regular's score.
    ratings = [float(r.rating) for r in done if r.rating is not None]
    ratings += [seed.prior_satisfaction] * min(seed.prior_visits, 5)
    if ratings:
        guest.satisfaction_score = round(mean(ratings), 2)
    booked = [r.created_at for r in rows]
    if booked and (not seed.prior_visits or min(booked) < guest.created_at):
        # A first-timer's profile is born with their first booking.
        guest.created_at = min(booked)
    guest.updated_at = max([guest.created_at, *(r.updated_at for r in rows)])
