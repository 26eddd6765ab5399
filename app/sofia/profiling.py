"""What Sofia learns about a guest from how they write and how their conversations end.

Per message, ``observe`` reads the writing style: formal (greetings, "please", "would you",
"Здравствуйте", "будьте добры", full sentences), casual ("hi", "hey", "привет", emoji, lower
case, slang) or brief (a few words packed with details, no greeting). Each message casts at most
one vote; ``remember`` adds it to the conversation's context and ``decide`` turns the votes into a
style only when one clearly leads, and changes a decided style only when another leads it by a
wide margin — so the style is a stable decision over several messages, never flapping.

For a guest known by phone, ``update_guest`` (called in ``handle_message``'s final unit of work)
keeps on the guest row:

- ``conversation_style`` — decided from the guest's own votes across conversations (a window:
  old votes are scaled down, so a real change of habit wins in time);
- ``ai_personality_profile`` — language, message counts and typical length, emoji and greeting
  rates, the style votes, decisiveness, flagged messages, which approaches led to bookings;
- ``communication_history`` — one entry per finished conversation outcome (booked, cancelled,
  modified, handoff): the approach and stage path, and whether it led to a booking (capped);
- ``satisfaction_score`` — a running 0-5 value from the messages' sentiment, the outcome and the
  thread's satisfaction rating when there is one;
- ``preferences["seating"]`` — table wishes read with ``app.domain.requests.read_wishes``.

``GuestSnapshot`` is what an engine may read of a known guest (name, usual party and time).

Qt-free; the functions that take a Session work inside the caller's unit of work, never commit.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.db.enums import ConversationStyle
from app.db.models import Guest
from app.domain.requests import read_wishes
from app.sofia.parsing import ParsedMessage

STYLES = ("formal", "casual", "brief")
DECIDE_AT = 2.0  # votes the leading style needs before it is decided
DECIDE_MARGIN = 1.0  # … and its lead over the runner-up
SWITCH_MARGIN = 2.0  # a decided style changes only when another leads it by this much
GUEST_VOTE_WINDOW = 12.0  # the guest's votes are scaled down to this total: old habits fade
HISTORY_CAP = 30  # communication_history entries kept (the latest)
PATH_CAP = 12  # stages kept per conversation path
SEATING_CAP = 10
SATISFACTION_TURN_WEIGHT = 0.15  # a message with a clear mood moves the score this much
SATISFACTION_OUTCOME_WEIGHT = 0.3  # a finished conversation moves it this much
OUTCOME_BONUS = {"booked": 1.0, "modified": 0.5, "cancelled": 0.0, "handoff": -1.0}

_FORMAL_GREETING = re.compile(
    r"^\s*(?:hello|good\s+(?:morning|afternoon|evening|day)|greetings|dear\b)"
    r"|^\s*(?:здравствуй\w*|добрый\s+(?:день|вечер)|доброе\s+утро|доброй\s+ночи)",
    re.IGNORECASE,
)
_POLITE = re.compile(
    r"\b(?:please|would\s+you|could\s+you|would\s+like|i'?d\s+like|kindly|may\s+i|"
    r"thank\s+you|i\s+would|if\s+possible|be\s+so\s+kind)\b"
    r"|(?<!\w)(?:пожалуйста|будьте\s+(?:добры|любезны)|не\s+могли\s+бы|хотел[аи]?\s+бы"
    r"|благодарю|подскажите|позвольте|если\s+возможно)(?!\w)",
    re.IGNORECASE,
)
_CASUAL_GREETING = re.compile(
    r"^\s*(?:hi+|hey+|hiya|heya|yo|sup|howdy)\b"
    r"|^\s*(?:привет\w*|хай|здаров\w*|салют|хэй|приветик)(?!\w)",
    re.IGNORECASE,
)
_SLANG = re.compile(
    r"\b(?:gonna|wanna|gotta|thx|thanx|pls|plz|u|ur|lol|omg|cool|yeah|yep|yup|nope|np|btw|"
    r"kk|okie|awesome|cheers|dude|mate|guys)\b"
    r"|(?<!\w)(?:спс|плиз|пжлст|пжл|норм\w*|круто|класс|ага|ща|щас|чё|че|го|давай|окей|оки"
    r"|братан|ваще|прикольно|ок)(?!\w)",
    re.IGNORECASE,
)
_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]|[:;]-?[)(DPp]|\\)\\)+"
)
_WORD = re.compile(r"[\w'+:.-]+", re.UNICODE)


@dataclass(frozen=True)
class Observation:
    """One message, as a style vote and counts for the guest's profile."""

    vote: str | None
    weight: float
    chars: int
    words: int
    emoji: bool
    greeting: bool
    language: str

    def counts(self) -> dict[str, float]:
        return {"messages": 1, "chars": self.chars, "words": self.words,
                "emoji": int(self.emoji), "greetings": int(self.greeting)}  # fmt: skip


