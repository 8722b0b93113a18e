"""The benefits' fixtures: the state data the demo backend answers, and one capture of the SMS sent."""

import datetime as dt

import pytest

from portal import messaging
from portal.statedata.models import DemoRecord
from portal.statedata.systems import CIVIL_REGISTRY_DEATH, FUNERAL_PAYMENT_ASSIGNED, RECIPIENT_STATUS

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


@pytest.fixture
def sent(monkeypatch):
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
