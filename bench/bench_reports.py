"""Benchmark: the queue's monthly report (X-7) of one region over a year of queue data.

Needs PostgreSQL (BENCH_PG, default postgres://postgres@127.0.0.1:5432; the database BENCH_REPORTS_DB,
default ``bench_reports``, is dropped and created)::

    .venv/bin/python bench/bench_reports.py --visits 100000 --departments 8

Seeds one region with ``--departments`` departments and a year (November 2025 - October 2026) of
visits (booked, walk-ins, cancelled, annulled, served or left with arrival, call-in and end times;
some without a call-in), the slots they
took and one queue SMS per visit; a second region gets a tenth as much, so that the region's filter
has something to leave out. Measured in the same run, on the same data:

- ``baseline_sql_s``: one hand-written SQL statement computing the same figures for October 2026
  (the visit counts, S-3's waiting and service times, the slot use per department, the SMS counts)
  and fetching them;
- ``report_build_s``: ``portal.reports.services.report_build`` of the queue's report for the region
  and the month (the registered build's aggregate queries and the upsert of the stored row);
- ``same_figures``: every section of the report equals the baseline's figures (``mismatches`` lists
  any that do not).

Target: under 2 s and within 2x the baseline. Benchmarks measure; they never assert.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import bench_env, fresh_database, manage, row  # noqa: E402

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
FIRST_DAY = dt.date(2025, 11, 1)
MONTH = dt.date(2026, 10, 1)

BASELINE_SQL = """
WITH b AS (
  SELECT b.kind, b.status, b.arrived_at,
         CASE WHEN b.arrived_at IS NOT NULL AND (b.called_at IS NOT NULL OR b.finished_at IS NOT NULL)
              THEN COALESCE(b.called_at, b.finished_at) - b.arrived_at END AS waited,
         CASE WHEN b.called_at IS NOT NULL AND b.finished_at IS NOT NULL
              THEN b.finished_at - b.called_at END AS served_for
  FROM queue_booking_booking b JOIN territory_msedepartment d ON d.id = b.department_id
  WHERE d.region_id = %(region)s AND b.day >= %(first)s AND b.day <= %(last)s
), v AS (
  SELECT COUNT(*) FILTER (WHERE kind = 'booked') AS booked_in_advance,
         COUNT(*) FILTER (WHERE kind = 'walk_in') AS walk_ins,
         COUNT(*) FILTER (WHERE status = 'cancelled') AS cancelled,
         COUNT(*) FILTER (WHERE status = 'annulled') AS annulled_late,
         COUNT(*) FILTER (WHERE status = 'served') AS served,
         COUNT(*) FILTER (WHERE status = 'left') AS left_,
         COUNT(*) FILTER (WHERE arrived_at IS NOT NULL) AS arrived,
         COUNT(waited) AS wait_measured,
         EXTRACT(EPOCH FROM SUM(waited)) AS wait_seconds,
         COUNT(*) FILTER (WHERE waited <= interval '1:00') AS wait_within,
         COUNT(*) FILTER (WHERE waited > interval '1:00') AS wait_over,
         COUNT(served_for) AS service_measured,
         EXTRACT(EPOCH FROM SUM(served_for)) AS service_seconds,
         COUNT(*) FILTER (WHERE served_for <= interval '1:00') AS service_within,
         COUNT(*) FILTER (WHERE served_for > interval '1:00') AS service_over
  FROM b
), s AS (
  SELECT COALESCE(json_agg(json_build_array(x.number, x.places, x.taken) ORDER BY x.number), '[]') AS slots
  FROM (SELECT d.number, SUM(sl.capacity) AS places, SUM(sl.booked) AS taken
        FROM queue_booking_slot sl JOIN territory_msedepartment d ON d.id = sl.department_id
        WHERE d.region_id = %(region)s AND sl.day >= %(first)s AND sl.day <= %(last)s
        GROUP BY d.number) x
), m AS (
  SELECT COUNT(*) FILTER (WHERE m.status = 'delivered') AS delivered,
         COUNT(*) FILTER (WHERE m.status IN ('permanent_failure', 'technical_failure')) AS failed,
         COUNT(*) FILTER (WHERE m.status NOT IN ('delivered', 'permanent_failure', 'technical_failure')) AS pending
  FROM notifications_message m
  JOIN notifications_template t ON t.id = m.template_id
  JOIN territory_msedepartment d ON d.id = m.department_id
  WHERE d.region_id = %(region)s AND t.key = ANY(%(keys)s) AND m.created_at >= %(s)s AND m.created_at < %(e)s
)
SELECT v.*, s.slots, m.delivered, m.failed, m.pending FROM v, s, m
"""


def queue_template_keys() -> list[str]:
    """The SMS templates the queue's report counts (those of ``queue_booking.sms.QueueSms``)."""
    from queue_booking.sms import QueueSms

    return [v for k, v in vars(QueueSms).items() if k.isupper()]


