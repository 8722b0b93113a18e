"""Benchmark: the remote pilot's distributor (P-6) assigning 10,000 draft acts over 500 experts.

Needs PostgreSQL (BENCH_PG, default postgres://postgres@127.0.0.1:5432; its own database
``portal_bench_pilot``)::

    .venv/bin/python bench/bench_pilot_distribution.py --acts 10000 --experts 500

Measured in the same run, on the same data:

- ``baseline_round_robin``: one SQL statement that assigns every act the next expert-head in turn
  (no region, competence or load rule, no reason, no work record), rolled back afterwards;
- ``distributor``: ``mse_pilot.services.cases_distribute_all`` (the nosology pilot's panel of one
  expert-head from another region, the least loaded, then the least recently given; reason stored;
  the registry's work record written), batch by batch as beat runs it;
- ``distributor_doctor_engagement``: the same distributor on a second set of ``--acts`` draft acts
  on a day of the doctor-engagement pilot (E-8: a panel of an expert-head, a chief specialist and a
  doctor-expert per act, so three members each), ``--experts`` new experts split over the three
  roles (the first scenario's experts out of the pool).

Reports acts/s and the largest load difference between two experts of one role (target at most 1;
target under 10 s each). Benchmarks measure; they never assert. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import bench_env, fresh_database, manage  # noqa: E402

DB = os.environ.get("BENCH_PILOT_DB", "portal_bench_pilot")  # a separate database per checkout
REGIONS = 17

ROUND_ROBIN = """
INSERT INTO mse_pilot_panelassignment
    (case_id, person_id, expert_id, role, seat, assigned_at, due_at, status, reason, rule_version,
     decline_reason, created_at, updated_at)
SELECT c.id, c.person_id, e.ids[((c.n - 1) % e.k) + 1], 'expert_head', 1, now(), c.due_at, 'assigned',
       '{}'::jsonb, 'round-robin baseline', '', now(), now()
FROM (SELECT id, person_id, due_at, row_number() OVER (ORDER BY received_at, id) AS n
      FROM mse_pilot_remotecase WHERE stage = 'waiting') c,
     (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS k
      FROM expert_registry_expert WHERE position = 'expert_head' AND status = 'active') e
