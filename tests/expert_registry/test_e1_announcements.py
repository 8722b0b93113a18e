"""E-1: the announcement, published at least 10 working days before acceptance starts."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from expert_registry.services.announcements import announcement_publish
from portal.errors import ApplicationError
from tests.expert_registry.conftest import make_announcement

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def test_e1_publication_refused_less_than_10_working_days_across_independence_day():
    # Acceptance opens Monday 22.12.2025. Working days before it: 19, 18, 17, 15, 12, 11, 10, 9, 8, 5
    # December (16 December, Independence Day, is off): publishing on Thursday 4 December leaves ten;
    # on Friday 5 December only nine, though without the holiday it would leave ten.
    late = make_announcement(starts=dt.date(2025, 12, 22), ends=dt.date(2026, 1, 16), published=False)
    with pytest.raises(ApplicationError) as exc:
        announcement_publish(announcement=late, actor=None, now=dt.datetime(2025, 12, 5, 10, tzinfo=ALMATY))
    assert exc.value.code == "publication_too_late"
    assert "04.12.2025" in str(exc.value.message)
    late.refresh_from_db()
    assert late.published_at is None
    announcement_publish(announcement=late, actor=None, now=dt.datetime(2025, 12, 4, 17, tzinfo=ALMATY))
    late.refresh_from_db()
    assert late.published_at is not None


def test_e1_public_page_shows_every_element_in_three_languages(client):
    announcement = make_announcement(starts=dt.date(2025, 12, 22), ends=dt.date(2026, 1, 16))
    hidden = make_announcement(starts=dt.date(2026, 2, 2), ends=dt.date(2026, 2, 20), published=False)
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            page = client.get(reverse("expert_registry:announcement", args=[announcement.public_id]))
        assert page.status_code == 200
        text = page.content.decode()
        for field in (
            "title",
            "body_name",
            "location",
            "how_to_apply",
            "specialties",
            "pay_terms",
            "requirements",
            "documents",
        ):
            assert f"{field} {lang}" in text
        for literal in ("committee@example.kz", "+7 7172 74 00 00", "010000, Астана", "25", "22.12.2025", "16.01.2026"):
            assert literal in text
    listing = client.get(reverse("expert_registry:announcements")).content.decode()
    assert str(announcement.public_id) in listing
    assert str(hidden.public_id) not in listing
    assert client.get(reverse("expert_registry:announcement", args=[hidden.public_id])).status_code == 404
