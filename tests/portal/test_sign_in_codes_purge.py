"""Sign-in codes hold the IIN asked for (anyone's); they are deleted once past the day's limit."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.accounts.models import SignInCode
from portal.accounts.services import sign_in_codes_purge
from portal.beat import beat_schedule


@pytest.mark.django_db
def test_codes_older_than_a_day_are_deleted_and_the_days_stay():
    now = timezone.make_aware(dt.datetime(2026, 12, 2, 3, 40))
    for hours in (25, 24, 23, 1):
        SignInCode.objects.create(
            iin="900101300017",
            code_hash="x",
            created_at=now - dt.timedelta(hours=hours, seconds=1 if hours == 24 else 0),
            expires_at=now,
        )
    assert sign_in_codes_purge(now=now) == 2
    ages = sorted((now - c.created_at).total_seconds() / 3600 for c in SignInCode.objects.all())
    assert ages == [1, 23]


def test_the_purge_runs_every_night():
    task, cron, _why = beat_schedule()["accounts: purge sign-in codes"]
    assert task == "accounts.sign_in_codes_purge"
    assert cron == {"minute": "40", "hour": "3"}
