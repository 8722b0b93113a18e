"""Q-1 pilot, Q-3 schedules, Q-4 invitation, Q-13 incidents, X-4 calendar file, X-5 audit."""

import datetime as dt
import logging
from unittest import mock

import pytest
from icalendar import Calendar

from portal.errors import ApplicationError
from portal.referrals.models import Referral
from portal.referrals.services import referral_route
from queue_booking import selectors, services
from queue_booking.models import Booking, Incident, Pilot, ReceptionSchedule, Slot
from queue_booking.tasks import warn_missing_schedules
from tests.factories import AtuFactory, DepartmentFactory, ReferralFactory, RegionFactory
from tests.queue_booking.conftest import ALMATY, NOW, at

pytestmark = pytest.mark.django_db


# --- Q-1 -------------------------------------------------------------------------------------------


def test_q1_act_window_starts_ten_days_after_last_signature_for_twelve_months():
    assert services.pilot_window(last_signed_on=dt.date(2025, 11, 11)) == (dt.date(2025, 11, 22), dt.date(2026, 11, 21))


def test_q1_outside_the_window_no_new_bookings_and_no_dates(schedule, pilot, department, referral):
    Pilot.objects.filter(pk=pilot.pk).update(starts_on=dt.date(2025, 11, 22), ends_on=dt.date(2026, 11, 21))
    assert selectors.available_dates(department=department, now=NOW) == []
    with pytest.raises(ApplicationError) as exc:
        services.booking_create(
            referral=referral,
            slot_id=Slot.objects.filter(department=department).first().pk,
            actor=referral.person,
            now=NOW,
        )
    assert exc.value.code == "pilot_closed"
    assert not Booking.objects.exists()


def test_q1_pilot_extends_to_another_region_as_data(schedule, pilot):
    other_region = RegionFactory(kato="390000000", name_ru="Костанайская область")
    atu = AtuFactory(region=other_region, kato="391000000")
    department = DepartmentFactory(region=other_region, atus=[atu], number=1)
    referral = ReferralFactory(person__registration_atu=atu, signed_at=NOW)
    with pytest.raises(ApplicationError) as exc:
        services.booking_eligibility(referral=referral, actor=referral.person, now=NOW, check_free=False)
    assert exc.value.code == "region_not_in_pilot"
    pilot.regions.add(other_region)
    assert (
        services.booking_eligibility(referral=referral, actor=referral.person, now=NOW, check_free=False) == department
    )


def test_q1_bookings_only_inside_the_window_end(schedule, pilot, department, referral):
    Pilot.objects.filter(pk=pilot.pk).update(ends_on=dt.date(2026, 12, 2))
    assert selectors.available_dates(department=department, now=NOW)[-1] == dt.date(2026, 12, 2)
    slot = Slot.objects.get(department=department, starts_at=at(dt.date(2026, 12, 3), 9))
    with pytest.raises(ApplicationError) as exc:
        services.booking_create(referral=referral, slot_id=slot.pk, actor=referral.person, now=NOW)
    assert exc.value.code == "slot_not_bookable"


# --- Q-3 -------------------------------------------------------------------------------------------


def test_q3_schedule_publish_is_idempotent(schedule, department):
    count = Slot.objects.filter(department=department).count()
    services.reception_schedule_publish(schedule=schedule, now=NOW)
    assert Slot.objects.filter(department=department).count() == count
    # 30.11-31.12.2026: 23 working days (16 December is a holiday) x 5 times
    assert count == 23 * 5


def test_q3_warning_from_15_december_for_departments_without_next_years_schedule(schedule, department, caplog):
    assert selectors.schedule_warning(today=dt.date(2026, 12, 14)) is None
    year, missing = selectors.schedule_warning(today=dt.date(2026, 12, 15))
    assert (year, missing) == (2027, [department])
    with caplog.at_level(logging.WARNING, logger="queue_booking.services.publishing"):
        assert services.schedule_warning_check(today=dt.date(2026, 12, 20)) == [department]
    assert "no reception schedule for 2027" in caplog.text
    ReceptionSchedule.objects.create(department=department, year=2027)
    assert selectors.schedule_warning(today=dt.date(2026, 12, 15)) is None


def test_q3_warning_beat_task_runs(schedule, department):
    # the beat task reads the clock: on 20 December a department with no 2027 schedule is warned of
    with mock.patch("django.utils.timezone.now", return_value=at(dt.date(2026, 12, 20), 9)):
        assert warn_missing_schedules.delay().get() == 1
        ReceptionSchedule.objects.create(department=department, year=2027)
        assert warn_missing_schedules.delay().get() == 0
    # before 15 December nobody is warned
    ReceptionSchedule.objects.filter(year=2027).delete()
    with mock.patch("django.utils.timezone.now", return_value=at(dt.date(2026, 12, 14), 9)):
        assert warn_missing_schedules.delay().get() == 0


