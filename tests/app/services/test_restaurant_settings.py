"""The restaurant settings screen's services: every field round-trips; every bad field is named
and nothing is written; keys the form does not manage stay; staff are refused; Sofia's key is
stored encrypted and never handed back; the engine test speaks to a real local server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from app.channels.reminders import offsets_of
from app.db.enums import VipTier
from app.db.models import Restaurant
from app.domain.booking_rules import DepositRules, SpecialDate, TurnBand, VipThreshold, rules_from
from app.domain.opening_hours import Service
from app.errors import InvalidInput, NotAvailable, PermissionDenied
from app.security.secrets import decrypt
from app.services import settings_form, sofia_check
from app.services.accounts import UserSummary, add_user
from app.services.database import Database
from app.services.restaurant_settings import (
    FieldErrors,
    RestaurantSettingsInput,
    load_settings,
    save_settings,
)
from app.sofia.llm_settings import LlmSettings
from tests.app.services.conftest import SETTINGS, Place, create_place
from tests.support.fake_openai import MODEL, FakeOpenAI, hang, running, status, text

KEY = "sk-test-DO-NOT-LEAK-1234567890"
EXTRA = {"demo": True, "currency": "RUB", "combinations": [["C1", "C2"]], "menu_notes": "Oysters"}


@pytest.fixture(autouse=True)
def _no_openai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TOBEOUT_AI_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db, settings=dict(SETTINGS) | EXTRA)


@pytest.fixture
def manager(db: Database) -> UserSummary:
    return add_user(db, email="boss@bistro.ru", name="Boss", role="manager", password="long enough")


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with running() as fake:
        yield fake


def t(hhmm: str) -> dt.time:
    return dt.time.fromisoformat(hhmm)


def row(db: Database, restaurant_id: int) -> dict[str, Any]:
    with db.unit_of_work() as uow:
        r = uow.session.get(Restaurant, restaurant_id)
        assert r is not None
        return {"settings": r.settings, "opening_hours": r.opening_hours,
                "average_service_time": r.average_service_time,
                "max_advance_booking": r.max_advance_booking,
                "updated_at": r.updated_at}  # fmt: skip


EVERYTHING = RestaurantSettingsInput(
    opening_hours={"mon": "", "tue": "12:00-15:00, 18:00-23:00", "wed": "9:00 - 17:00",
                   "thu": [["18:00", "23:00"]], "fri": "18:00-02:00", "sat": "closed",
                   "sun": "13:00–22:00"},
    special_dates=[{"date": "2026-12-31", "hours": "19:00-03:00", "note": " New Year "},
                   {"date": dt.date(2026, 12, 25), "closed": True, "note": "Christmas"}],
    slot_interval_minutes="30", default_turn_minutes=100,
    turn_times=[("1-2", "80"), ("3-4", 95), ("", ""), ("9+", 160)],
    buffer_minutes=10, max_covers_per_slot=35, max_advance_days=90, min_notice_minutes=120,
    last_seating_minutes_before_close=45, max_party_size=14,
    deposit_party_size_at_least=6, deposit_amount_per_guest="1 500,50",
    deposit_special_events=True,
    vip_thresholds={"silver": {"visits": "5", "spent": ""}, "gold": {"visits": 12,
                    "spent": "50000"}, "bronze": {"visits": None, "spent": None}},
    reminder_offsets_hours="2, 24h, 1.5, 24",
    sofia_engine="openai", sofia_base_url="http://127.0.0.1:11434/v1/", sofia_model="llama3.1",
    sofia_api_key=KEY,
)  # fmt: skip


def test_every_field_round_trips(db: Database, place: Place, manager: UserSummary) -> None:
    saved = save_settings(db, place.restaurant_id, EVERYTHING, user=manager)
    view = load_settings(db, place.restaurant_id, user=manager)
    assert view == saved
    assert view.opening_hours == {
        "mon": (), "tue": (Service(t("12:00"), t("15:00")), Service(t("18:00"), t("23:00"))),
        "wed": (Service(t("09:00"), t("17:00")),), "thu": (Service(t("18:00"), t("23:00")),),
        "fri": (Service(t("18:00"), t("02:00")),), "sat": (),
        "sun": (Service(t("13:00"), t("22:00")),),
    }  # fmt: skip
    assert view.special_dates == (
        SpecialDate(dt.date(2026, 12, 25), closed=True, note="Christmas"),
        SpecialDate(dt.date(2026, 12, 31), hours=(Service(t("19:00"), t("03:00")),),
                    note="New Year"),
    )  # fmt: skip
    assert (view.slot_interval_minutes, view.default_turn_minutes, view.buffer_minutes) == (
        30, 100, 10)  # fmt: skip
    assert view.turn_times == (TurnBand(1, 2, 80), TurnBand(3, 4, 95), TurnBand(9, None, 160))
    assert (
        view.max_covers_per_slot,
        view.max_advance_days,
        view.min_notice_minutes,
        view.last_seating_minutes_before_close,
        view.max_party_size,
    ) == (35, 90, 120, 45, 14)
    assert view.deposit == DepositRules(6, Decimal("1500.50"), True)
    assert view.vip_thresholds == (VipThreshold(VipTier.GOLD, 12, Decimal("50000.00")),
                                   VipThreshold(VipTier.SILVER, 5, None))  # fmt: skip
    assert view.reminder_offsets_hours == (24.0, 2.0, 1.5)
    assert (view.sofia.engine, view.sofia.base_url, view.sofia.model) == (
        "openai", "http://127.0.0.1:11434/v1", "llama3.1")  # fmt: skip
    assert view.sofia.api_key_stored and view.sofia.environment == ()

    stored = row(db, place.restaurant_id)
    assert stored["opening_hours"]["wed"] == [["09:00", "17:00"]] and "mon" not in stored[
        "opening_hours"]  # fmt: skip
    assert (stored["average_service_time"], stored["max_advance_booking"]) == (100, 90)
    settings = stored["settings"]
    assert settings["turn_times"] == {"1-2": 80, "3-4": 95, "9+": 160}
    assert settings["deposit_rules"] == {"party_size_at_least": 6, "amount_per_guest": "1500.50",
                                         "special_events": True}  # fmt: skip
    assert settings["vip_thresholds"] == {"silver": {"visits": 5},
                                          "gold": {"visits": 12, "spent": 50000}}  # fmt: skip
    assert settings["reminder_offsets_hours"] == [24, 2, 1.5]
    assert offsets_of(settings) == [24.0, 2.0, 1.5], "the reminders read what the form wrote"
    # The booking path reads the same rules.
    rules = rules_from(
        timezone="Europe/Moscow",
        opening_hours=stored["opening_hours"],
        settings=settings,
        average_service_time=100,
        max_advance_booking=90,
    )
    assert rules.turn_time(10) == 160 and rules.max_covers_per_slot == 35


def test_unknown_keys_and_untouched_settings_stay(
    db: Database, place: Place, manager: UserSummary
) -> None:
    before = row(db, place.restaurant_id)
    save_settings(db, place.restaurant_id, RestaurantSettingsInput(buffer_minutes=20),
                  user=manager)  # fmt: skip
    after = row(db, place.restaurant_id)
    assert after["settings"] == before["settings"] | {"buffer_minutes": 20}
    assert {k: after["settings"][k] for k in EXTRA} == EXTRA
    assert after["opening_hours"] == before["opening_hours"]
    save_settings(db, place.restaurant_id, EVERYTHING, user=manager)
    assert {k: row(db, place.restaurant_id)["settings"][k] for k in EXTRA} == EXTRA


def test_none_removes_a_limit_and_the_key(db: Database, place: Place, manager: UserSummary) -> None:
    save_settings(db, place.restaurant_id, EVERYTHING, user=manager)
    view = save_settings(db, place.restaurant_id, RestaurantSettingsInput(
        max_covers_per_slot=None, max_party_size="", deposit_party_size_at_least=None,
        reminder_offsets_hours="", sofia_engine="offline", sofia_base_url="",
        sofia_api_key=None), user=manager)  # fmt: skip
    assert view.max_covers_per_slot is None and view.max_party_size is None
    assert view.deposit.party_size_at_least is None and view.deposit.special_events
    assert view.reminder_offsets_hours == ()
    assert (view.sofia.engine, view.sofia.base_url, view.sofia.api_key_stored) == (
        "offline", None, False)  # fmt: skip
    settings = row(db, place.restaurant_id)["settings"]
    assert "max_covers_per_slot" not in settings and "max_party_size" not in settings
    assert settings["reminder_offsets_hours"] == [] and offsets_of(settings) == []
    assert settings["sofia"] == {"engine": "offline", "model": "llama3.1"}


BAD_FIELDS: list[tuple[str, Any, str, str]] = [
    ("opening_hours", {"mon": "12:00-15:00", "tue": "25:00-26:00"}, "opening_hours.tue",
     "Tuesday, service 1: '25:00' is not a time"),
    ("opening_hours", {"wed": "noon to three"}, "opening_hours.wed", "Wednesday: 'noon to"),
    ("opening_hours", {"thu": "12:00-16:00, 15:00-20:00"}, "opening_hours.thu", "overlaps"),
    ("special_dates", [{"date": "31.12.2026", "closed": True}], "special_dates", "YYYY-MM-DD"),
    ("special_dates", [{"date": "2026-12-31", "closed": True, "hours": "18:00-23:00"}],
     "special_dates", "a closed day has no hours"),
    ("special_dates", [{"date": "2026-12-31"}, {"date": "2026-12-31", "closed": True}],
     "special_dates", "listed twice"),
    ("slot_interval_minutes", 3, "slot_interval_minutes", "Slot interval must be at least 5"),
    ("default_turn_minutes", "long", "default_turn_minutes", "Default turn time must be a whole"),
    ("turn_times", [("5-3", 90)], "turn_times", "is empty"),
    ("turn_times", [("1-4", 90), ("3-6", 100)], "turn_times", "overlap"),
    ("turn_times", [("1-2", 5)], "turn_times", "at least 15"),
    ("buffer_minutes", -5, "buffer_minutes", "Buffer between bookings must be at least 0"),
    ("max_covers_per_slot", 0, "max_covers_per_slot", "Pacing must be at least 1"),
    ("max_advance_days", 1000, "max_advance_days", "Booking window must be at most 730"),
    ("min_notice_minutes", 99999, "min_notice_minutes", "Minimum notice must be at most"),
    ("last_seating_minutes_before_close", 601, "last_seating_minutes_before_close", "at most"),
    ("max_party_size", 0, "max_party_size", "Largest party must be at least 1"),
    ("deposit_party_size_at_least", 0, "deposit_party_size_at_least", "at least 1"),
    ("deposit_amount_per_guest", "lots", "deposit_amount_per_guest", "must be an amount"),
    ("deposit_special_events", "yes", "deposit_special_events", "true or false"),
    ("vip_thresholds", {"diamond": {"visits": 3}}, "vip_thresholds", "VIP tier must be one of"),
    ("vip_thresholds", {"gold": {"visits": 0}}, "vip_thresholds", "VIP Gold: visits"),
    ("reminder_offsets_hours", "24, soon", "reminder_offsets_hours", "'soon' is not a number"),
    ("reminder_offsets_hours", [0], "reminder_offsets_hours", "out of range"),
    ("sofia_engine", "skynet", "sofia_engine", "Engine must be one of offline, openai"),
    ("sofia_base_url", "ftp://example.com", "sofia_base_url", "Base URL must be an http"),
    ("sofia_model", "  ", "sofia_model", "Model is required"),
    ("sofia_api_key", "two words", "sofia_api_key", "one line of printable"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "value", "key", "words"), BAD_FIELDS,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_FIELDS)])  # fmt: skip
def test_each_bad_field_is_named_and_nothing_is_written(
    db: Database, place: Place, manager: UserSummary, field: str, value: Any, key: str, words: str
) -> None:
    before = row(db, place.restaurant_id)
    # A good change alongside: it must not be written either.
    changes = RestaurantSettingsInput(**{"buffer_minutes": 25, field: value})
    with pytest.raises(FieldErrors) as refused:
        save_settings(db, place.restaurant_id, changes, user=manager)
    assert list(refused.value.errors) == [key]
    assert words in refused.value.errors[key]
    assert row(db, place.restaurant_id) == before


def test_all_bad_fields_are_named_at_once(db: Database, place: Place, manager: UserSummary) -> None:
    before = row(db, place.restaurant_id)
    with pytest.raises(FieldErrors) as refused:
        changes = RestaurantSettingsInput(
            opening_hours={"mon": "12-15", "fri": "18:00-23:00", "sun": "x"},
            slot_interval_minutes=1, turn_times={"0": 90}, sofia_model="")  # fmt: skip
        save_settings(db, place.restaurant_id, changes, user=manager)
    assert set(refused.value.errors) == {
        "opening_hours.mon",
        "opening_hours.sun",
        "slot_interval_minutes",
        "turn_times",
        "sofia_model",
    }
    assert isinstance(refused.value, InvalidInput) and refused.value.exit_code == 2
    assert row(db, place.restaurant_id) == before


def test_openai_without_a_key_or_server_is_refused_as_a_whole(
    db: Database, place: Place, manager: UserSummary
) -> None:
    before = row(db, place.restaurant_id)
    with pytest.raises(FieldErrors) as refused:
        save_settings(db, place.restaurant_id, RestaurantSettingsInput(sofia_engine="openai"),
                      user=manager)  # fmt: skip
    assert refused.value.errors == {
        "sofia_engine": "The OpenAI engine needs an API key (or a base URL of an "
        "OpenAI-compatible server such as Ollama)."
    }
    assert row(db, place.restaurant_id) == before


def test_staff_are_refused_and_admins_allowed(db: Database, place: Place) -> None:
    staff = add_user(db, email="host@bistro.ru", name="Host", role="staff", password="long enough")
    admin = add_user(db, email="root@bistro.ru", name="Root", role="admin", password="long enough")
    before = row(db, place.restaurant_id)
    with pytest.raises(PermissionDenied, match="may not change restaurant settings"):
        save_settings(db, place.restaurant_id, RestaurantSettingsInput(buffer_minutes=5),
                      user=staff)  # fmt: skip
    with pytest.raises(PermissionDenied):
        load_settings(db, place.restaurant_id, user=staff)
    assert row(db, place.restaurant_id) == before
    view = save_settings(db, place.restaurant_id, RestaurantSettingsInput(buffer_minutes=5),
                         user=admin)  # fmt: skip
    assert view.buffer_minutes == 5


def test_the_sofia_key_is_encrypted_and_never_returned(
    db: Database, place: Place, manager: UserSummary
) -> None:
    view = save_settings(db, place.restaurant_id, EVERYTHING, user=manager)
    stored = row(db, place.restaurant_id)["settings"]["sofia"]
    assert KEY not in repr(stored) and decrypt(stored["api_key_encrypted"]).reveal() == KEY
    assert KEY not in repr(view) and KEY not in repr(EVERYTHING)
    assert not any(KEY in repr(v) for v in vars(view.sofia).values())
    # Saving other fields keeps the key; saving Sofia without a typed key keeps it too.
    token = stored["api_key_encrypted"]
    save_settings(db, place.restaurant_id, RestaurantSettingsInput(
        sofia_model="qwen2.5", buffer_minutes=5), user=manager)  # fmt: skip
    assert row(db, place.restaurant_id)["settings"]["sofia"]["api_key_encrypted"] == token


def test_the_form_ranges_are_the_booking_rules_ranges() -> None:
    for name, limit in settings_form.LIMITS.items():
        for value, ok in ((limit.low, True), (limit.high, True), (limit.low - 1, False),
                          (limit.high + 1, False)):  # fmt: skip
            columns = {limit.key: value} if limit.column else {}
            settings = {} if limit.column else {limit.key: value}
            try:
                rules_from(timezone="UTC", opening_hours=None, settings=settings, **columns)
                accepted = True
            except InvalidInput:
                accepted = False
            assert accepted is ok, (name, value)


# -- the engine test ------------------------------------------------------------------------


def config(server_url: str | None, **overrides: Any) -> LlmSettings:
    from app.security.secrets import encrypt

    values: dict[str, Any] = {
        "engine": "openai",
        "base_url": server_url,
        "model": "gpt-4o-mini",
        "api_key_token": encrypt(KEY),
        "timeout_seconds": 5.0,
    } | overrides
    return LlmSettings(**values)


def test_the_engine_test_makes_one_real_request(server: FakeOpenAI) -> None:
    server.add(text("OK"))
    result = sofia_check.test_sofia_engine(config(server.url))
    assert result.startswith(f"Connected: {MODEL} answered in ")
    (request,) = server.completions()
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "gpt-4o-mini" and request.body["max_tokens"] == 5


@pytest.mark.parametrize(("action", "words"), [
    (status(401, f"Incorrect API key provided: {KEY}"), "refused the API key (HTTP 401)"),
    (status(404, "The model `gpt-9` does not exist"), "does not know the model 'gpt-4o-mini'"),
    (status(500, "boom"), "answered HTTP 500: boom"),
    (hang(5), "No answer from"),
])  # fmt: skip
def test_the_engine_test_says_what_went_wrong(server: FakeOpenAI, action: Any, words: str) -> None:
    server.add(action)
    with pytest.raises(NotAvailable) as failed:
        sofia_check.test_sofia_engine(config(server.url, timeout_seconds=1.0))
    assert words in failed.value.message and KEY not in failed.value.message
    assert len(server.completions()) == 1, "no retries"


def test_a_refused_port_reads_as_such() -> None:
    with running() as gone:
        url = gone.url
    with pytest.raises(NotAvailable) as failed:
        sofia_check.test_sofia_engine(config(url))
    assert f"Could not connect to {url}: the connection was refused" in failed.value.message


def test_the_form_test_uses_the_stored_key_unless_one_is_typed(
    db: Database, place: Place, manager: UserSummary, server: FakeOpenAI
) -> None:
    save_settings(db, place.restaurant_id, EVERYTHING, user=manager)
    server.add(text("OK"), text("OK"))
    form = RestaurantSettingsInput(sofia_base_url=server.url, sofia_model="llama3.1")
    assert "answered" in sofia_check.check_form_engine(db, place.restaurant_id, form, user=manager)
    typed = RestaurantSettingsInput(sofia_base_url=server.url, sofia_model="m", sofia_api_key="k2")
    sofia_check.check_form_engine(db, place.restaurant_id, typed, user=manager)
    first, second = server.completions()
    assert first.headers["authorization"] == f"Bearer {KEY}" and first.body["model"] == "llama3.1"
    assert second.headers["authorization"] == "Bearer k2"
    with pytest.raises(FieldErrors) as refused:
        sofia_check.check_form_engine(db, place.restaurant_id, RestaurantSettingsInput(
            sofia_base_url="nonsense"), user=manager)  # fmt: skip
    assert list(refused.value.errors) == ["sofia_base_url"]
