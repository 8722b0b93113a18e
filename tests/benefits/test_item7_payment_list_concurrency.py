"""Item 7: two builds of one month's payment list at once add each payment once (PostgreSQL)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from benefits.models import PaymentLine, PaymentList
from benefits.services import payment_list_build
from tests.benefits.helpers import run_at_once
from tests.benefits.payments import approved_decision

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has one writer at a time"),
]


def test_item7_concurrent_builds_never_pay_twice_for_one_person_and_month():
    for serial in range(1, 41):
        approved_decision(serial=serial, amount=Decimal("1000.00"), periodic=True, start=dt.date(2026, 1, 1))
    approved_decision(serial=99, amount=Decimal("151410.00"), periodic=False, programme="funeral")

    def call():
        payment_list_build(month=dt.date(2026, 3, 1))

    refused, errors = run_at_once(*[call] * 4)
    assert (refused, errors) == ([], [])
    assert PaymentList.objects.count() == 1
    assert PaymentLine.objects.count() == 41
    assert PaymentLine.objects.filter(arrears_months=2).count() == 40
