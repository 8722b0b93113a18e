"""Seed a benchmark database: identical departments with a year and more of schedule each.

Run as ``python -m bench.seed_queue N CAPACITY [LAST_PLACE]`` with DJANGO_SETTINGS_MODULE set; prints JSON:
the API token and, per department, the referrals to book. The people have consented to the
processing of personal data beforehand (Q-12), so the benchmark measures a booking's usual path:
the consent is read, not written.
"""

import datetime as dt
import json
import sys

import django


def main(n: int, capacity: int, last_place: int = 64) -> None:
    django.setup()
    from django.utils import timezone

    from portal.accounts.scopes import scope_values
    from portal.accounts.services import api_token_create, integrator_create
    from portal.consent.models import Consent
    from portal.people.models import Person
    from portal.referrals.models import MedicalOrganisation, MisVendor, Referral, referral_valid_until
    from portal.territory.models import Atu, MseDepartment, Region
    from portal.validators import bin_build, iin_build
    from queue_booking.models import Pilot, ReceptionSchedule
    from queue_booking.services import reception_schedule_publish

    now = timezone.now()
    today = timezone.localdate(now)
    region = Region.objects.create(kato="110000000", name_ru="Акмолинская область", name_kk="Ақмола облысы")
    pilot = Pilot.objects.create(
        name="bench", starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=400)
    )
    pilot.regions.add(region)
    integrator = integrator_create(name="bench MIS", kind="mis")
    _token, key = api_token_create(
        integrator=integrator, name="bench", scopes=scope_values(integrator_kind=integrator.kind)
    )
    org = MedicalOrganisation.objects.create(
        name_ru="bench clinic",
        bin=bin_build(dt.date(2005, 1, 1), serial=1),
        region=region,
        mis_vendor=MisVendor.DAMU,
        integrator=integrator,
    )
    out = {"token": key, "departments": {}}
    serial = 0
    # "last_place": as many people as clients race for one department's last place
    for label, number, size in (("api", 1, n), ("baseline", 2, n), ("same_work", 3, n), ("last_place", 4, last_place)):
        atu = Atu.objects.create(
            region=region,
            kind=Atu.Kind.DISTRICT,
            kato=f"11{number:07d}",
            name_ru=f"Район {number}",
            name_kk=f"{number}",
        )
        dept = MseDepartment.objects.create(
            region=region,
            number=number,
            name_ru=f"Отдел {number}",
            name_kk=f"{number}",
            city_ru="Кокшетау",
            street_ru="ул. Абая",
            house="1",
            room_ru="1",
        )
        dept.atus.add(atu)
        # a full year of schedule and more: this year and next
        for year in (today.year, today.year + 1):
            schedule = ReceptionSchedule.objects.create(department=dept, year=year, capacity_per_slot=capacity)
            reception_schedule_publish(schedule=schedule, now=now)
        people = []
        for _ in range(size):
            serial += 20
            birth = dt.date(1960 + serial % 40, 1 + serial % 12, 1 + serial % 28)
            people.append(
                Person(
                    iin=iin_build(birth, female=False, serial=serial % 9000),
                    last_name="Bench",
                    first_name=str(serial),
                    birth_date=birth,
                    phone=f"+7701{serial:07d}",
                    registration_atu=atu,
                )
            )
        people = Person.objects.bulk_create(people)
        Consent.objects.bulk_create(
            Consent(
                subject=p,
                given_by=p,
                scope=Consent.Scope.PERSONAL_DATA,
                purpose="bench",
                channel=Consent.Channel.PORTAL,
                given_at=now,
            )
            for p in people
        )
        referrals = []
        for p in people:
            r = Referral(
                person=p,
                medical_organisation=org,
                external_id=f"bench-{p.iin}",
                icd10="I63.5",
                signed_at=now - dt.timedelta(days=1),
                vkk_chair_name="bench",
                status=Referral.Status.ROUTED,
                route=Referral.Route.IN_PERSON,
            )
            r.valid_until = referral_valid_until(r.signed_at)
            referrals.append(r)
        Referral.objects.bulk_create(referrals)
        out["departments"][label] = {
            "id": dept.pk,
            "referrals": [{"id": str(r.public_id), "iin": r.person.iin} for r in referrals],
        }
    print("BENCH_SEED=" + json.dumps(out))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), *(int(a) for a in sys.argv[3:4]))
