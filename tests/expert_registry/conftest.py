import datetime as dt

import pytest

from expert_registry.models import Announcement
from portal.nosology.models import NosologyGroup


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.STATEDATA_BACKEND = "demo"
    settings.STATEDATA_BACKENDS = {}


# E-3: what the seven state systems say of a candidate with every document in order.
CLEAN_RECORDS = {
    "education.diploma": {"specialty": "paediatrics", "number": "ЖБ-0001234", "foreign": False, "recognised": False},
    "labour.employment": {"continuous_months": 96, "mse_months": 0},
    "health.specialist_certificate": {"specialty": "педиатрия", "number": "KZ-123", "valid_until": "2030-12-31"},
    "health.mse_training": {"courses": [{"finished_on": "2024-05-20", "hours": 60}]},
}


def state_records(iin: str, **over) -> None:
    """Demo backend rows for ``iin``: the clean set, with ``over`` (system with dots as underscores ->
    data, or None for no record) replacing some."""
    from portal.statedata.models import DemoRecord

    records = dict(CLEAN_RECORDS)
    for name, value in over.items():
        records[name.replace("__", ".")] = value
    for system, value in records.items():
        DemoRecord.objects.filter(system=system, key=iin).delete()
        if value is not None:
            DemoRecord.objects.create(system=system, key=iin, data=value)


def checks_done(application) -> None:
    """Run the E-3 checks of ``application`` as the task does after commit (tests run in a transaction)."""
    from expert_registry.services.statechecks import application_state_checks_run

    state_records(application.person.iin)
    application_state_checks_run(application_id=application.pk)


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
