"""The state systems the disability and survivor benefits ask through the port (B-7, B-15).

Registered in ``BenefitsConfig.ready`` with ``portal.statedata.register_system``; answered by the
gateway (``shep``) in production and by ``DemoRecord`` rows that staff and tests write (``demo``).
Each typed answer rejects a malformed one (``ValueError``), which the port reports as unavailable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.statedata.systems import System

# B-7: the systems the receiving specialist queries through the gateway (points 7 and 6 of the rules)
PERSONS = "persons.identity"  # "Жеке тұлғалар": identity and registration at the place of residence
DISABILITY_DB = "disability.established"  # the centralised database of persons with disability
CIVIL_REGISTRY_BIRTH = "civil_registry.birth"  # "АХАЖ": births registered after 13.08.2007
CIVIL_REGISTRY_MARRIAGE = "civil_registry.marriage"  # "АХАЖ": marriages registered after 01.06.2008
GUARDIANSHIP = "education.guardianship"  # "Ұлттық білім беру деректер қоры": guardianship of minors
ADOPTION = "torelik.adoption"  # "Төрелік": court decisions on adoption
# B-15: the automatic check that a carer stopped working
ENTREPRENEUR = "tax.entrepreneur"  # registration as an individual entrepreneur
PENSION_CONTRIBUTIONS = "enpf.contributions"  # compulsory pension contributions, by month (dated)
SOCIAL_PAYMENTS = "gfss.social_payments"  # social payments, by month (dated)
# B-5: the state registration of the legal entity that buried (by its BIN)
LEGAL_ENTITIES = "justice.legal_entity"


def _date(value: object, field: str) -> dt.date:
    if not isinstance(value, str):
        raise ValueError(f"{field}: a date is expected")
    return dt.date.fromisoformat(value)


def _iins(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) == 12 for v in value):
        raise ValueError(f"{field}: a list of IINs is expected")
    return tuple(value)


@dataclass(frozen=True)
class PersonRecord:
    iin: str
    registered: bool  # registered at a place of residence

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> PersonRecord:
        return cls(iin=key, registered=bool(data.get("registered", False)))


@dataclass(frozen=True)
class DisabilityRecord:
    iin: str
    group: str
    cause: str
    established_on: dt.date

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> DisabilityRecord:
        group = data.get("group")
        if group not in ("1", "2", "3"):
            raise ValueError("group: 1, 2 or 3 is expected")
        return cls(
            iin=key,
            group=str(group),
            cause=str(data.get("cause", "")),
            established_on=_date(data.get("established_on"), "established_on"),
        )


def _surnames(value: object, field: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and len(k) == 12 and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(f"{field}: surnames by IIN are expected")
    return dict(value)


@dataclass(frozen=True)
class BirthRecord:
    """A birth record: the child's parents by IIN and, where the record gives it, each parent's
    surname as written at the registration (``parent_surnames``, by IIN)."""

    iin: str
    birth_date: dt.date
    parent_iins: tuple[str, ...]
    parent_surnames: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> BirthRecord:
        return cls(
            iin=key,
            birth_date=_date(data.get("birth_date"), "birth_date"),
            parent_iins=_iins(data.get("parent_iins", []), "parent_iins"),
            parent_surnames=_surnames(data.get("parent_surnames", {}), "parent_surnames"),
        )


@dataclass(frozen=True)
class Marriage:
    registered_on: dt.date
    surname_before: str
    surname_after: str


@dataclass(frozen=True)
class MarriageRecord:
    """The marriages of a person (by their IIN) the civil registry holds, each with the date it was
    registered and the person's surname before and after it."""

    iin: str
    marriages: tuple[Marriage, ...]

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> MarriageRecord:
        rows = data.get("marriages", [])
        if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
            raise ValueError("marriages: a list is expected")
        return cls(
            iin=key,
            marriages=tuple(
                Marriage(
                    registered_on=_date(r.get("registered_on"), "registered_on"),
                    surname_before=str(r.get("surname_before", "")),
                    surname_after=str(r.get("surname_after", "")),
                )
                for r in rows
            ),
        )


@dataclass(frozen=True)
class CarersRecord:
    """Guardians (education database) or adoptive parents (Torelik) of a child."""

    iin: str
    carer_iins: tuple[str, ...]

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> CarersRecord:
        return cls(iin=key, carer_iins=_iins(data.get("carer_iins", []), "carer_iins"))


@dataclass(frozen=True)
class Presence:
    """A record exists (an entrepreneur's registration; a month's contribution or payment)."""

    iin: str
    since: dt.date | None

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> Presence:
        since = data.get("since")
        return cls(iin=key, since=_date(since, "since") if since is not None else None)


SYSTEMS = (
    System(
        code=LEGAL_ENTITIES,
        name=_("legal entities database: state registration"),
        shep_service="GbdUlRegistrationService",
        parse=Presence.parse,
    ),
    System(
        code=PERSONS,
        name=_("physical persons database: identity and registration"),
        shep_service="GbdFlPersonService",
        parse=PersonRecord.parse,
    ),
    System(
        code=DISABILITY_DB,
        name=_("centralised database of persons with disability"),
        shep_service="CbdInvDisabilityService",
        parse=DisabilityRecord.parse,
    ),
    System(
        code=CIVIL_REGISTRY_BIRTH,
        name=_("civil registry: births"),
        shep_service="CivilRegistryBirthService",
        parse=BirthRecord.parse,
    ),
    System(
        code=CIVIL_REGISTRY_MARRIAGE,
        name=_("civil registry: marriages"),
        shep_service="CivilRegistryMarriageService",
        parse=MarriageRecord.parse,
    ),
    System(
        code=GUARDIANSHIP,
        name=_("national education database: guardianship"),
        shep_service="NobdGuardianshipService",
        parse=CarersRecord.parse,
    ),
    System(
        code=ADOPTION,
        name=_("Torelik: court decisions on adoption"),
        shep_service="TorelikAdoptionService",
        parse=CarersRecord.parse,
    ),
    System(
        code=ENTREPRENEUR,
        name=_("tax authority: registration as an individual entrepreneur"),
        shep_service="KgdEntrepreneurService",
        parse=Presence.parse,
    ),
    System(
        code=PENSION_CONTRIBUTIONS,
        name=_("pension fund: compulsory pension contributions in a month"),
        shep_service="EnpfContributionsService",
        parse=Presence.parse,
        dated=True,
    ),
    System(
        code=SOCIAL_PAYMENTS,
        name=_("social insurance fund: social payments in a month"),
        shep_service="GfssPaymentsService",
        parse=Presence.parse,
        dated=True,
    ),
)