def seed(visits: int, departments: int) -> tuple[int, int]:
    """The region's id and how many visits were written in all."""
    from django.db import connection

    from notifications.models import Message, Template
    from portal.people.models import Person
    from portal.territory.models import MseDepartment, Region
    from queue_booking.models import Booking, Slot

    rng = random.Random(14)
    region = Region.objects.create(kato="110000000", name_ru="Акмолинская", name_kk="Ақмола", name_en="Akmola")
    other = Region.objects.create(kato="350000000", name_ru="Карагандинская", name_kk="Қарағанды", name_en="Karaganda")
    depts = [
        MseDepartment.objects.create(region=region, number=n + 1, name_ru=f"Отдел {n + 1}", name_kk=f"Бөлім {n + 1}")
        for n in range(departments)
    ]
    depts_other = [
        MseDepartment.objects.create(region=other, number=100 + n, name_ru=f"Отдел {100 + n}", name_kk="Б")
        for n in range(2)
    ]
    people = Person.objects.bulk_create(
        [
            Person(iin=f"{850000000000 + n}", last_name=f"П{n}", first_name="И", birth_date=dt.date(1985, 1, 1))
            for n in range(20000)
        ],
        batch_size=5000,
    )
    templates = list(Template.objects.filter(key__in=queue_template_keys()))
    days = [FIRST_DAY + dt.timedelta(days=i) for i in range((MONTH.replace(month=11) - FIRST_DAY).days)]
    days = [d for d in days if d.weekday() < 5]
    statuses = [
        (Booking.Status.SERVED, 70),
        (Booking.Status.CANCELLED, 10),
        (Booking.Status.ANNULLED, 8),
        (Booking.Status.LEFT, 4),
        (Booking.Status.BOOKED, 8),
    ]
    names, weights = zip(*statuses, strict=True)
    message_statuses = ["delivered"] * 90 + ["permanent_failure"] * 6 + ["sent"] * 4
    written = 0

    def region_visits(dept_list: list, total: int) -> None:
        nonlocal written
        per_slot_day: dict[tuple[int, dt.date], int] = {}
        bookings, messages = [], []
        for n in range(total):
            dept = dept_list[n % len(dept_list)]
            day = days[rng.randrange(len(days))]
            key = (dept.pk, day)
            seq = per_slot_day.get(key, 0) + 1
            per_slot_day[key] = seq
            starts = dt.datetime.combine(day, dt.time(9), tzinfo=ALMATY) + dt.timedelta(minutes=10 * (seq % 48))
            status = rng.choices(names, weights)[0]
            kind = Booking.Kind.WALK_IN if rng.random() < 0.15 else Booking.Kind.BOOKED
            arrived = called = finished = None
            if status in (Booking.Status.SERVED, Booking.Status.LEFT):
                arrived = starts - dt.timedelta(minutes=rng.randrange(0, 15))
                # most are called in, then served; some leave (or are served) without a call-in
                if status == Booking.Status.SERVED and rng.random() < 0.95:
                    called = arrived + dt.timedelta(minutes=rng.randrange(0, 100))
                    finished = called + dt.timedelta(minutes=rng.randrange(5, 90))
                else:
                    finished = arrived + dt.timedelta(minutes=rng.randrange(10, 180))
            bookings.append(
                Booking(
                    person=people[n % len(people)],
                    department=dept,
                    day=day,
                    starts_at=starts,
                    ticket_sequence=seq,
                    ticket_number=f"T{seq:04d}",
                    status=status,
                    kind=kind,
                    arrived_at=arrived,
                    called_at=called,
                    finished_at=finished,
                )
            )
            template = templates[n % len(templates)]
            messages.append(
                Message(
                    template=template,
                    template_version=1,
                    dedupe_key=f"bench-{dept.pk}-{n}",
                    phone="+77010000000",
                    language="ru",
                    text="x",
                    encoding="gsm7",
                    segments=1,
                    department=dept,
                    status=rng.choice(message_statuses),
                )
            )
            if len(bookings) >= 10000:
                _flush(bookings, messages, starts_of=[b.starts_at for b in bookings])
                written += len(bookings)
                bookings, messages = [], []
        _flush(bookings, messages, starts_of=[b.starts_at for b in bookings])
        written += len(bookings)
        slots = []
        for (dept_id, day), count in per_slot_day.items():
            for i in range(48):
                start = dt.datetime.combine(day, dt.time(9), tzinfo=ALMATY) + dt.timedelta(minutes=10 * i)
                slots.append(
                    Slot(department_id=dept_id, day=day, starts_at=start, capacity=1, booked=1 if i < count else 0)
                )
        Slot.objects.bulk_create(slots, batch_size=10000)

    def _flush(bookings: list, messages: list, *, starts_of: list) -> None:
        Booking.objects.bulk_create(bookings, batch_size=5000)
        made = Message.objects.bulk_create(messages, batch_size=5000)
        # the SMS was created the day of its visit (created_at is set on insert: move it)
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE notifications_message SET created_at = %s WHERE id = %s",
                [(s - dt.timedelta(days=1), m.pk) for m, s in zip(made, starts_of, strict=True)],
            )

    region_visits(depts, visits)
    region_visits(depts_other, visits // 10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return region.pk, written


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=100000, help="visits of the region in the year")
    parser.add_argument("--departments", type=int, default=8)
    args = parser.parse_args()
    db_name = os.environ.get("BENCH_REPORTS_DB", "bench_reports")
    env = bench_env(db_name)
    fresh_database(db_name)
    manage(env, "migrate", "--noinput")
    os.environ.update(env)

    import django

    django.setup()
    from django.db import connection

    from portal.reports.registry import ReportScope
    from portal.reports.services import report_build

    t = time.perf_counter()
    region_id, written = seed(args.visits, args.departments)
    seed_s = time.perf_counter() - t
    scope = ReportScope(month=MONTH, region_id=region_id)
    params = {
        "region": region_id,
        "first": scope.first_day,
        "last": scope.last_day,
        "s": scope.starts_at,
        "e": scope.ends_at,
        "keys": queue_template_keys(),
    }

    def baseline() -> tuple[float, dict]:
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, params)
            result = cursor.fetchone()
            names = [c.name for c in cursor.description]
        return time.perf_counter() - t0, dict(zip(names, result, strict=True))

    def build() -> tuple[float, dict]:
        t0 = time.perf_counter()
        report = report_build(key="queue", scope=scope)
        return time.perf_counter() - t0, report.figures

    baseline()  # warm the cache for both
    build()
    baseline_runs = [baseline() for _ in range(5)]
    build_runs = [build() for _ in range(5)]
    baseline_s = min(r[0] for r in baseline_runs)
    build_s = min(r[0] for r in build_runs)
    base = baseline_runs[0][1]
    figures = {s["key"]: {str(r[0]): r[1:] for r in s["rows"]} for s in build_runs[0][1]["sections"]}
    base_of = base

    def minutes(seconds: object, count: int) -> str | None:
        if not count or seconds is None:
            return None
        value = Decimal(str(seconds)) / 60 / count
        return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    expected = {
        "visits": {k: base_of[k] for k in ("booked_in_advance", "walk_ins", "cancelled", "annulled_late", "served")}
        | {"left": base_of["left_"]},
        "s3_waiting": {
            "arrived": base_of["arrived"],
            "measured": base_of["wait_measured"],
            "within_1h": base_of["wait_within"],
            "over_1h": base_of["wait_over"],
            "average_minutes": minutes(base_of["wait_seconds"], base_of["wait_measured"]),
        },
        "s3_service": {
            "measured": base_of["service_measured"],
            "within_1h": base_of["service_within"],
            "over_1h": base_of["service_over"],
            "average_minutes": minutes(base_of["service_seconds"], base_of["service_measured"]),
        },
        "slot_use": {f"№ {n}": [p, t] for n, p, t in base_of["slots"]},
        "sms": {k: base_of[k] for k in ("delivered", "failed", "pending")},
    }
    got = {key: {k: (v[:2] if key == "slot_use" else v[0]) for k, v in rows.items()} for key, rows in figures.items()}
    mismatches = {
        key: {"report": got.get(key), "baseline": want} for key, want in expected.items() if got.get(key) != want
    }
    same = not mismatches and set(got) == set(expected)
    ratio = build_s / baseline_s if baseline_s else None
    met = build_s < 2 and ratio is not None and ratio <= 2
    print(
        json.dumps(
            {
                "visits_in_the_region_year": args.visits,
                "visits_written": written,
                "visits_in_the_month": sum(got["visits"][k] for k in ("booked_in_advance", "walk_ins")),
                "seed_s": round(seed_s, 1),
                "baseline_sql_s": round(baseline_s, 4),
                "report_build_s": round(build_s, 4),
                "ratio_to_baseline": round(ratio, 2) if ratio else None,
                "same_figures": same,
                **({"mismatches": mismatches} if mismatches else {}),
                "target": "under 2 s and within 2x the baseline",
                "within_target": met,
                "table": [row("X-7 queue report (s)", round(build_s, 4), round(baseline_s, 4), "<2 s, <=2x", met)],
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