@dataclass(frozen=True)
class GuestSnapshot:
    """A known guest as an engine may see them (no notes, no other guests)."""

    id: int
    name: str
    visit_count: int
    average_party_size: float | None
    preferred_times: tuple[str, ...]
    conversation_style: str | None
    blacklisted: bool
    phone: str | None = None
    allergies: tuple[str, ...] = field(default=())

    @property
    def usual_party(self) -> int | None:
        if not self.average_party_size or self.average_party_size <= 0:
            return None
        return max(1, int(self.average_party_size + 0.5))

    @property
    def usual_time(self) -> str | None:
        for value in self.preferred_times:
            try:
                return dt.time.fromisoformat(str(value)).strftime("%H:%M")
            except ValueError:
                continue
        return None

    @property
    def returning(self) -> bool:
        """Visited before, with a usual party and time to offer, and welcome to book."""
        return (self.visit_count > 0 and not self.blacklisted
                and self.usual_party is not None and self.usual_time is not None)  # fmt: skip

    def owns(self, phone: Any) -> bool:
        """Whether the booking's phone (when one is given) is this guest's."""
        return not phone or phone == self.phone

    @property
    def first_name(self) -> str:
        return (self.name or "").split()[0] if (self.name or "").split() else ""


def snapshot(guest: Guest | None) -> GuestSnapshot | None:
    if guest is None:
        return None
    style = guest.conversation_style.value if guest.conversation_style else None
    return GuestSnapshot(
        id=guest.id, name=guest.name, visit_count=guest.visit_count or 0,
        average_party_size=guest.average_party_size,
        preferred_times=tuple(str(t) for t in guest.preferred_times or ()),
        conversation_style=style, blacklisted=bool(guest.blacklisted), phone=guest.phone,
        allergies=tuple(guest.allergies or ()),
    )  # fmt: skip


# -- style ---------------------------------------------------------------------------------


def observe(
    text: str, parsed: ParsedMessage | None, *, language: str, answering: bool
) -> Observation:
    """The style this message votes for (``answering``: a reply to Sofia's question, whose
    shortness says nothing about the guest)."""
    words = _WORD.findall(text)
    emoji = bool(_EMOJI.search(text))
    formal_greeting = bool(_FORMAL_GREETING.search(text))
    casual_greeting = bool(_CASUAL_GREETING.search(text))
    scores = {style: 0.0 for style in STYLES}
    if parsed is None or not text.strip():
        return Observation(None, 0.0, len(text), len(words), emoji, False, language)
    if formal_greeting:
        scores["formal"] += 1
    if _POLITE.search(text):
        scores["formal"] += 1
    letters = [c for c in text if c.isalpha()]
    stripped = text.strip()
    if len(words) >= 4 and letters and stripped[0].isupper() and stripped[-1] in ".!?":
        scores["formal"] += 0.5
    if casual_greeting:
        scores["casual"] += 1
    if emoji:
        scores["casual"] += 1
    if _SLANG.search(text):
        scores["casual"] += 1
    if letters and text == text.lower() and len(words) >= 3 and scores["formal"] == 0:
        scores["casual"] += 0.5
    details = _details(parsed)
    plain = not (formal_greeting or casual_greeting) and scores["formal"] == 0
    if plain and scores["casual"] < 1 and not answering and len(words) <= 5 and details >= 2:
        scores["brief"] += 1
    best = max(STYLES, key=lambda s: scores[s])
    runner_up = max(scores[s] for s in STYLES if s != best)
    vote = best if scores[best] >= 0.5 and scores[best] > runner_up else None
    weight = min(1.0, scores[best]) if vote else 0.0
    return Observation(vote, weight, len(text), len(words), emoji,
                       formal_greeting or casual_greeting, language)  # fmt: skip


def _details(parsed: ParsedMessage) -> int:
    found = (parsed.date, parsed.time, parsed.party_size, parsed.name, parsed.phone)
    return sum(1 for value in found if value is not None)


