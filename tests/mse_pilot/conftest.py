"""Fixtures of the remote pilot's tests: an Akmola organisation on DAMU (seeded from 1 July 2025),
a pilot window around today (the act's own, seeded, ended on 21.06.2026), and a signed intake."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mse_pilot.models import PilotWindow
from portal.accounts.scopes import Scope
from portal.accounts.services import api_token_create
from portal.referrals.services import referral_intake
from tests.factories import MedicalOrganisationFactory, PersonFactory
from tests.signing import sign_intake, signed

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
INTAKE_URL = "/api/v1/referrals/"

# P-3's mandatory examinations as the MIS sends them (the seeded codes)
LIMB_EXAMS = ["inpatient_extract", "orthopaedist_conclusion", "xray_limb", "radiologist_conclusion"]
DOWN_EXAMS = [
    "karyotype",
    "geneticist_conclusion",
    "neurologist_conclusion",
    "psychiatrist_conclusion",
    "pmpc_conclusion",
]
MPS_EXAMS = ["dna_mutation_test"]


def almaty(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ALMATY)


def exams(*codes: str) -> list[dict]:
    return [{"code": c, "title": c} for c in codes]


@pytest.fixture
def window(db):
    """An extension of the pilot around today (the act's own window has ended)."""
    today = timezone.localdate()
    return PilotWindow.objects.create(
        name="extension (test)", starts_on=today - dt.timedelta(days=60), ends_on=today + dt.timedelta(days=60)
    )


@pytest.fixture
def organisation(integrator):
    return MedicalOrganisationFactory(integrator=integrator)  # Akmola (110000000), DAMU


@pytest.fixture
def person(db):
    return PersonFactory()


@pytest.fixture
def intake(integrator, organisation, person):
    """Submit a signed form 031/u through the service; returns (referral, created)."""
    counter = iter(range(1, 10_000))

    def submit(icd10="Q90", examinations=None, *, who=None, org=None, signed_at=None):
        fields = {
            "person_iin": (who or person).iin,
            "organisation_bin": (org or organisation).bin,
            "external_id": f"031-P-{next(counter)}",
            "icd10": icd10,
            "signed_at": signed_at or timezone.now() - dt.timedelta(hours=1),
            "vkk_chair_name": "Ахметова Г. С.",
            "examinations": exams(*DOWN_EXAMS) if examinations is None else examinations,
        }
        return referral_intake(integrator=integrator, **sign_intake(fields))

    return submit


@pytest.fixture
def api(integrator):
    _token, key = api_token_create(
        integrator=integrator, name="pilot", scopes=[Scope.REFERRALS_WRITE, Scope.REFERRALS_READ]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def payload(person, organisation):
    def build(icd10="Q90", codes=DOWN_EXAMS, external_id="031-API-1"):
        return signed(
            {
                "person_iin": person.iin,
                "organisation_bin": organisation.bin,
                "external_id": external_id,
                "icd10": icd10,
                "signed_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
                "vkk_chair_name": "Ахметова Г. С.",
                "examinations": exams(*codes),
            }
        )

    return build
