"""P-1: act 001's seeded window has ended; the demo data adds a marked extension so that the demo
shows the pilot routing and distributing today, and leaves the act's own window as the act gives it."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from mse_pilot import demo
from mse_pilot.models import PilotWindow, Programme
from mse_pilot.selectors import pilot_window_open_on, programme_panel_on
from portal.nosology.models import NosologyGroup
from portal.referrals.models import Referral

pytestmark = pytest.mark.django_db

ALMATY = dt.timezone(dt.timedelta(hours=5))


def test_p1_the_acts_seeded_window_has_ended_so_nothing_routes_today_without_the_demo(intake):
    today = timezone.localdate()
    assert today > dt.date(2026, 6, 21)  # the act's window: 22.06.2025-21.06.2026 inclusive
    assert pilot_window_open_on(day=today) is None
    referral, _ = intake("Q90.0")
    assert referral.route == Referral.Route.IN_PERSON


def test_p1_the_demo_extension_routes_and_distributes_today_and_keeps_the_acts_window(intake):
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())  # again: nothing duplicated
    today = timezone.localdate()
    act = PilotWindow.objects.get(name__contains="act 001", assumed=True, last_signed_on=dt.date(2025, 6, 11))
    assert (act.starts_on, act.ends_on) == (dt.date(2025, 6, 22), dt.date(2026, 6, 21))
    extension = PilotWindow.objects.get(name__endswith="(demo extension)")
    assert extension.assumed is True
    assert "Demo data only" in extension.note
    assert pilot_window_open_on(day=today) == extension
    assert PilotWindow.objects.count() == 2
    programme, seats = programme_panel_on(nosology_group=NosologyGroup.objects.first(), day=today)
    assert programme is not None
    assert programme.code == "nosology-pilot-001-demo"
    assert [(s.role, s.count) for s in seats] == [("expert_head", 1)]
    assert Programme.objects.filter(code="nosology-pilot-001-demo").count() == 1
    referral, _ = intake("Q90.0")
    assert referral.route == Referral.Route.REMOTE_PILOT


def test_p1_no_demo_extension_while_the_acts_window_is_open():
    out = io.StringIO()
    demo.seed(stdout=out, now=dt.datetime(2025, 11, 25, 10, 0, tzinfo=ALMATY))
    assert not PilotWindow.objects.filter(name__endswith="(demo extension)").exists()
    assert not Programme.objects.filter(code="nosology-pilot-001-demo").exists()
    assert "no demo extension" in out.getvalue()


def test_p1_an_old_demo_extension_is_moved_to_today():
    demo.seed(stdout=io.StringIO(), now=dt.datetime(2026, 7, 1, 10, 0, tzinfo=ALMATY))
    old = PilotWindow.objects.get(name__endswith="(demo extension)")
    assert (old.starts_on, old.ends_on) == (dt.date(2026, 6, 1), dt.date(2027, 6, 1))
    demo.seed(stdout=io.StringIO(), now=dt.datetime(2027, 8, 2, 10, 0, tzinfo=ALMATY))
    moved = PilotWindow.objects.get(name__endswith="(demo extension)")
    assert (moved.starts_on, moved.ends_on) == (dt.date(2027, 7, 3), dt.date(2028, 7, 2))
    programme = Programme.objects.get(code="nosology-pilot-001-demo")
    assert (programme.starts_on, programme.ends_on) == (dt.date(2027, 7, 3), dt.date(2028, 7, 2))