def decide(votes: dict[str, float], current: str | None) -> str | None:
    """The style the votes support; a decided ``current`` style yields only to a clear lead."""
    ranked = sorted(STYLES, key=lambda s: (-float(votes.get(s, 0.0)), STYLES.index(s)))
    leader, lead = ranked[0], float(votes.get(ranked[0], 0.0))
    if current in STYLES:
        if leader == current:
            return current
        behind = float(votes.get(current, 0.0))
        return leader if lead >= DECIDE_AT and lead - behind >= SWITCH_MARGIN else current
    second = float(votes.get(ranked[1], 0.0))
    if lead >= DECIDE_AT and lead - second >= DECIDE_MARGIN:
        return leader
    return None


def remember(context: dict[str, Any], observation: Observation) -> str | None:
    """Add the message to the conversation's votes and counts; the conversation's style."""
    votes = dict(context.get("style_votes") or {})
    if observation.vote:
        votes[observation.vote] = round(votes.get(observation.vote, 0.0) + observation.weight, 3)
    context["style_votes"] = votes
    stats = dict(context.get("message_stats") or {})
    for key, value in observation.counts().items():
        stats[key] = stats.get(key, 0) + value
    context["message_stats"] = stats
    style = decide(votes, context.get("style"))
    context["style"] = style
    return style


def reply_style(context: dict[str, Any], guest: GuestSnapshot | None) -> str | None:
    """How Sofia words this turn: the conversation's own style, else the guest's known one."""
    style = context.get("style")
    if style in STYLES:
        return str(style)
    if guest is not None and guest.conversation_style in STYLES:
        return guest.conversation_style
    return None


def note_stage(context: dict[str, Any], stage: str) -> None:
    """The conversation's stage path since its last outcome ("greeting > collecting > …")."""
    path = list(context.get("stage_path") or [])
    if not path or path[-1] != stage:
        path.append(stage)
    context["stage_path"] = path[-PATH_CAP:]


# -- the guest row -------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnFacts:
    """What ``update_guest`` needs to know about the turn just answered."""

    conversation_id: int
    platform: str
    language: str
    text: str
    observation: Observation
    sentiment: float  # this message, -1..1
    thread_sentiment: float | None
    satisfaction_rating: int | None
    flagged: str | None  # the abuse kind, when the message was flagged
    stage: str
    resolution: str | None
    booking_completed: bool
    alternatives_offered: int
    flow_turns: int
    now: dt.datetime


def update_guest(
    session: Session, guest_id: int, context: dict[str, Any], facts: TurnFacts
) -> Guest | None:
    """Fold the turn into the guest's profile (``context`` is the conversation's, updated)."""
    guest = session.get(Guest, guest_id)
    if guest is None:
        return None
    newly_linked = context.get("profiled_guest") != guest_id
    context["profiled_guest"] = guest_id
    profile = copy.deepcopy(guest.ai_personality_profile or {})
    if newly_linked:  # everything the conversation said before the guest was known
        counts = dict(context.get("message_stats") or {})
        new_votes = dict(context.get("style_votes") or {})
    else:
        counts = facts.observation.counts()
        vote = facts.observation.vote
        new_votes = {vote: facts.observation.weight} if vote else {}
    _fold_counts(profile, counts)
    if counts.get("messages"):
        votes = {s: float(v) for s, v in (profile.get("style_votes") or {}).items()}
        for style, weight in new_votes.items():
            votes[style] = votes.get(style, 0.0) + float(weight)
        total = sum(votes.values())
        scale = GUEST_VOTE_WINDOW / total if total > GUEST_VOTE_WINDOW else 1.0
        votes = {s: round(v * scale, 3) for s, v in votes.items()}
        profile["style_votes"] = votes
        current = guest.conversation_style.value if guest.conversation_style else None
        style = decide(votes, current) or context.get("style")
        if style in STYLES and style != current:
            guest.conversation_style = ConversationStyle(style)
    languages = dict(profile.get("languages") or {})
    languages[facts.language] = languages.get(facts.language, 0) + 1
    profile["languages"] = languages
    profile["language"] = max(languages, key=lambda k: languages[k])
    if facts.flagged:
        profile["flagged_messages"] = int(profile.get("flagged_messages", 0)) + 1
    _satisfaction_from_message(guest, facts)
    said = list((context.get("slots") or {}).get("requests") or []) if newly_linked else []
    _seating_wishes(guest, facts.text, said)
    if facts.resolution:
        _record_outcome(guest, profile, context, facts)
    profile["updated_at"] = facts.now.isoformat()
    guest.ai_personality_profile = profile
    return guest


