"""Demo data of the electronic queue: the Akmola pilot, schedules, slots and a few bookings.

On a working day with free time left, one booking is for later today, so the staff desk has
someone to check in.

Run after the core's demo loader (regions, ATUs, departments); what it does not find it creates
minimally. Safe to run again: nothing is duplicated.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portal.consent.models import Consent
from portal.people.models import Person
from portal.referrals.models import MedicalOrganisation, MisVendor, Referral
from portal.territory.models import Atu, MseDepartment, Region
from portal.validators import bin_build, iin_build
from queue_booking import selectors, services
from queue_booking.models import Booking, Pilot, ReceptionSchedule

AKMOLA_KATO = "110000000"
ACT_NAME = "Joint order No. 347 / No. 136 / No. 571/НҚ (electronic queue pilot, Akmola region)"
ACT_REFERENCE = "MLSP No. 347 of 04.11.2025, MoH No. 136 of 05.11.2025, MAIDD No. 571/НҚ of 11.11.2025"
DEMO_NAME = "Akmola pilot (demo extension)"


def _region(stdout) -> Region:
    region = Region.objects.filter(kato=AKMOLA_KATO).first()
    if region is None:
        region = Region.objects.create(
            kato=AKMOLA_KATO, name_kk="Ақмола облысы", name_ru="Акмолинская область", name_en="Akmola Region"
        )
        stdout.write("  created region Akmola (the core demo loader had not run)\n")
    return region


def _departments(region: Region, stdout) -> list[MseDepartment]:
    departments = list(MseDepartment.objects.filter(region=region, is_active=True).order_by("number"))
    if departments:
        return departments
    atu, _ = Atu.objects.get_or_create(
        kato="111000000",
        defaults={"region": region, "kind": Atu.Kind.CITY, "name_kk": "Көкшетау қаласы", "name_ru": "г. Кокшетау"},
    )
    department = MseDepartment.objects.create(
        region=region,
        number=1,
        name_kk="№ 1 МӘС бөлімі",
        name_ru="Отдел МСЭ № 1",
        name_en="MSE department No. 1",
        city_kk="Көкшетау",
        city_ru="Кокшетау",
        city_en="Kokshetau",
        street_kk="Абай көшесі",
        street_ru="ул. Абая",
        street_en="Abai Street",
        house="96",
        room_kk="12-кабинет",
        room_ru="каб. 12",
        room_en="room 12",
    )
    department.atus.add(atu)
    stdout.write("  created MSE department No. 1 (the core demo loader had not run)\n")
    return [department]


def _pilot(region: Region, today: dt.date) -> None:
    # The act: last signature 11.11.2025, in force from 22.11.2025 for 12 months (until 21.11.2026).
    starts_on, ends_on = services.pilot_window(last_signed_on=dt.date(2025, 11, 11))
    act, _ = Pilot.objects.get_or_create(
        name=ACT_NAME,
        defaults={
            "order_reference": ACT_REFERENCE,
            "last_signed_on": dt.date(2025, 11, 11),
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    act.regions.add(region)
    if act.is_open_on(today):
        return
    # The act's window ended on 21 November 2026. The demo assumes the pilot was extended by a new
    # order, so the queue can be tried out today: a window of a year around today.
    demo, _ = Pilot.objects.get_or_create(
        name=DEMO_NAME,
        defaults={
            "order_reference": "demo: assumed extension by a new order",
            "starts_on": today - dt.timedelta(days=30),
            "ends_on": today + dt.timedelta(days=335),
            "note": "Demo data only: the act's window ended on 21.11.2026.",
        },
    )
    if not demo.is_open_on(today):
        demo.starts_on, demo.ends_on = today - dt.timedelta(days=30), today + dt.timedelta(days=335)
        demo.save(update_fields=["starts_on", "ends_on", "updated_at"])
    demo.regions.add(region)


def _demo_referrals(region: Region, department: MseDepartment, now: dt.datetime) -> list[Referral]:
    from portal.accounts.services import integrator_create

    org = MedicalOrganisation.objects.filter(region=region).first()
    if org is None:
        from portal.accounts.models import Integrator

        integrator = Integrator.objects.filter(name="Demo MIS (queue)").first() or integrator_create(
            name="Demo MIS (queue)", kind="mis"
        )
        org = MedicalOrganisation.objects.create(
            name_kk="Көкшетау қаласының № 1 қалалық емханасы (demo)",
            name_ru="Кокшетауская городская поликлиника № 1 (demo)",
            name_en="Kokshetau City Polyclinic No. 1 (demo)",
            bin=bin_build(dt.date(2005, 1, 1), serial=4242),
            region=region,
            mis_vendor=MisVendor.DAMU,
            integrator=integrator,
        )
    atu = department.atus.first()
    today = timezone.localdate(now)
    referrals = []
    for i, (last, first) in enumerate([("Жумабеков", "Асхат"), ("Ахметова", "Гульнара"), ("Ким", "Виктор")]):
        iin = iin_build(dt.date(1970 + i * 7, 4, 12), female=i == 1, serial=7100 + i * 20)
        person, _ = Person.objects.get_or_create(
            iin=iin,
            defaults={
                "last_name": last,
                "first_name": first,
                "birth_date": dt.date(1970 + i * 7, 4, 12),
                "phone": f"+7701555{i:04d}",
                "registration_atu": atu,
                "registration_address": f"{department.city_ru}, ул. Ауэзова, {10 + i}",
            },
        )
        referral = next(
            (
                r
                for r in Referral.objects.filter(
                    medical_organisation=org, person=person, external_id__startswith=f"DEMO-Q-{i + 1}-"
                )
                if r.is_valid_at(now)
            ),
            None,
        )
        if referral is None:  # the referral is valid one month: a later run makes a fresh one
            referral, _ = Referral.objects.get_or_create(
                medical_organisation=org,
                external_id=f"DEMO-Q-{i + 1}-{today:%Y%m%d}",
                defaults={
                    "person": person,
                    "icd10": "I63.5",
                    "diagnosis_text": "demo",
                    "signed_at": now - dt.timedelta(days=2),
                    "vkk_chair_name": "Ахметова Г. С.",
                    "status": Referral.Status.ROUTED,
                    "route": Referral.Route.IN_PERSON,
                },
            )
        referrals.append(referral)
    return referrals


def _booking_today(department: MseDepartment, referrals: list[Referral], now: dt.datetime, stdout) -> int:
    """Give the desk a visit today: the first demo referral without an active booking takes the
    first free time left today. Nothing on a day off or when today's times are over or taken."""
    today = timezone.localdate(now)
    if Booking.objects.filter(department=department, day=today, status__in=Booking.ACTIVE_STATUSES).exists():
        return 0
    slots = [s for s in selectors.available_slots(department=department, day=today, now=now) if s.free]
    referral = next((r for r in referrals if not r.bookings.filter(status__in=Booking.ACTIVE_STATUSES).exists()), None)
    if not slots or referral is None:
        stdout.write("  no booking today (a day off, or no free time left today)\n")
        return 0
    services.booking_create(
        referral=referral, slot_id=slots[0].pk, actor=referral.person, now=now, consent_channel=Consent.Channel.PORTAL
    )
    stdout.write(f"  a booking today at {timezone.localtime(slots[0].starts_at):%H:%M} for the desk\n")
    return 1