"""


def _progress(what: str) -> None:
    print(f"[bench] {what}", file=sys.stderr, flush=True)


def _seed_places() -> dict[str, list]:
    """The regions (one ATU, one MSE department and one DAMU organisation each) and the MIS."""
    from portal.accounts.models import Integrator, User
    from portal.referrals.models import MedicalOrganisation, MisVendor
    from portal.territory.models import Atu, MseDepartment, Region
    from portal.validators import bin_build

    integrator = Integrator.objects.create(
        name="Bench MIS", kind=Integrator.Kind.MIS, user=User.objects.create(username="bench-mis")
    )
    regions = [
        Region.objects.get_or_create(kato=f"{10 + i:02d}0000000", defaults={"name_ru": f"Регион {i}"})[0]
        for i in range(REGIONS)
    ]
    atus = [
        Atu.objects.get_or_create(
            kato=f"{10 + i:02d}1000000", defaults={"region": r, "kind": Atu.Kind.DISTRICT, "name_ru": f"Район {i}"}
        )[0]
        for i, r in enumerate(regions)
    ]
    departments = [
        MseDepartment.objects.create(
            region=r, number=1, name_ru=f"Отдел МСЭ {i}", city_ru="Город", street_ru="ул.", house="1", room_ru="1"
        )
        for i, r in enumerate(regions)
    ]
    orgs = [
        MedicalOrganisation.objects.create(
            name_ru=f"Поликлиника {i}",
            bin=bin_build(dt.date(2005, 1, 1), serial=i + 1),
            region=r,
            mis_vendor=MisVendor.DAMU,
            integrator=integrator,
        )
        for i, r in enumerate(regions)
    ]
    return {"regions": regions, "atus": atus, "departments": departments, "orgs": orgs}


def _seed(
    places: dict[str, list],
    *,
    acts: int,
    experts: list[tuple[str, int]],
    now: dt.datetime,
    label: str,
    first_birth_year: int,
) -> list[int]:
    """``acts`` draft acts received just before ``now`` and the experts of each (position, count),
    competent for every form; returns the experts' ids. Doctor-experts are independent (no region:
    another region for every person); the MSE department's staff are spread over the regions."""
    from expert_registry.models import Expert
    from mse_pilot.models import RemoteCase
    from portal.nosology.models import NosologyGroup
    from portal.people.models import Person
    from portal.referrals.models import Referral
    from portal.validators import iin_build

    groups = list(NosologyGroup.objects.all())
    regions, atus, departments, orgs = places["regions"], places["atus"], places["departments"], places["orgs"]
    total_experts = sum(n for _, n in experts)

    def born(i: int) -> dt.date:
        return dt.date(first_birth_year + i % 40, 1 + i % 12, 1 + i % 28)

    people = Person.objects.bulk_create(
        [
            Person(
                iin=iin_build(born(i), female=bool(i % 2), serial=i + 1),
                last_name="Бенч",
                first_name=f"{label}{i}",
                birth_date=born(i),
                registration_atu=atus[i % REGIONS],
            )
            for i in range(acts + total_experts)
        ],
        batch_size=2000,
    )
    rows = []
    n = 0
    for position, count in experts:
        independent = position == Expert.Position.DOCTOR_EXPERT
        for _ in range(count):
            rows.append(
                Expert(
                    person=people[acts + n],
                    kind=Expert.Kind.INDEPENDENT if independent else Expert.Kind.DEPARTMENT_STAFF,
                    position=position,
                    department=None if independent else departments[n % REGIONS],
                    region=None if independent else regions[n % REGIONS],
                    status=Expert.Status.ACTIVE,
                    status_since=now.date() - dt.timedelta(days=300),
                )
            )
            n += 1
    staff = Expert.objects.bulk_create(rows)
    through = Expert.nosology_groups.through
    through.objects.bulk_create([through(expert_id=e.pk, nosologygroup_id=g.pk) for e in staff for g in groups])
    signed = now - dt.timedelta(days=1)
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                person=people[i],
                medical_organisation=orgs[i % REGIONS],
                external_id=f"{label}-{i}",
                icd10="Q90",
                signed_at=signed,
                vkk_chair_name="Бенч",
                valid_until=signed + dt.timedelta(days=30),
                status=Referral.Status.ROUTED,
                route=Referral.Route.REMOTE_PILOT,
            )
            for i in range(acts)
        ],
        batch_size=2000,
    )
    RemoteCase.objects.bulk_create(
        [
            RemoteCase(
                referral=r,
                person_id=r.person_id,
                nosology_group=groups[i % len(groups)],
                received_at=now - dt.timedelta(seconds=acts - i),
                due_at=now + dt.timedelta(hours=8),
                due_reading="same_day",
            )
            for i, r in enumerate(referrals)
        ],
        batch_size=2000,
    )
    return [e.pk for e in staff]


def _distribute(*, now: dt.datetime, batch: int) -> tuple[Any, float]:
    """``cases_distribute_all`` as beat runs it (profiled when BENCH_PROFILE is set): its run and seconds."""
    from mse_pilot.services import cases_distribute_all

    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        run = profile.runcall(cases_distribute_all, now=now, limit=batch)
        if os.environ.get("BENCH_PROFILE_OUT"):
            profile.dump_stats(f"{os.environ['BENCH_PROFILE_OUT']}.{now:%Y}")
        pstats.Stats(profile, stream=sys.stderr).sort_stats(
            os.environ.get("BENCH_PROFILE_SORT", "cumulative")
        ).print_stats(40)
    else:
        run = cases_distribute_all(now=now, limit=batch)
    return run, time.perf_counter() - start