def _fold_counts(profile: dict[str, Any], counts: dict[str, float]) -> None:
    totals = dict(profile.get("counts") or {})
    for key, value in counts.items():
        totals[key] = totals.get(key, 0) + value
    profile["counts"] = totals
    messages = totals.get("messages", 0)
    if messages:
        profile["messages"] = int(messages)
        profile["typical_message_length"] = round(totals.get("chars", 0) / messages, 1)
        profile["typical_words"] = round(totals.get("words", 0) / messages, 1)
        profile["emoji_rate"] = round(totals.get("emoji", 0) / messages, 2)
        profile["greeting_rate"] = round(totals.get("greetings", 0) / messages, 2)


def _blend(previous: float | None, target: float, weight: float) -> float:
    target = max(0.0, min(5.0, target))
    value = target if previous is None else (1 - weight) * previous + weight * target
    return round(max(0.0, min(5.0, value)), 2)


def _satisfaction_from_message(guest: Guest, facts: TurnFacts) -> None:
    if facts.flagged in ("abuse", "threat"):
        guest.satisfaction_score = _blend(guest.satisfaction_score, 0.0, SATISFACTION_TURN_WEIGHT)
    elif facts.sentiment:
        target = (facts.sentiment + 1.0) * 2.5
        guest.satisfaction_score = _blend(guest.satisfaction_score, target,
                                          SATISFACTION_TURN_WEIGHT)  # fmt: skip


def _seating_wishes(guest: Guest, text: str, said: list[str]) -> None:
    """Table wishes of this message (and, when the guest was just recognised, of the
    conversation so far) join ``preferences["seating"]``."""
    wishes = read_wishes(text, None)
    wanted = set(wishes.features) | ({"accessible"} if wishes.needs_accessible else set())
    wanted |= {str(w) for w in said if w}
    if not wanted:
        return
    preferences = copy.deepcopy(guest.preferences or {})
    seating = preferences.get("seating")
    known = [seating] if isinstance(seating, str) and seating else list(seating or [])
    merged = known + sorted(w for w in wanted if w not in known)
    if merged != known:
        preferences["seating"] = merged[-SEATING_CAP:]
        guest.preferences = preferences


def _approach(context: dict[str, Any], facts: TurnFacts) -> str:
    if facts.resolution == "handoff":
        return "handoff"
    if context.get("approach") == "usual":
        return "usual"
    return "alternatives" if facts.alternatives_offered else "direct"


def _record_outcome(
    guest: Guest, profile: dict[str, Any], context: dict[str, Any], facts: TurnFacts
) -> None:
    """One communication_history entry; satisfaction, decisiveness and approach tallies."""
    approach = _approach(context, facts)
    path = list(context.get("stage_path") or [])
    entry = {
        "at": facts.now.isoformat(), "conversation_id": facts.conversation_id,
        "platform": facts.platform, "language": facts.language,
        "style": context.get("style") or profile.get("style"), "outcome": facts.resolution,
        "approach": approach, "path": path, "alternatives_offered": facts.alternatives_offered,
        "turns": facts.flow_turns, "booked": facts.booking_completed,
    }  # fmt: skip
    guest.communication_history = [*(guest.communication_history or []), entry][-HISTORY_CAP:]
    tallies = copy.deepcopy(profile.get("approaches") or {})
    tally = tallies.setdefault(approach, {"tried": 0, "booked": 0})
    tally["tried"] += 1
    tally["booked"] += int(facts.booking_completed)
    profile["approaches"] = tallies
    if facts.booking_completed:
        quick = min(1.0, 3.0 / max(1, facts.flow_turns)) * (0.8 if facts.alternatives_offered
                                                            else 1.0)  # fmt: skip
        previous = profile.get("decisiveness")
        profile["decisiveness"] = round(quick if previous is None
                                        else 0.7 * float(previous) + 0.3 * quick, 2)  # fmt: skip
    if facts.satisfaction_rating:
        target = float(facts.satisfaction_rating)
    else:
        mood = facts.thread_sentiment or 0.0
        target = (mood + 1.0) * 2.5 + OUTCOME_BONUS.get(str(facts.resolution), 0.0)
    guest.satisfaction_score = _blend(guest.satisfaction_score, target,
                                      SATISFACTION_OUTCOME_WEIGHT)  # fmt: skip
    context["stage_path"] = path[-1:]
    context.pop("approach", None)
