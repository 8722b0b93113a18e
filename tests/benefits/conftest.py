"""The benefits' fixtures: the state data the demo backend answers, one capture of the SMS sent, the
private storage the uploaded documents go to, and the ward of the signed-in citizen."""

import datetime as dt
from pathlib import Path

import pytest

from portal import messaging
from portal.people.models import Guardianship
from portal.statedata.models import DemoRecord
from portal.statedata.systems import CIVIL_REGISTRY_DEATH, FUNERAL_PAYMENT_ASSIGNED, RECIPIENT_STATUS
from tests.portal.factories import PersonFactory

DECEASED = "850315400005"
OTHER_DECEASED = "900101300017"


@pytest.fixture(autouse=True)
def _demo_state_data(settings):
    settings.STATEDATA_BACKEND = "demo"
    settings.STATEDATA_BACKENDS = {}


def died(iin: str, on: dt.date, *, kinds=("age_pension",), veteran=False, certificate="I-123") -> None:
    """The civil registry records the death; the recipients' register the status until that day."""
    DemoRecord.objects.create(
        system=CIVIL_REGISTRY_DEATH, key=iin, data={"death_date": on.isoformat(), "certificate_number": certificate}
    )
    if kinds:
        DemoRecord.objects.create(
            system=RECIPIENT_STATUS,
            key=iin,
            valid_from=dt.date(2010, 1, 1),
            valid_until=on,
            data={"kinds": list(kinds), "wwii_veteran": veteran},
        )


def assigned_elsewhere(iin: str) -> None:
    DemoRecord.objects.create(system=FUNERAL_PAYMENT_ASSIGNED, key=iin, data={"decision_date": "2025-05-05"})


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    """The private storage of uploaded documents, a fresh folder per test (``helpers.stored_files``
    lists what is in it); no test writes to the configured one."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_MEDIA_ROOT)


@pytest.fixture
def citizens_ward(citizen):
    """A person the signed-in citizen (``citizen``, ``citizen_client``) represents by a power of
    attorney N-1 valid from 1 Jan 2025."""
    ward = PersonFactory()
    Guardianship.objects.create(
        representative=citizen.person,
        ward=ward,
        basis="poa",
        document_number="N-1",
        document_date=dt.date(2025, 1, 1),
        valid_from=dt.date(2025, 1, 1),
    )
    return ward


@pytest.fixture
def sent(monkeypatch):
    """The messages sent during the test (each ``_sender`` call's keyword arguments), still sent."""
    calls: list[dict] = []
    original = messaging._sender

    def record(**kwargs):
        calls.append(kwargs)
        return original(**kwargs) if original else None

    monkeypatch.setattr(messaging, "_sender", record)
    return calls


def identified(iin: str) -> None:
    """B-5: the physical persons database knows the person (no identity document asked for)."""
    from benefits.statesystems import PERSONS

    DemoRecord.objects.create(system=PERSONS, key=iin, data={"registered": True})


def registered(bin_: str) -> None:
    """B-5: the legal entities database knows the BIN (no registration document asked for)."""
    from benefits.statesystems import LEGAL_ENTITIES

    DemoRecord.objects.create(system=LEGAL_ENTITIES, key=bin_, data={"since": "2010-01-01"})
