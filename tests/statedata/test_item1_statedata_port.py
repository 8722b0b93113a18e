"""The state-data port (``portal.statedata``): one call, a demo backend and a gateway (SHEP) backend.

The gateway is a real local HTTP server started by the test; a slow or broken gateway is "unavailable",
never a wrong answer.
"""

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.statedata.models import DemoRecord
from portal.statedata.services import statedata_query
from portal.statedata.systems import (
    CIVIL_REGISTRY_DEATH,
    RECIPIENT_STATUS,
    DeathRecord,
    RecipientStatus,
    System,
    register_system,
)

pytestmark = pytest.mark.django_db

IIN = "900101300017"


class Gateway:
    """A local gateway: ``reply`` is (status, body, delay seconds)."""

    def __init__(self) -> None:
        self.reply: tuple[int, bytes, float] = (200, b"{}", 0.0)
        self.requests: list[dict[str, object]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                gateway.requests.append(json.loads(self.rfile.read(length)))
                status, body, delay = gateway.reply
                if delay:
                    threading.Event().wait(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/shep"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def gateway(settings) -> Iterator[Gateway]:
    g = Gateway()
    settings.STATEDATA_BACKEND = "shep"
    settings.STATEDATA_SHEP_URL = g.url
    settings.STATEDATA_TIMEOUT_SECONDS = 0.3
    yield g
    g.server.shutdown()
    g.server.server_close()


def test_item1_demo_backend_answers_from_the_admins_rows(settings):
    settings.STATEDATA_BACKEND = "demo"
    DemoRecord.objects.create(
        system=CIVIL_REGISTRY_DEATH, key=IIN, data={"death_date": "2025-03-01", "certificate_number": "A-1"}
    )
    answer = statedata_query(system=CIVIL_REGISTRY_DEATH, key=IIN, as_type=DeathRecord)
    assert answer.found
    assert answer.backend == "demo"
    assert answer.value == DeathRecord(iin=IIN, death_date=dt.date(2025, 3, 1), certificate_number="A-1")
    missing = statedata_query(system=CIVIL_REGISTRY_DEATH, key="850315400005", as_type=DeathRecord)
    assert missing.outcome == "not_found"
    assert missing.value is None


def test_item1_demo_backend_answers_a_status_on_the_date_asked(settings):
    settings.STATEDATA_BACKEND = "demo"
    DemoRecord.objects.create(
        system=RECIPIENT_STATUS,
        key=IIN,
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2024, 12, 31),
        data={"kinds": ["age_pension"]},
    )
    on = statedata_query(system=RECIPIENT_STATUS, key=IIN, as_type=RecipientStatus, on=dt.date(2024, 12, 31))
    after = statedata_query(system=RECIPIENT_STATUS, key=IIN, as_type=RecipientStatus, on=dt.date(2025, 1, 1))
    assert on.value is not None
    assert on.value.kinds == ("age_pension",)
    assert after.outcome == "not_found"


def test_item1_a_dated_system_needs_a_date(settings):
    with pytest.raises(ValueError, match="on="):
        statedata_query(system=RECIPIENT_STATUS, key=IIN, as_type=RecipientStatus)


def test_item1_shep_backend_reads_the_gateways_answer(gateway):
    gateway.reply = (200, json.dumps({"status": "found", "data": {"death_date": "2024-02-29"}}).encode(), 0.0)
    answer = statedata_query(system=CIVIL_REGISTRY_DEATH, key=IIN, as_type=DeathRecord)
    assert answer.found
    assert answer.value is not None
    assert answer.value.death_date == dt.date(2024, 2, 29)
    assert gateway.requests[0]["service"] == "CivilRegistryDeathService"
    assert gateway.requests[0]["key"] == IIN


def test_item1_shep_not_found_is_not_found(gateway):
    gateway.reply = (200, b'{"status": "not_found"}', 0.0)
    assert statedata_query(system=CIVIL_REGISTRY_DEATH, key=IIN, as_type=DeathRecord).outcome == "not_found"


@pytest.mark.parametrize(
    "reply",
    [
        (200, b'{"status": "found"}', 1.5),  # slower than the timeout
        (503, b"", 0.0),
        (200, b"<html>", 0.0),
        (200, b'{"status": "found", "data": {"death_date": "yesterday"}}', 0.0),  # unreadable field
        (200, b'{"status": "maybe"}', 0.0),
    ],
    ids=["timeout", "5xx", "not_json", "bad_field", "unknown_status"],
)
def test_item1_shep_failure_is_unavailable_never_an_answer(gateway, reply):
    gateway.reply = reply
    answer = statedata_query(system=CIVIL_REGISTRY_DEATH, key=IIN, as_type=DeathRecord)
    assert answer.outcome == "unavailable"
    assert answer.unavailable
    assert answer.value is None


def test_item1_shep_without_url_is_unavailable(settings):
    settings.STATEDATA_BACKEND = "shep"
    settings.STATEDATA_SHEP_URL = ""
    assert statedata_query(system=CIVIL_REGISTRY_DEATH, key=IIN, as_type=DeathRecord).unavailable


def test_item1_backend_chosen_per_system(settings, gateway):
    settings.STATEDATA_BACKENDS = {CIVIL_REGISTRY_DEATH: "demo"}
    DemoRecord.objects.create(system=CIVIL_REGISTRY_DEATH, key=IIN, data={"death_date": "2025-03-01"})
    assert statedata_query(system=CIVIL_REGISTRY_DEATH, key=IIN, as_type=DeathRecord).backend == "demo"
    assert gateway.requests == []


def test_item1_an_app_adds_its_system_without_editing_the_port(settings):
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Diploma:
        number: str

        @classmethod
        def parse(cls, key: str, data: dict) -> "Diploma":
            return cls(number=str(data["number"]))

    register_system(System(code="test.diploma", name="diplomas", shep_service="DiplomaService", parse=Diploma.parse))
    settings.STATEDATA_BACKEND = "demo"
    DemoRecord.objects.create(system="test.diploma", key=IIN, data={"number": "D-7"})
    assert statedata_query(system="test.diploma", key=IIN, as_type=Diploma).value == Diploma(number="D-7")
    with pytest.raises(ValueError, match="declared twice"):
        register_system(System(code="test.diploma", name="other", shep_service="X", parse=Diploma.parse))
