import datetime as dt

import pytest

from expert_registry.models import Announcement
from portal.nosology.models import NosologyGroup


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.EXPERT_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def down_syndrome(db):
    return NosologyGroup.objects.get(number=2)


def make_announcement(*, starts: dt.date, ends: dt.date, published: bool = True) -> Announcement:
    texts = {}
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
        for lang in ("kk", "ru", "en"):
            texts[f"{field}_{lang}"] = f"{field} {lang}"
    from django.utils import timezone

    return Announcement.objects.create(
        **texts,
        postal_address="010000, Астана, ул. Мәңгілік Ел, 8",
        phones="+7 7172 74 00 00",
        email="committee@example.kz",
        acceptance_starts_on=starts,
        acceptance_ends_on=ends,
        candidates_to_select=25,
        published_at=timezone.now() if published else None,
    )