def _figures(run: Any, seconds: float, *, assigned_at: dt.datetime) -> dict[str, Any]:
    """The run's acts/s and, per role, the largest load difference between two of its experts."""
    from collections import Counter

    from mse_pilot.models import PanelAssignment

    rows = PanelAssignment.objects.filter(assigned_at=assigned_at).values_list("role", "expert_id")
    loads = Counter(rows)
    per_role: dict[str, list[int]] = {}
    for (role, _expert), n in loads.items():
        per_role.setdefault(role, []).append(n)
    return {
        "assigned": len(run.assigned),
        "waiting": len(run.waiting),
        "members_assigned": sum(loads.values()),
        "seconds": round(seconds, 3),
        "acts_per_s": round(len(run.assigned) / seconds, 1) if seconds else None,
        "max_load_difference_per_role": {role: max(v) - min(v) for role, v in sorted(per_role.items())},
        "experts_used_per_role": {role: len(v) for role, v in sorted(per_role.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--acts", type=int, default=10_000)
    parser.add_argument("--experts", type=int, default=500)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    env = bench_env(DB)
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    _progress("fresh database, migrate")
    fresh_database(DB)
    manage(env, "migrate", "--noinput")
    os.environ.update(env)
    import django

    django.setup()
    from collections import Counter

    from django.db import connection, transaction

    from expert_registry.models import Expert
    from mse_pilot.models import PanelAssignment
    from portal.workcal.services import working_calendar

    zone = dt.timezone(dt.timedelta(hours=5))  # Almaty
    working_calendar()
    places = _seed_places()

    # Scenario 1 (P-6): Tuesday 25 November 2025, 10:00, inside act 001's window, a working day.
    now = dt.datetime(2025, 11, 25, 10, 0, tzinfo=zone)
    _progress(f"nosology pilot: seed {args.acts} draft acts, {args.experts} expert-heads")
    first_experts = _seed(
        places,
        acts=args.acts,
        experts=[(Expert.Position.EXPERT_HEAD, args.experts)],
        now=now,
        label="P6",
        first_birth_year=1960,
    )

    _progress("baseline: one round-robin INSERT ... SELECT")
    with transaction.atomic():
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(ROUND_ROBIN)
            baseline_rows = cursor.rowcount
        baseline_s = time.perf_counter() - start
        baseline_loads = Counter(PanelAssignment.objects.values_list("expert_id", flat=True))
        transaction.set_rollback(True)

    _progress("distributor: nosology pilot")
    run, seconds = _distribute(now=now, batch=args.batch)
    nosology = _figures(run, seconds, assigned_at=now)

    # Scenario 2 (E-8): Tuesday 26 November 2024, 10:00, inside act 002's programme and before its
    # doctor-experts' 30 November: a panel of an expert-head, a chief specialist (both of another
    # region) and a doctor-expert per act. The first scenario's experts leave the pool (their
    # contracts ended) so that each role's loads start level.
    now_e8 = dt.datetime(2024, 11, 26, 10, 0, tzinfo=zone)
    Expert.objects.filter(pk__in=first_experts).update(status=Expert.Status.INCLUDED)
    per_role = args.experts // 3
    e8_experts = [
        (Expert.Position.EXPERT_HEAD, args.experts - 2 * per_role),
        (Expert.Position.CHIEF_SPECIALIST, per_role),
        (Expert.Position.DOCTOR_EXPERT, per_role),
    ]
    _progress(f"doctor-engagement pilot: seed {args.acts} draft acts, {args.experts} experts over three roles")
    _seed(places, acts=args.acts, experts=e8_experts, now=now_e8, label="E8", first_birth_year=1920)
    _progress("distributor: doctor-engagement pilot")
    run_e8, seconds_e8 = _distribute(now=now_e8, batch=args.batch)
    engagement = _figures(run_e8, seconds_e8, assigned_at=now_e8)

    result = {
        "acts": args.acts,
        "experts": args.experts,
        "batch": args.batch,
        "baseline_round_robin": {
            "rows": baseline_rows,
            "seconds": round(baseline_s, 3),
            "acts_per_s": round(baseline_rows / baseline_s, 1) if baseline_s else None,
            "max_load_difference": max(baseline_loads.values()) - min(baseline_loads.values()),
        },
        "distributor": nosology,
        "distributor_doctor_engagement": {"experts_per_role": dict(e8_experts)} | engagement,
        "target": {"seconds_under": 10, "max_load_difference_at_most": 1},
        "ratio_baseline_over_distributor": round((baseline_rows / baseline_s) / (len(run.assigned) / seconds), 1)
        if seconds and baseline_s and run.assigned
        else None,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
