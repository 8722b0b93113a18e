"""P-1: the pilot's rollout per region and MIS vendor, and its window, as data; routing by them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mse_pilot.models import PilotWindow, RemoteCase, RolloutStart, RoutingDecision
from portal.referrals.models import MisVendor, Referral
from tests.factories import MedicalOrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_p1_seeded_rollout_reads_the_acts_footnotes_per_vendor_and_marks_the_merged_cells():
    rows = RolloutStart.objects.all()
    # 20 health departments (rows 2-21 of appendix 1) x the five vendors the footnotes name
    assert rows.count() == 100
    akmola_damu = RolloutStart.objects.get(region_kato="110000000", mis_vendor=MisVendor.DAMU)
    assert akmola_damu.starts_on == dt.date(2025, 7, 1)
    abai_avicenna = RolloutStart.objects.get(region_kato="100000000", mis_vendor=MisVendor.AVICENNA)
    assert abai_avicenna.starts_on == dt.date(2025, 8, 1)
    shymkent_infomed = RolloutStart.objects.get(region_kato="790000000", mis_vendor=MisVendor.INFOMED)
    assert shymkent_infomed.starts_on == dt.date(2025, 8, 1)
    assert not rows.filter(mis_vendor=MisVendor.OTHER).exists()
    assert not rows.filter(ambiguous=False).exists()
    assert "June 2025" in akmola_damu.note  # row 2: SPEC's "first group" reading is named


def test_p1_seeded_window_is_ten_days_after_the_last_signature_for_twelve_months_and_assumed():
    window = PilotWindow.objects.get()
    assert window.last_signed_on == dt.date(2025, 6, 11)
    assert window.starts_on == dt.date(2025, 6, 22)
    assert window.ends_on == dt.date(2026, 6, 21)
    assert window.assumed is True
    assert window.published_on is None


def test_p1_started_region_and_vendor_inside_the_window_goes_to_the_remote_pilot(window, intake):
    referral, created = intake("Q90.0")
    assert created
    assert referral.route == Referral.Route.REMOTE_PILOT
    decision = RoutingDecision.objects.get(referral=referral)
    assert decision.remote is True
    assert decision.reason == RoutingDecision.Reason.PILOT
    assert decision.region_kato == "110000000"
    assert decision.mis_vendor == MisVendor.DAMU
    assert decision.rollout.starts_on == dt.date(2025, 7, 1)


def test_p1_a_vendor_the_act_does_not_name_stays_in_person(window, intake, integrator):
    org = MedicalOrganisationFactory(integrator=integrator, mis_vendor=MisVendor.OTHER)
    referral, _ = intake("Q90.0", org=org)
    assert referral.route == Referral.Route.IN_PERSON
    decision = RoutingDecision.objects.get(referral=referral)
    assert (decision.remote, decision.reason) == (False, RoutingDecision.Reason.NOT_STARTED)
    assert not RemoteCase.objects.exists()


def test_p1_a_region_whose_start_is_after_the_signing_day_stays_in_person(window, intake):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    RolloutStart.objects.filter(region_kato="110000000", mis_vendor=MisVendor.DAMU).update(starts_on=tomorrow)
    referral, _ = intake("Q90.0")
    assert referral.route == Referral.Route.IN_PERSON
    assert RoutingDecision.objects.get(referral=referral).reason == RoutingDecision.Reason.NOT_STARTED


def test_p1_a_region_without_rollout_rows_stays_in_person(window, intake, integrator):
    region = RegionFactory(kato="999900000", name_ru="Нет в приказе", name_kk="Жоқ")
    org = MedicalOrganisationFactory(integrator=integrator, region=region)
    referral, _ = intake("Q90.0", org=org)
    assert referral.route == Referral.Route.IN_PERSON
    assert RoutingDecision.objects.get(referral=referral).reason == RoutingDecision.Reason.NOT_STARTED


def test_p1_a_region_row_for_every_vendor_applies_when_the_vendor_has_none(window, intake, integrator):
    region = RegionFactory(kato="999900000", name_ru="Расширение", name_kk="Кеңейту")
    RolloutStart.objects.create(
        region_kato="999900000", region_name="Расширение", mis_vendor="", starts_on=dt.date(2025, 9, 1)
    )
    org = MedicalOrganisationFactory(integrator=integrator, region=region, mis_vendor=MisVendor.OTHER)
    referral, _ = intake("Q90.0", org=org)
    assert referral.route == Referral.Route.REMOTE_PILOT


def test_p1_outside_the_window_stays_in_person(intake):
    # only the act's own window (ended 21.06.2026): a form signed today is outside it
    PilotWindow.objects.update(ends_on=timezone.localdate() - dt.timedelta(days=2))
    referral, _ = intake("Q90.0")
    assert referral.route == Referral.Route.IN_PERSON
    assert RoutingDecision.objects.get(referral=referral).reason == RoutingDecision.Reason.OUTSIDE_WINDOW
    assert not RemoteCase.objects.exists()


def test_p1_the_decision_and_its_reason_are_shown_to_staff_in_the_admin(window, intake, admin_client):
    referral, _ = intake("Q90.0")
    client = admin_client
    page = client.get(reverse("admin:mse_pilot_routingdecision_changelist"))
    assert page.status_code == 200
    assert "nosological form of the pilot, region and MIS taking part" in page.content.decode()
    detail = client.get(reverse("admin:mse_pilot_routingdecision_change", args=[referral.mse_pilot_decision.pk]))
    assert detail.status_code == 200
    assert "110000000" in detail.content.decode()
