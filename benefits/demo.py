"""Demo data of the benefits (called by ``manage.py load_demo`` after the core's people): the state
records of three deceased people in the demo state-data backend, a funeral payment application of the
demo citizen for the first, the second left for applying live on the portal, and a proactive SMS offer
to the demo parent for the third. Safe to run again: nothing is duplicated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from benefits.models import Application, ProactiveOffer, Programme
from benefits.services import funeral_application_file, proactive_offer_create, proactive_offer_link
from portal.people.models import Person
from portal.statedata.models import DemoRecord
from portal.statedata.systems import CIVIL_REGISTRY_DEATH, RECIPIENT_STATUS
from portal.validators import iin_build

CITIZEN_IIN = iin_build(dt.date(1978, 5, 12), female=False, serial=4101)  # load_demo's "citizen"
PARENT_IIN = iin_build(dt.date(1990, 9, 3), female=True, serial=4202)  # load_demo's "parent"
DECEASED = [
    # (IIN, date of death, certificate, what they received until that day)
    (iin_build(dt.date(1941, 2, 20), female=False, serial=4901), dt.date(2026, 1, 14), "I-ДЕМО-0001", "age_pension"),
    (iin_build(dt.date(1950, 7, 8), female=True, serial=4902), dt.date(2025, 11, 3), "I-ДЕМО-0002", "basic_pension"),
    (iin_build(dt.date(1948, 3, 1), female=True, serial=4903), dt.date(2026, 2, 2), "I-ДЕМО-0003", "social_benefit"),
]


def _state_records() -> None:
    for iin, died, certificate, kind in DECEASED:
        DemoRecord.objects.get_or_create(
            system=CIVIL_REGISTRY_DEATH,
            key=iin,
            defaults={"data": {"death_date": died.isoformat(), "certificate_number": certificate}, "note": "demo"},
        )
        DemoRecord.objects.get_or_create(
            system=RECIPIENT_STATUS,
            key=iin,
            defaults={
                "valid_from": dt.date(2006, 1, 1),
                "valid_until": died,
                "data": {"kinds": [kind], "wwii_veteran": False},
                "note": "demo",
            },
        )


def seed(*, stdout: Any) -> None:
    _state_records()
    citizen = Person.objects.filter(iin=CITIZEN_IIN).first()
    parent = Person.objects.filter(iin=PARENT_IIN).first()
    first, second, third = (d[0] for d in DECEASED)
    if citizen is not None and not Application.objects.filter(programme=Programme.FUNERAL, subject_iin=first).exists():
        application = funeral_application_file(
            deceased_iin=first, channel="portal", applicant=citizen, confirmed_by="sms_code", now=timezone.now()
        )
        stdout.write(f"  funeral payment application {application.number or application.refusal_code}\n")
    stdout.write(f"  a deceased to apply for on the portal (IIN): {second}\n")
    if parent is not None:
        offer = ProactiveOffer.objects.filter(person=parent, subject_iin=third).first()
        if offer is None:
            offer = proactive_offer_create(person=parent, deceased_iin=third)
        stdout.write(f"  proactive offer link: {proactive_offer_link(offer)}\n")
