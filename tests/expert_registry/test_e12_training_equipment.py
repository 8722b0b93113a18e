"""E-12: first-month training records and the loan log of USB modems (issued, returned, overdue)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from expert_registry.models import ModemLoan, Training
from expert_registry.selectors import experts_untrained_after_first_month, modem_loans_overdue
from tests.expert_registry.test_e10_evaluation import make_expert

pytestmark = pytest.mark.django_db


def test_e12_overdue_is_a_modem_not_returned_after_its_last_day():
    expert = make_expert()
    due_today = ModemLoan.objects.create(
        expert=expert, serial_number="M-1", issued_on=dt.date(2025, 1, 6), due_back_on=dt.date(2025, 6, 30)
    )
    late = ModemLoan.objects.create(
        expert=expert, serial_number="M-2", issued_on=dt.date(2025, 1, 6), due_back_on=dt.date(2025, 6, 29)
    )
    ModemLoan.objects.create(
        expert=expert,
        serial_number="M-3",
        issued_on=dt.date(2025, 1, 6),
        due_back_on=dt.date(2025, 3, 1),
        returned_on=dt.date(2025, 3, 5),
    )
    on = dt.date(2025, 6, 30)
    assert list(modem_loans_overdue(on_date=on)) == [late]
    assert late.is_overdue_on(on)
    assert not due_today.is_overdue_on(on)  # the last day itself is not overdue
    assert due_today.is_overdue_on(dt.date(2025, 7, 1))


def test_e12_one_modem_lent_to_one_expert_at_a_time_and_dates_ordered():
    expert = make_expert()
    ModemLoan.objects.create(
        expert=expert, serial_number="M-9", issued_on=dt.date(2025, 1, 6), due_back_on=dt.date(2025, 12, 31)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ModemLoan.objects.create(
            expert=make_expert(kato="710000000"),
            serial_number="M-9",
            issued_on=dt.date(2025, 2, 1),
            due_back_on=dt.date(2025, 12, 31),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ModemLoan.objects.create(
            expert=expert,
            serial_number="M-10",
            issued_on=dt.date(2025, 2, 1),
            due_back_on=dt.date(2025, 12, 31),
            returned_on=dt.date(2025, 1, 31),
        )
    assert ModemLoan.objects.count() == 1


def test_e12_admin_lists_overdue_loans_and_refuses_a_modem_already_lent(admin_client):
    expert = make_expert()
    ModemLoan.objects.create(
        expert=expert, serial_number="LATE-1", issued_on=dt.date(2024, 1, 6), due_back_on=dt.date(2024, 6, 29)
    )
    ModemLoan.objects.create(
        expert=expert, serial_number="FINE-2", issued_on=dt.date(2024, 1, 6), due_back_on=dt.date(2099, 6, 29)
    )
    page = admin_client.get("/admin/expert_registry/modemloan/?return=overdue").content.decode()
    assert "LATE-1" in page
    assert "FINE-2" not in page
    response = admin_client.post(
        "/admin/expert_registry/modemloan/add/",
        {"expert": expert.pk, "serial_number": "LATE-1", "issued_on": "2025-02-01", "due_back_on": "2025-12-31"},
    )
    assert response.status_code == 200  # the form again, with the reason
    assert ModemLoan.objects.filter(serial_number="LATE-1").count() == 1


def test_e12_first_month_training_missing_is_listed():
    # included (active) on 31 January 2025: the first month ends on 28 February (no 31st)
    trained = make_expert()
    untrained = make_expert(kato="710000000")
    for e in (trained, untrained):
        e.history.update(effective_from=dt.date(2025, 1, 31))
    Training.objects.create(
        expert=trained, held_on=dt.date(2025, 2, 28), hours=Decimal("8"), topic="AIS CBDI", given_by="Committee"
    )
    # a training after the first month does not count for it
    Training.objects.create(
        expert=untrained, held_on=dt.date(2025, 3, 1), hours=Decimal("8"), topic="AIS CBDI", given_by="Committee"
    )
    assert experts_untrained_after_first_month(on_date=dt.date(2025, 2, 28)) == []  # the month is not over
    missing = experts_untrained_after_first_month(on_date=dt.date(2025, 3, 1))
    assert [(e.pk, end) for e, end in missing] == [(untrained.pk, dt.date(2025, 2, 28))]


def test_e12_training_admin_warns_of_experts_without_first_month_training(admin_client):
    untrained = make_expert()
    untrained.history.update(effective_from=dt.date(2024, 1, 31))
    page = admin_client.get("/admin/expert_registry/training/").content.decode()
    assert "No training in the first month" in page
    assert "29.02.2024" in page  # a leap year's February
