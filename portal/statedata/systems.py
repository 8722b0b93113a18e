"""The state systems the port knows, each with the typed answer it gives.

A ``System`` names a gateway service (``shep_service``), says whether a query needs a date
(``dated``: a status *on* a day) and turns the raw answer's fields into its typed value (``parse``).
A malformed answer raises ``ValueError`` in ``parse``: the port reports it as unavailable, never as a
wrong answer.

The core declares the systems of the funeral payment (B-3, B-5); apps register theirs at start-up::

    register_system(System(code="education.diploma", name=_("..."), shep_service="...", parse=Diploma.parse))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class System:
    code: str
    name: StrOrPromise
    shep_service: str
    parse: Callable[[str, Mapping[str, Any]], object]
    dated: bool = False


_REGISTRY: dict[str, System] = {}


def register_system(system: System) -> None:
    """Declare a system. Declaring the same code again with another definition is an error."""
    known = _REGISTRY.get(system.code)
    if known is not None and known != system:
        raise ValueError(f"state system {system.code!r} is declared twice")
    _REGISTRY[system.code] = system


def system_get(code: str) -> System:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"unknown state system {code!r}") from None


def system_choices() -> list[tuple[str, str]]:
    return sorted((code, f"{code}: {system.name}") for code, system in _REGISTRY.items())


def _date(value: object, field: str) -> dt.date:
    if not isinstance(value, str):
        raise ValueError(f"{field}: a date is expected")
    return dt.date.fromisoformat(value)


# --- the core's systems ---------------------------------------------------------------------------

CIVIL_REGISTRY_DEATH = "civil_registry.death"
RECIPIENT_STATUS = "pension.recipient_status"
FUNERAL_PAYMENT_ASSIGNED = "payments.funeral_assigned"


@dataclass(frozen=True)
class DeathRecord:
    """The civil registry's record of a death (B-5: the death certificate, found by the IIN)."""

    iin: str
    death_date: dt.date
    certificate_number: str

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> DeathRecord:
        return cls(
            iin=key,
            death_date=_date(data.get("death_date"), "death_date"),
            certificate_number=str(data.get("certificate_number", "")),
        )


class RecipientKind:
    """What the person received on the day asked (B-3 (4))."""

    AGE_PENSION = "age_pension"
    BASIC_PENSION = "basic_pension"
    SOCIAL_BENEFIT = "social_benefit"
    SPECIAL_BENEFIT = "special_benefit"
    ALL = (AGE_PENSION, BASIC_PENSION, SOCIAL_BENEFIT, SPECIAL_BENEFIT)


@dataclass(frozen=True)
class RecipientStatus:
    """The pension and benefit payments a person received on a day."""

    iin: str
    kinds: tuple[str, ...]
    wwii_veteran: bool = False

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> RecipientStatus:
        kinds = data.get("kinds", [])
        if not isinstance(kinds, list) or not all(isinstance(k, str) and k in RecipientKind.ALL for k in kinds):
            raise ValueError(f"kinds: a list of {', '.join(RecipientKind.ALL)} is expected")
        return cls(iin=key, kinds=tuple(kinds), wwii_veteran=bool(data.get("wwii_veteran", False)))


@dataclass(frozen=True)
class AssignedPayment:
    """A funeral payment the payment system has already assigned for a deceased (B-3 (2))."""

    iin: str
    decision_date: dt.date

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> AssignedPayment:
        return cls(iin=key, decision_date=_date(data.get("decision_date"), "decision_date"))


CORE_SYSTEMS = (
    System(
        code=CIVIL_REGISTRY_DEATH,
        name=_("civil registry: deaths"),
        shep_service="CivilRegistryDeathService",
        parse=DeathRecord.parse,
    ),
    System(
        code=RECIPIENT_STATUS,
        name=_("pension and benefit recipients: status on a date"),
        shep_service="PensionRecipientStatusService",
        parse=RecipientStatus.parse,
        dated=True,
    ),
    System(
        code=FUNERAL_PAYMENT_ASSIGNED,
        name=_("payments: funeral payment already assigned"),
        shep_service="FuneralPaymentAssignedService",
        parse=AssignedPayment.parse,
    ),
)
