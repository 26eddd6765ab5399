"""CSV and JSON exports: columns, values, the formula-injection guard, streaming in one query."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from app.analytics.dashboard import load_dashboard
from app.analytics.export import (
    METRIC_COLUMNS,
    RESERVATION_COLUMNS,
    safe_phone,
    safe_text,
    write_metrics_csv,
    write_reservations_csv,
)
from app.analytics.period import DateRange
from app.analytics.results import (
    KPI_KEYS,
    AiCosts,
    AiDailyPoint,
    Cancellations,
    Change,
    CountRow,
    CoversHeatmap,
    DailyPoint,
    Dashboard,
    GuestValue,
    Metric,
    ModelUsage,
    NoShowPatterns,
    RateRow,
    Unit,
)
from app.analytics.serialize import dashboard_to_json
from app.db.enums import ReservationSource, ReservationStatus, TableStatus, UserRole
from app.db.models import (
    DiningTable,
    Guest,
    Reservation,
    ReservationStatusChange,
    ReservationTable,
    Restaurant,
    User,
)
from app.errors import NotFound
from app.services.database import Database

S = ReservationStatus
MOSCOW = ZoneInfo("Europe/Moscow")
WEEK = DateRange(dt.date(2026, 11, 2), dt.date(2026, 11, 8))
HOURS = {d: [["12:00", "23:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
TODAY = dt.date(2026, 11, 24)


# -- a small restaurant, written row by row --------------------------------------------------


@dataclass
class Built:
    restaurant_id: int
    other_restaurant_id: int


def _at(day: dt.date, clock: str) -> dt.datetime:
    hour, minute = map(int, clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MOSCOW).astimezone(dt.UTC)


def _restaurant(session: Any, name: str) -> tuple[Restaurant, dict[str, int]]:
    restaurant = Restaurant(
        name=name, timezone="Europe/Moscow", opening_hours=HOURS,
        settings={"currency": "RUB"}, average_service_time=90, max_advance_booking=60,
    )  # fmt: skip
    session.add(restaurant)
    session.flush()
    ids = {}
    for index, (table_name, seats) in enumerate((("A2", 2), ("A10", 2), ("B1", 4))):
        table = DiningTable(
            restaurant_id=restaurant.id, name=table_name, min_guests=1, max_guests=seats,
            position={"x": index * 200, "y": 0, "width": 80, "height": 80, "rotation": 0,
                      "area": "Main room"},
            features=[], preferred_for=[], priority=5, status=TableStatus.FREE, is_active=True,
        )  # fmt: skip
        session.add(table)
        session.flush()
        ids[table_name] = table.id
    return restaurant, ids


def _reservation(
    session: Any,
    restaurant_id: int,
    guest: Guest,
    code: str,
    day: dt.date,
    clock: str,
    *,
    party: int = 2,
    status: ReservationStatus = S.CONFIRMED,
    source: ReservationSource = ReservationSource.PHONE,
    tables: tuple[int, ...] = (),
    created_by: str | None = "host",
    user_id: int | None = None,
    **values: Any,
) -> Reservation:
    starts_at = _at(day, clock)
    created_at = starts_at - dt.timedelta(days=2)
    reservation = Reservation(
        restaurant_id=restaurant_id, guest_id=guest.id, date=day,
        time=dt.time(*map(int, clock.split(":"))), starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=90), guests=party, duration=90, status=status,
        source=source, confirmation_code=code, created_at=created_at, updated_at=created_at,
        table_id=tables[0] if tables else None, **values,
    )  # fmt: skip
    session.add(reservation)
    session.flush()
    for table_id in tables:
        session.add(
            ReservationTable(
                reservation_id=reservation.id,
                table_id=table_id,
                starts_at=starts_at,
                blocked_until=starts_at + dt.timedelta(minutes=105),
                blocking=status in (S.PENDING, S.CONFIRMED, S.REMINDED, S.SEATED, S.DINING),
            )  # fmt: skip
        )
    if created_by is not None:
        session.add(
            ReservationStatusChange(
                reservation_id=reservation.id,
                from_status=None,
                to_status=S.CONFIRMED,
                changed_at=created_at,
                actor=created_by,
                changed_by_user_id=user_id,
            )  # fmt: skip
        )
        if status is not S.CONFIRMED:
            session.add(
                ReservationStatusChange(
                    reservation_id=reservation.id,
                    from_status=S.CONFIRMED,
                    to_status=status,
                    changed_at=starts_at,
                    actor="host",
                )  # fmt: skip
            )
    return reservation


def build(db: Database) -> Built:
    with db.unit_of_work() as uow:
        session = uow.session
        restaurant, tables = _restaurant(session, "Export Bistro")
        other, other_tables = _restaurant(session, "Elsewhere")
        host = User(email="anna@example.com", password="x" * 60, role=UserRole.STAFF,
                    name="Anna Host")  # fmt: skip
        session.add(host)
        ivan = Guest(restaurant_id=restaurant.id, name="Ivan Petrov", phone="+79160000001")
        evil = Guest(restaurant_id=restaurant.id, name='=HYPERLINK("http://x.example","y")',
                     phone="+79161234567")  # fmt: skip
        odd = Guest(restaurant_id=restaurant.id, name="-Minus Guest", phone="=1+1")
        stranger = Guest(restaurant_id=other.id, name="Other Guest", phone="+79160000009")
        session.add_all([ivan, evil, odd, stranger])
        session.flush()
        day = WEEK.start + dt.timedelta(days=1)  # Tuesday 3 November
        _reservation(
            session, restaurant.id, ivan, "AAA111", day, "19:00", party=4, status=S.COMPLETED,
            tables=(tables["A10"], tables["A2"]), created_by="host", user_id=host.id,
            total_amount=Decimal("5400.50"), rating=5,
            arrival_time=_at(day, "19:05"), departure_time=_at(day, "20:40"),
        )  # fmt: skip
        _reservation(
            session, restaurant.id, evil, "BBB222", day, "12:30", status=S.CANCELLED,
            source=ReservationSource.TELEGRAM, tables=(tables["B1"],), created_by="sofia",
            cancellation_reason="-1+2 plans changed",
        )  # fmt: skip
        _reservation(
            session, restaurant.id, odd, "CCC333", WEEK.end, "20:00", status=S.NO_SHOW,
            source=ReservationSource.WEB, tables=(tables["B1"],), created_by="website",
            no_show_reason="@home, forgot",
        )  # fmt: skip
        _reservation(
            session, restaurant.id, ivan, "DDD444", WEEK.start, "13:00",
            source=ReservationSource.WALK_IN, status=S.SEATED, created_by=None,
        )  # fmt: skip
        # Outside the period, and another restaurant's booking inside it: not exported.
        _reservation(session, restaurant.id, ivan, "EEE555", WEEK.end + dt.timedelta(days=1),
                     "19:00", tables=(tables["A2"],))  # fmt: skip
        _reservation(session, restaurant.id, ivan, "FFF666", WEEK.start - dt.timedelta(days=1),
                     "19:00", tables=(tables["A2"],))  # fmt: skip
        _reservation(session, other.id, stranger, "GGG777", day, "19:00",
                     tables=(other_tables["A2"],))  # fmt: skip
        ids = Built(restaurant.id, other.id)
        uow.commit()
    return ids


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _reservations_csv(db: Database, restaurant_id: int, period: DateRange = WEEK) -> tuple:
    stream = io.StringIO(newline="")
    count = write_reservations_csv(db, restaurant_id, period, stream)
    return count, stream.getvalue()


# -- the reservations CSV --------------------------------------------------------------------


def test_reservations_csv_has_every_column_and_value(db: Database) -> None:
    built = build(db)
    count, text = _reservations_csv(db, built.restaurant_id)
    rows = _read(text)
    assert count == 4 and len(rows) == 5
    assert rows[0] == list(RESERVATION_COLUMNS)
    by_code = {row[0]: dict(zip(RESERVATION_COLUMNS, row, strict=True)) for row in rows[1:]}
    # Ordered by date, then time.
    assert [row[0] for row in rows[1:]] == ["DDD444", "BBB222", "AAA111", "CCC333"]
    assert by_code["AAA111"] == {
        "confirmation_code": "AAA111", "date": "2026-11-03", "time": "19:00", "party_size": "4",
        "status": "completed", "source": "phone", "guest_name": "Ivan Petrov",
        "guest_phone": "+79160000001", "tables": "A2, A10", "total_amount": "5400.50",
        "rating": "5", "cancellation_reason": "", "no_show_reason": "",
        "created_by": "Anna Host", "created_at": "2026-11-01T16:00:00+00:00",
        "arrival_time": "2026-11-03T16:05:00+00:00",
        "departure_time": "2026-11-03T17:40:00+00:00",
    }  # fmt: skip
    assert by_code["BBB222"]["created_by"] == "sofia"
    assert by_code["BBB222"]["status"] == "cancelled"
    assert by_code["BBB222"]["tables"] == "B1"
    assert by_code["CCC333"]["created_by"] == "website"
    walk_in = by_code["DDD444"]
    assert walk_in["source"] == "walk_in" and walk_in["tables"] == ""
    assert walk_in["created_by"] == "" and walk_in["total_amount"] == ""


def test_reservations_csv_defuses_formulas_but_keeps_phones(db: Database) -> None:
    built = build(db)
    _, text = _reservations_csv(db, built.restaurant_id)
    by_code = {row[0]: row for row in _read(text)[1:]}
    name, phone = RESERVATION_COLUMNS.index("guest_name"), RESERVATION_COLUMNS.index("guest_phone")
    cancelled = by_code["BBB222"]
    assert cancelled[name] == '\'=HYPERLINK("http://x.example","y")'
    assert cancelled[phone] == "+79161234567"  # E.164: a restaurant must be able to dial it
    assert cancelled[RESERVATION_COLUMNS.index("cancellation_reason")] == "'-1+2 plans changed"
    no_show = by_code["CCC333"]
    assert no_show[name] == "'-Minus Guest"
    assert no_show[phone] == "'=1+1"  # not a phone number: treated as any other text
    assert no_show[RESERVATION_COLUMNS.index("no_show_reason")] == "'@home, forgot"
    # Text is quoted and numbers are not, so a spreadsheet keeps numbers as numbers.
    line = next(line for line in text.splitlines() if line.startswith('"AAA111"'))
    assert ',4,"completed"' in line and ",5400.50,5," in line


def test_reservations_csv_streams_one_select_whatever_the_row_count(db: Database) -> None:
    built = build(db)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        count, _ = _reservations_csv(db, built.restaurant_id, DateRange(WEEK.start, TODAY))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert count == 5
    # The restaurant check and the one joined SELECT (tables and creator are subqueries).
    assert len(statements) == 2, statements


def test_reservations_csv_of_an_empty_period_and_an_unknown_restaurant(db: Database) -> None:
    built = build(db)
    count, text = _reservations_csv(
        db, built.restaurant_id, DateRange(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    )
    assert count == 0 and _read(text) == [list(RESERVATION_COLUMNS)]
    stream = io.StringIO()
    with pytest.raises(NotFound):
        write_reservations_csv(db, 999_999, WEEK, stream)
    assert stream.getvalue() == ""  # not even a header


def test_other_restaurant_is_kept_apart(db: Database) -> None:
    built = build(db)
    count, text = _reservations_csv(db, built.other_restaurant_id)
    assert count == 1 and _read(text)[1][0] == "GGG777"


# -- the metrics CSV and the JSON document, from the real queries ----------------------------


def test_metrics_csv_and_json_from_the_database(db: Database) -> None:
    built = build(db)
    dashboard = load_dashboard(db, built.restaurant_id, WEEK, today=TODAY)
    stream = io.StringIO(newline="")
    write_metrics_csv(dashboard, stream)
    rows = [dict(zip(METRIC_COLUMNS, row, strict=True)) for row in _read(stream.getvalue())[1:]]
    kpis = [row for row in rows if row["section"] == "kpi"]
    assert [row["measure"] for row in kpis] == list(KPI_KEYS)
    no_show = next(row for row in kpis if row["measure"] == "no_show_rate")
    # Outcomes among bookings (the walk-in is not a booking): one completed, one no-show.
    assert (no_show["value"], no_show["numerator"], no_show["denominator"]) == ("0.5", "1", "2")
    assert no_show["unit"] == "percent" and no_show["previous_value"] == ""
    assert no_show["change"] == ""  # no previous figure to compare with
    report = {row["measure"]: row["value"] for row in rows if row["section"] == "report"}
    assert report["period_from"] == "2026-11-02" and report["previous_period_to"] == "2026-11-01"
    assert report["restaurant_id"] == str(built.restaurant_id)
    daily = [row for row in rows if row["section"] == "daily" and row["measure"] == "revenue"]
    assert len(daily) == 7
    assert {row["item"]: row["value"] for row in daily}["2026-11-03"] == "5400.50"
    heatmap = [row for row in rows if row["section"] == "covers_heatmap"]
    assert len(heatmap) == 7 * 24
    document = json.loads(json.dumps(dashboard_to_json(dashboard)))
    assert document["restaurant"] == {
        "id": built.restaurant_id, "name": "Export Bistro", "currency": "RUB",
    }  # fmt: skip
    assert document["period"] == {"from": "2026-11-02", "to": "2026-11-08", "days": 7}
    assert [k["key"] for k in document["kpis"]] == list(KPI_KEYS)
    assert {d["date"]: d["revenue"] for d in document["daily"]}["2026-11-03"] == "5400.50"


# -- the formats on a dashboard built by hand ------------------------------------------------


def _metric(key: str, unit: Unit, value: float | None, **kw: Any) -> Metric:
    return Metric(key, key.replace("_", " ").title(), unit, value, **kw)


def handmade() -> Dashboard:
    period = DateRange(dt.date(2026, 11, 2), dt.date(2026, 11, 3))
    kpis = [
        Change(
            _metric(key, Unit.PERCENT, 0.25, numerator=1.0, denominator=4.0, sample=4),
            _metric(key, Unit.PERCENT, 0.5, numerator=2.0, denominator=4.0, sample=4),
        )
        for key in KPI_KEYS
    ]
    kpis[2] = Change(
        _metric("satisfaction_score", Unit.SCORE, None),
        _metric("satisfaction_score", Unit.SCORE, 4.5, sample=2),
    )
    guest = GuestValue(7, "+Plus Guest", "+79161234567", 3, Decimal("1200.10"),
                       dt.date(2026, 11, 3), covers=6)  # fmt: skip
    covers = tuple(tuple(3 if (d, h) == (1, 19) else 0 for h in range(24)) for d in range(7))
    return Dashboard(
        restaurant_id=5, restaurant_name="=Bad Name", currency="RUB", period=period,
        previous_period=period.previous(), kpis=tuple(kpis),
        covers_heatmap=CoversHeatmap(covers),
        bookings_by_source=(CountRow("phone", 2, 5),),
        no_shows=NoShowPatterns(
            by_weekday=tuple(RateRow(d, 0, 0) for d in ("Mon", "Tue", "Wed", "Thu", "Fri",
                                                        "Sat", "Sun")),
            by_lead_time=(RateRow("same day", 1, 3),), by_source=(),
        ),  # fmt: skip
        cancellations=Cancellations(1, 1 / 3, (CountRow("@reason", 1, 2),)),
        ai_costs=AiCosts(Decimal("0.004210"), 2, (ModelUsage("m-1", 3, 100, 20,
                                                              Decimal("0.004210")),)),
        daily=tuple(
            DailyPoint(day, 1, 2, 0, 0, Decimal("600.05")) for day in period.dates()
        ),
        ai_daily=tuple(AiDailyPoint(day, 0, None, 0) for day in period.dates()),
        churn_risk=(GuestValue(8, "Olga", "+79160000002", 2, Decimal("0"), None,
                               usual_interval_days=10.5, days_since_last_visit=40),),
        top_guests=(guest,),
        generated_at=dt.datetime(2026, 11, 4, 9, 0, tzinfo=dt.UTC),
    )  # fmt: skip


def test_metrics_csv_layout() -> None:
    stream = io.StringIO(newline="")
    write_metrics_csv(handmade(), stream)
    text = stream.getvalue()
    assert text.startswith('"section","item","label","measure","unit","value",')
    assert text.endswith("\r\n")
    rows = _read(text)
    assert rows[0] == list(METRIC_COLUMNS)
    assert all(len(row) == len(METRIC_COLUMNS) for row in rows)
    table = [dict(zip(METRIC_COLUMNS, row, strict=True)) for row in rows[1:]]

    def find(section: str, measure: str, item: str = "") -> dict[str, str]:
        return next(
            r for r in table
            if (r["section"], r["measure"], r["item"]) == (section, measure, item)
        )  # fmt: skip

    conversion = find("kpi", "conversion_rate")
    assert conversion == {
        "section": "kpi", "item": "", "label": "Conversion Rate", "measure": "conversion_rate",
        "unit": "percent", "value": "0.25", "numerator": "1", "denominator": "4",
        "sample": "4", "previous_value": "0.5", "change": "-0.25",
    }  # fmt: skip
    satisfaction = find("kpi", "satisfaction_score")
    assert satisfaction["value"] == "" and satisfaction["previous_value"] == "4.5"
    assert satisfaction["change"] == ""
    assert find("report", "restaurant_id")["label"] == "'=Bad Name"
    assert find("covers_heatmap", "covers", "Tue") is not None
    tuesday_19 = [r for r in table if r["section"] == "covers_heatmap" and r["item"] == "Tue"
                  and r["label"] == "19:00"]  # fmt: skip
    assert tuesday_19[0]["value"] == "3"
    assert find("no_shows_by_weekday", "no_show_rate", "Mon")["value"] == ""  # no outcomes
    lead = find("no_shows_by_lead_time", "no_show_rate", "same day")
    assert (lead["value"], lead["numerator"], lead["denominator"]) == ("0.333333", "1", "3")
    assert find("cancellation_reasons", "cancellations", "'@reason")["value"] == "1"
    assert find("ai_costs", "total_cost")["value"] == "0.004210"
    assert find("ai_costs", "cost_per_booking")["value"] == "0.002105"
    assert find("daily", "revenue", "2026-11-02")["value"] == "600.05"
    assert find("ai_daily", "handoff_rate", "2026-11-03")["value"] == ""
    top = find("top_guests", "total_spent", "7")
    assert top["label"] == "'+Plus Guest" and top["value"] == "1200.10"
    assert find("churn_risk", "last_visit", "8")["value"] == ""
    assert find("churn_risk", "usual_interval_days", "8")["value"] == "10.5"


def test_json_document_shape() -> None:
    document = dashboard_to_json(handmade())
    text = json.dumps(document)  # plain JSON values only: no default= needed
    assert json.loads(text) == document
    assert set(document) == {
        "version", "restaurant", "period", "previous_period", "generated_at", "kpis",
        "covers_heatmap", "bookings_by_source", "no_shows", "cancellations", "ai_costs",
        "daily", "ai_daily", "churn_risk", "top_guests",
    }  # fmt: skip
    assert document["previous_period"] == {"from": "2026-10-31", "to": "2026-11-01", "days": 2}
    assert document["generated_at"] == "2026-11-04T09:00:00+00:00"
    kpi = document["kpis"][0]
    assert set(kpi) >= {"key", "label", "unit", "value", "numerator", "denominator", "sample",
                        "previous_value", "delta"}  # fmt: skip
    assert (kpi["value"], kpi["previous_value"], kpi["delta"]) == (0.25, 0.5, -0.25)
    assert kpi["improved"] is False
    satisfaction = document["kpis"][2]
    assert satisfaction["value"] is None and satisfaction["delta"] is None
    assert document["covers_heatmap"]["covers"][1][19] == 3
    assert document["covers_heatmap"]["total"] == 3
    assert document["ai_costs"] == {
        "total_cost": "0.004210", "sofia_bookings": 2, "cost_per_booking": "0.002105",
        "by_model": [{"model": "m-1", "turns": 3, "input_tokens": 100, "output_tokens": 20,
                      "cost": "0.004210"}],
    }  # fmt: skip
    assert document["top_guests"][0] == {
        "guest_id": 7, "name": "+Plus Guest", "phone": "+79161234567", "visits": 3,
        "covers": 6, "total_spent": "1200.10", "average_spend": "400.03",
        "last_visit": "2026-11-03", "usual_interval_days": None, "days_since_last_visit": None,
    }  # fmt: skip
    assert document["churn_risk"][0]["last_visit"] is None
    assert document["no_shows"]["by_lead_time"][0] == {
        "label": "same day", "hits": 1, "total": 3, "rate": 1 / 3,
    }  # fmt: skip
    assert document["cancellations"]["reasons"] == [{"label": "@reason", "count": 1,
                                                     "covers": 2}]  # fmt: skip
    assert document["daily"][0] == {
        "date": "2026-11-02", "bookings": 1, "covers": 2, "no_shows": 0, "cancellations": 0,
        "revenue": "600.05",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("Anna", "Anna"), ("", ""), (None, None), ("a=b", "a=b"),
    ],
)  # fmt: skip
def test_safe_text(raw: str | None, cell: str | None) -> None:
    assert safe_text(raw) == cell


def test_safe_phone_keeps_e164_only() -> None:
    assert safe_phone("+79161234567") == "+79161234567"
    assert safe_phone("+4915155756605") == "+4915155756605"
    assert safe_phone("+7 916 123") == "'+7 916 123"
    assert safe_phone("+1+1") == "'+1+1"
