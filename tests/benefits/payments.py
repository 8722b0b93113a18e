"""Approved decisions for the payment list's tests and bench: written directly, as approval leaves them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from benefits.models import Application, Decision, Stage
from portal.signatures.models import SignatureVerification
from portal.validators import iin_build


def approved_decision(
    *,
    serial: int,
    amount: Decimal,
    periodic: bool,
    start: dt.date | None = None,
    programme: str = "disability",
    approver=None,
    verification=None,
) -> Decision:
    iin = iin_build(dt.date(1980, 1, 1), female=False, serial=serial)
    now = timezone.now()
    application = Application.objects.create(
        programme=programme,
        channel="portal",
        stage=Stage.APPROVED,
        applicant_iin=iin,
        subject_iin=iin,
        submitted_at=now,
    )
    if approver is None:
        from portal.accounts.models import User

        approver, _created = User.objects.get_or_create(username="payments-approver", defaults={"is_staff": True})
    verification = verification or SignatureVerification.objects.create(
        purpose="test", outcome="valid", reason="ok", backend="local"
    )
    return Decision.objects.create(
        application=application,
        kind="assigned",
        amount=amount,
        periodic=periodic,
        start_date=start,
        approved_at=now,
        approved_by=approver,
        approval_signature=verification,
    )