@transaction.atomic
def seed(*, stdout, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now)
    stdout.write("queue_booking: electronic queue demo\n")
    region = _region(stdout)
    _pilot(region, today)
    departments = _departments(region, stdout)
    horizon = today + dt.timedelta(days=60)
    for department in departments:
        for year in sorted({today.year, horizon.year}):
            schedule, _ = ReceptionSchedule.objects.get_or_create(
                department=department, year=year, defaults={"capacity_per_slot": 1}
            )
            services.reception_schedule_publish(schedule=schedule, now=now)
    stdout.write(f"  pilot, schedules and slots for {len(departments)} department(s)\n")

    department = departments[0]
    referrals = _demo_referrals(region, department, now)
    made = _booking_today(department, referrals, now, stdout)
    for referral in referrals:
        if referral.bookings.exists():
            continue
        dates = selectors.available_dates(department=department, now=now)
        if not dates:
            break
        slots = selectors.available_slots(department=department, day=dates[min(made + 1, len(dates) - 1)], now=now)
        if not slots:
            continue
        # each demo person books for themselves and consents on the booking page, as a citizen would.
        services.booking_create(
            referral=referral,
            slot_id=slots[0].pk,
            actor=referral.person,
            now=now,
            consent_channel=Consent.Channel.PORTAL,
        )
        made += 1
    total = Booking.objects.filter(department=department).count()
    stdout.write(f"  {made} new booking(s); {total} in department No. {department.number}\n")
