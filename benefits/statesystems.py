"""The state systems the disability and survivor benefits ask through the port (B-7, B-15).

Registered in ``BenefitsConfig.ready`` with ``portal.statedata.register_system``; answered by the
gateway (``shep``) in production and by ``DemoRecord`` rows that staff and tests write (``demo``).
Each typed answer rejects a malformed one (``ValueError``), which the port reports as unavailable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.statedata.systems import System

# B-7: the systems the receiving specialist queries through the gateway (points 7 and 6 of the rules)
PERSONS = "persons.identity"  # "Жеке тұлғалар": identity and registration at the place of residence
DISABILITY_DB = "disability.established"  # the centralised database of persons with disability
CIVIL_REGISTRY_BIRTH = "civil_registry.birth"  # "АХАЖ": births registered after 13.08.2007
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


@dataclass(frozen=True)
class BirthRecord:
    iin: str
    birth_date: dt.date
    parent_iins: tuple[str, ...]

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> BirthRecord:
        return cls(
            iin=key,
            birth_date=_date(data.get("birth_date"), "birth_date"),
            parent_iins=_iins(data.get("parent_iins", []), "parent_iins"),
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