# --- Q-4 -------------------------------------------------------------------------------------------


def test_q4_routed_in_person_referral_sends_nq1(schedule, person, sent):
    referral = ReferralFactory(person=person, status=Referral.Status.RECEIVED, route="")
    referral_route(referral=referral)
    assert referral.route == Referral.Route.IN_PERSON
    (msg,) = sent.of("queue_invited")
    assert msg["recipient"] == person
    assert msg["context"] == {"full_name": person.full_name, "link": "http://127.0.0.1:8000/queue/"}
    assert msg["dedupe_key"] == f"referral:{referral.pk}:invited"


def test_q4_no_invitation_outside_the_pilot(schedule, pilot, person, sent):
    pilot.regions.clear()
    referral_route(referral=ReferralFactory(person=person, status=Referral.Status.RECEIVED, route=""))
    assert sent.of("queue_invited") == []


def test_q4_no_invitation_for_remote_route(schedule, person, sent):
    referral = ReferralFactory(person=person, route=Referral.Route.REMOTE_PILOT)
    assert services.referral_invite(referral=referral) is False
    assert sent.of("queue_invited") == []


# --- Q-13 ------------------------------------------------------------------------------------------


def test_q13_incident_report_due_in_three_working_days():
    # found Friday 11.12.2026: Mon 14, Tue 15, (Wed 16 is Independence Day), Thu 17 -> due 17.12 18:00
    incident = services.incident_record(
        incident=Incident(title="SMS not delivered", found_at=dt.datetime(2026, 12, 11, 15, 0, tzinfo=ALMATY))
    )
    assert incident.report_due_at == dt.datetime(2026, 12, 17, 18, 0, tzinfo=ALMATY)
    assert not incident.is_overdue(now=dt.datetime(2026, 12, 17, 17, 0, tzinfo=ALMATY))
    assert incident.is_overdue(now=dt.datetime(2026, 12, 17, 18, 1, tzinfo=ALMATY))
    services.incident_mark_reported(incident=incident, reported_to="Methodology department")
    assert not incident.is_overdue(now=dt.datetime(2026, 12, 30, tzinfo=ALMATY))


# --- X-4, X-5 --------------------------------------------------------------------------------------


def test_x4_ics_file_has_the_visit(schedule, department, referral):
    slot = Slot.objects.get(department=department, starts_at=at(dt.date(2026, 12, 1), 10))
    booking = services.booking_create(referral=referral, slot_id=slot.pk, actor=referral.person, now=NOW)
    cal = Calendar.from_ical(services.booking_ics(booking=booking))
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == at(dt.date(2026, 12, 1), 10)
    assert booking.ticket_number in str(event.get("summary"))
    assert str(event.get("location")) == department.address


def test_x5_every_booking_change_is_audited(schedule, department, referral):
    from auditlog.models import LogEntry

    slot = Slot.objects.get(department=department, starts_at=at(dt.date(2026, 12, 1), 10))
    booking = services.booking_create(referral=referral, slot_id=slot.pk, actor=referral.person, now=NOW)
    services.booking_cancel(booking=booking, actor=referral.person, now=NOW)
    entries = LogEntry.objects.get_for_object(booking)
    assert entries.count() >= 2
    assert any(e.changes_dict.get("status") == ["booked", "cancelled"] for e in entries)
    history = list(booking.history.values_list("from_status", "to_status", "actor_person"))
    assert history == [("", "booked", referral.person.pk), ("booked", "cancelled", referral.person.pk)]


def test_q8_q10_beat_schedule_declares_the_queue_tasks():
    from celery import current_app

    from portal.beat import beat_schedule

    SCHEDULE = beat_schedule()
    tasks = {task for task, _cron, _why in SCHEDULE.values()}
    expected = {
        "queue_booking.send_reminders",
        "queue_booking.annul_late_bookings",
        "queue_booking.release_expired_holds",
        "queue_booking.warn_missing_schedules",
    }
    assert expected <= tasks
    # a no-show is annulled at most a minute after 15 minutes late (10:16 for 10:00), so the
    # lateness job runs every minute
    (lateness,) = [cron for task, cron, _why in SCHEDULE.values() if task == "queue_booking.annul_late_bookings"]
    assert lateness.get("minute", "*") == "*"
    import queue_booking.tasks  # noqa: F401

    assert expected <= set(current_app.tasks)
