"""P-2: the pilot takes only its nosological forms; mucopolysaccharidosis only for children."""

import datetime as dt

import pytest
from django.utils import timezone

from mse_pilot.models import RemoteCase, RoutingDecision
from portal.referrals.models import Referral
from portal.validators import iin_build
from tests.factories import PersonFactory
from tests.mse_pilot.conftest import LIMB_EXAMS, MPS_EXAMS, exams

pytestmark = pytest.mark.django_db


def test_p2_limb_amputation_code_routes_to_the_pilot(window, intake):
    referral, _ = intake("S48.0", exams(*LIMB_EXAMS))
    assert referral.route == Referral.Route.REMOTE_PILOT
    assert RoutingDecision.objects.get(referral=referral).nosology_group.code == "limb_defects"


def test_p2_down_syndrome_code_routes_to_the_pilot(window, intake):
    referral, _ = intake("Q90.9")
    assert referral.route == Referral.Route.REMOTE_PILOT
    assert RoutingDecision.objects.get(referral=referral).nosology_group.code == "down_syndrome"


def test_p2_a_code_outside_the_forms_stays_in_person_with_its_reason(window, intake):
    # a stroke, and the category Q71 alone (the act lists only Q71.0-Q71.3)
    for code in ("I63.5", "Q71"):
        referral, _ = intake(code, [])
        assert referral.route == Referral.Route.IN_PERSON
        decision = RoutingDecision.objects.get(referral=referral)
        assert (decision.remote, decision.reason) == (False, RoutingDecision.Reason.NO_NOSOLOGY)
    assert not RemoteCase.objects.exists()


def _born(day: dt.date, serial: int):
    return PersonFactory(birth_date=day, iin=iin_build(day, female=True, serial=serial))


def test_p2_mucopolysaccharidosis_of_a_child_routes_to_the_pilot(window, intake):
    signed_at = timezone.now() - dt.timedelta(hours=1)
    day = timezone.localdate(signed_at)
    # turns 18 tomorrow: 17 on the signing day
    child = _born(day.replace(year=day.year - 18) + dt.timedelta(days=1), 500)
    referral, _ = intake("E76.1", exams(*MPS_EXAMS), who=child, signed_at=signed_at)
    assert referral.route == Referral.Route.REMOTE_PILOT


def test_p2_mucopolysaccharidosis_at_18_on_the_signing_day_stays_in_person(window, intake):
    signed_at = timezone.now() - dt.timedelta(hours=1)
    day = timezone.localdate(signed_at)
    adult = _born(day.replace(year=day.year - 18), 520)  # 18th birthday on the signing day
    referral, _ = intake("E76.1", exams(*MPS_EXAMS), who=adult, signed_at=signed_at)
    assert referral.route == Referral.Route.IN_PERSON
    assert RoutingDecision.objects.get(referral=referral).reason == RoutingDecision.Reason.ADULT
