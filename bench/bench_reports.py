"""Benchmark: the queue's monthly report (X-7) of one region over a year of queue data.

Needs PostgreSQL (BENCH_PG, default postgres://postgres@127.0.0.1:5432; the database BENCH_REPORTS_DB,
default ``bench_reports``, is dropped and created)::

    .venv/bin/python bench/bench_reports.py --visits 100000 --departments 8

Seeds one region with ``--departments`` departments and a year (November 2025 - October 2026) of
visits (booked, walk-ins, cancelled, annulled, served with arrival and end times), the slots they
took and one queue SMS per visit; a second region gets a tenth as much, so that the region's filter
has something to leave out. Measured in the same run, on the same data:

- ``baseline_sql_s``: one hand-written SQL statement computing the same figures for October 2026
  (the visit counts and S-3 times, the slot use per department, the SMS counts) and fetching them;
- ``report_build_s``: ``portal.reports.services.report_build`` of the queue's report for the region
  and the month (the registered build's aggregate queries and the upsert of the stored row);
- ``same_figures``: the report's figures equal the baseline's.

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
WITH v AS (
  SELECT COUNT(*) FILTER (WHERE b.kind = 'booked') AS booked_in_advance,
         COUNT(*) FILTER (WHERE b.kind = 'walk_in') AS walk_ins,
         COUNT(*) FILTER (WHERE b.status = 'cancelled') AS cancelled,
         COUNT(*) FILTER (WHERE b.status = 'annulled') AS annulled_late,
         COUNT(*) FILTER (WHERE b.status = 'served') AS served,
         COUNT(*) FILTER (WHERE b.status = 'left') AS left_,
         COUNT(*) FILTER (WHERE b.arrived_at IS NOT NULL) AS arrived,
         COUNT(*) FILTER (WHERE b.status = 'served' AND b.arrived_at IS NOT NULL AND b.finished_at IS NOT NULL)
           AS finished,
         SUM(EXTRACT(EPOCH FROM b.finished_at - b.arrived_at))
           FILTER (WHERE b.status = 'served' AND b.arrived_at IS NOT NULL AND b.finished_at IS NOT NULL) AS seconds,
         COUNT(*) FILTER (WHERE b.status = 'served' AND b.finished_at - b.arrived_at <= interval '1:00') AS within_1h,
         COUNT(*) FILTER (WHERE b.status = 'served' AND b.finished_at - b.arrived_at <= interval '2:00') AS within_2h,
         COUNT(*) FILTER (WHERE b.status = 'served' AND b.finished_at - b.arrived_at > interval '2:00') AS over_2h
  FROM queue_booking_booking b JOIN territory_msedepartment d ON d.id = b.department_id
  WHERE d.region_id = %(region)s AND b.day >= %(first)s AND b.day <= %(last)s
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
  WHERE d.region_id = %(region)s AND t.key LIKE 'queue\\_%%' AND m.created_at >= %(s)s AND m.created_at < %(e)s
)
SELECT v.*, s.slots, m.delivered, m.failed, m.pending FROM v, s, m
"""


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
    templates = list(Template.objects.filter(key__startswith="queue_"))
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
            arrived = finished = None
            if status in (Booking.Status.SERVED, Booking.Status.LEFT):
                arrived = starts - dt.timedelta(minutes=rng.randrange(0, 15))
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


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


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
    }

    def baseline() -> tuple[float, tuple]:
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, params)
            result = cursor.fetchone()
        return time.perf_counter() - t0, result

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
    minutes = (Decimal(str(base[8])) / 60 / base[7]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    same = (
        [figures["visits"][k][0] for k in ("booked_in_advance", "walk_ins", "cancelled", "annulled_late", "served")]
        == list(base[0:5])
        and figures["visits"]["left"][0] == base[5]
        and figures["s3_times"]["arrived"][0] == base[6]
        and figures["s3_times"]["finished"][0] == base[7]
        and _decimal(figures["s3_times"]["average_minutes"][0]) == minutes
        and [figures["s3_times"][k][0] for k in ("within_1h", "within_2h", "over_2h")] == list(base[9:12])
        and [[f"№ {n}", p, t] for n, p, t in base[12]] == [[k, *v[:2]] for k, v in figures["slot_use"].items()]
        and [figures["sms"][k][0] for k in ("delivered", "failed", "pending")] == list(base[13:16])
    )
    ratio = build_s / baseline_s if baseline_s else None
    met = build_s < 2 and ratio is not None and ratio <= 2
    print(
        json.dumps(
            {
                "visits_in_the_region_year": args.visits,
                "visits_written": written,
                "visits_in_the_month": sum(figures["visits"][k][0] for k in ("booked_in_advance", "walk_ins")),
                "seed_s": round(seed_s, 1),
                "baseline_sql_s": round(baseline_s, 4),
                "report_build_s": round(build_s, 4),
                "ratio_to_baseline": round(ratio, 2) if ratio else None,
                "same_figures": same,
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
