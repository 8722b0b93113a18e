"""Q-4: a referral routed to the in-person examination invites the person to book (N-Q1)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.referrals.models import Referral
from portal.territory.selectors import department_for_atu
from queue_booking import selectors
from queue_booking.services.notices import cabinet_link, send
from queue_booking.sms import QueueSms


def referral_invite(*, referral: Referral, now: dt.datetime | None = None) -> bool:
    """Send N-Q1 when the person lives in a region whose pilot is in force. Runs in the intake's
    transaction (the ``referral_routed`` signal), so a rolled-back referral sends nothing."""
    if referral.route != Referral.Route.IN_PERSON:
        return False
    person = referral.person
    atu = person.registration_atu
    if atu is None:
        return False
    today = timezone.localdate(now or timezone.now())
    if selectors.pilot_for_region(region_id=atu.region_id, day=today) is None:
        return False
    send(
        recipient=person,
        template=QueueSms.INVITED,
        context={"full_name": person.full_name, "link": cabinet_link()},
        dedupe_key=f"referral:{referral.pk}:invited",
        department=department_for_atu(atu=atu),
    )
    return True
