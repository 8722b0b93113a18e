"""Item 7: the month's payment list, built on the first working day of the month from approved
decisions, with arrears from the start date, never twice for one person and month; CSV and XLSX."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.urls import reverse

from benefits.beat import BEAT_SCHEDULE
from benefits.models import PaymentLine, PaymentList
from benefits.services import first_working_day_of_month, payment_list_build, payment_list_build_if_due
from portal.accounts.roles import Role
from tests.benefits.payments import approved_decision
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def test_item7_monthly_benefit_with_arrears_from_the_start_date():
    # assigned from 10 December 2025, approved late: March's list pays March plus Dec, Jan, Feb
    d = approved_decision(serial=1, amount=Decimal("52345.67"), periodic=True, start=dt.date(2025, 12, 10))
    payment_list_build(month=MARCH)
    line = PaymentLine.objects.get(decision=d)
    assert line.month == MARCH
    assert line.amount == Decimal("52345.67")
    assert line.arrears_months == 3
    assert line.arrears == Decimal("157037.01")
    assert line.total == Decimal("209382.68")
    # April: the month only, no arrears again
    payment_list_build(month=dt.date(2026, 4, 1))
    april = PaymentLine.objects.get(decision=d, month=dt.date(2026, 4, 1))
    assert (april.arrears_months, april.arrears, april.total) == (0, Decimal("0.00"), Decimal("52345.67"))


def test_item7_started_this_month_has_no_arrears_and_later_start_waits():
    this_month = approved_decision(serial=2, amount=Decimal("1000.00"), periodic=True, start=dt.date(2026, 3, 31))
    next_month = approved_decision(serial=3, amount=Decimal("1000.00"), periodic=True, start=dt.date(2026, 4, 1))
    payment_list_build(month=MARCH)
    assert PaymentLine.objects.get(decision=this_month).arrears_months == 0
    assert not PaymentLine.objects.filter(decision=next_month).exists()


def test_item7_one_time_payment_paid_once():
    d = approved_decision(serial=4, amount=Decimal("151410.00"), periodic=False, programme="funeral")
    payment_list_build(month=MARCH)
    payment_list_build(month=dt.date(2026, 4, 1))
    assert list(PaymentLine.objects.filter(decision=d).values_list("month", "total")) == [(MARCH, Decimal("151410.00"))]


def test_item7_unapproved_decision_is_not_on_the_list():
    from benefits.models import Decision

    d = approved_decision(serial=5, amount=Decimal("1000.00"), periodic=True, start=MARCH)
    Decision.objects.filter(pk=d.pk).update(approved_at=None, approved_by=None, approval_signature=None)
    payment_list_build(month=MARCH)
    assert not PaymentLine.objects.exists()


def test_item7_rebuilding_adds_nothing_twice():
    approved_decision(serial=6, amount=Decimal("1000.00"), periodic=True, start=MARCH)
    payment_list_build(month=MARCH)
    payment_list_build(month=MARCH)
    assert PaymentLine.objects.count() == 1
    assert PaymentList.objects.count() == 1


def test_item7_database_refuses_a_second_payment_for_one_person_and_month():
    d1 = approved_decision(serial=7, amount=Decimal("1000.00"), periodic=True, start=MARCH)
    d2 = approved_decision(serial=8, amount=Decimal("1000.00"), periodic=True, start=MARCH)
    payment_list_build(month=MARCH)
    line = PaymentLine.objects.get(decision=d1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(
            payment_list=line.payment_list,
            decision=d2,
            recipient=line.recipient,
            programme=line.programme,
            periodic=True,
            month=MARCH,
            amount=Decimal("1"),
            total=Decimal("1"),
        )


def test_item7_first_working_day_of_the_month_across_holidays():
    # 1-2 Jan 2026 are New Year holidays, 3-4 a weekend: the first working day is Monday 5 January
    assert first_working_day_of_month(dt.date(2026, 1, 20)) == dt.date(2026, 1, 5)
    # 1 March 2026 is a Sunday: Monday 2 March
    assert first_working_day_of_month(dt.date(2026, 3, 15)) == dt.date(2026, 3, 2)


def test_item7_beat_builds_only_on_the_first_working_day():
    approved_decision(serial=9, amount=Decimal("1000.00"), periodic=True, start=MARCH)
    assert payment_list_build_if_due(today=dt.date(2026, 3, 1)) is None  # a Sunday
    assert payment_list_build_if_due(today=dt.date(2026, 3, 3)) is None  # the second working day
    built = payment_list_build_if_due(today=dt.date(2026, 3, 2))
    assert built is not None
    assert built.month == MARCH
    assert built.lines.count() == 1
    task, crontab, _why = BEAT_SCHEDULE["benefits: payment list"]
    assert task == "benefits.build_payment_list"
    assert crontab["day_of_month"] == "1-10"


def test_item7_payment_list_exported_as_csv_and_xlsx(client):
    approved_decision(serial=10, amount=Decimal("52345.67"), periodic=True, start=dt.date(2026, 1, 1))
    plist = payment_list_build(month=MARCH)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=Role.COMMITTEE_STAFF))  # national: every region's lines
    user.user_permissions.add(Permission.objects.get(codename="view_paymentlist"))
    client.force_login(user)
    url = reverse("admin:benefits_paymentlist_changelist")
    csv = client.post(url, {"action": "export_csv", "_selected_action": [plist.pk]})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode()
    assert "03.2026" in text
    assert "157037.01" in text  # 52345.67 + 2 months' arrears
    xlsx = client.post(url, {"action": "export_xlsx", "_selected_action": [plist.pk]})
    sheet = zipfile.ZipFile(io.BytesIO(xlsx.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "157037.01" in sheet
