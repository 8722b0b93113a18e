"""The registry's state systems, declared to the core's port (``portal.statedata``) from ``apps.py``.

E-3 (point 7 of the algorithm): the seven documents a candidate's application is checked against,
each asked by IIN through the e-government gateway:

(1) ``education.diploma``      the higher medical education diploma (and recognition of a foreign one)
(2) ``labour.employment``      continuous work experience (and the months of it in MSE departments)
(3) ``health.specialist_certificate`` the specialist certificate for clinical practice
(4) ``health.mse_training``    MSE training hours in the last 5 years
(5) ``health.psychiatric_registry``, (6) ``health.narcological_registry`` the mental health centres
(7) ``legal.criminal_record``  the criminal record

E-7 (2)-(3): ``court.capacity`` (a court declared the person incapable or of limited capacity) and
``migration.emigration`` (left for permanent residence abroad); (4) death is the core's
``civil_registry.death``.

For (5)-(7) ``not_found`` is the answer "no registration, no record"; a found record with
``registered``/``convicted`` false says the same. Each ``parse`` raises ``ValueError`` on a malformed
answer, which the port reports as unavailable (asked again later), never as an answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.statedata.systems import System

DIPLOMA = "education.diploma"
EMPLOYMENT = "labour.employment"
CERTIFICATE = "health.specialist_certificate"
TRAINING = "health.mse_training"
PSYCHIATRIC = "health.psychiatric_registry"
NARCOLOGICAL = "health.narcological_registry"
CRIMINAL = "legal.criminal_record"
COURT_CAPACITY = "court.capacity"
EMIGRATION = "migration.emigration"


def _date(data: Mapping[str, Any], field: str, *, required: bool = True) -> dt.date | None:
    value = data.get(field)
    if value in (None, "") and not required:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field}: a date is expected")
    return dt.date.fromisoformat(value)


def _int(data: Mapping[str, Any], field: str) -> int:
    value = data.get(field, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{field}: a whole number is expected")
    return value


def _bool(data: Mapping[str, Any], field: str) -> bool:
    value = data.get(field, False)
    if not isinstance(value, bool):
        raise ValueError(f"{field}: true or false is expected")
    return value


@dataclass(frozen=True)
class Diploma:
    """(1) The diploma: its classifier specialty (``general_medicine``, ``medical_care``, ``paediatrics``
    or another code), whether it was issued abroad and, if so, whether it was recognised."""

    iin: str
    specialty: str
    number: str
    foreign: bool
    recognised: bool

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> Diploma:
        specialty = data.get("specialty")
        if not isinstance(specialty, str) or not specialty:
            raise ValueError("specialty: a classifier code is expected")
        return cls(
            iin=key,
            specialty=specialty,
            number=str(data.get("number", "")),
            foreign=_bool(data, "foreign"),
            recognised=_bool(data, "recognised"),
        )


@dataclass(frozen=True)
class Employment:
    """(2) Continuous work experience, in months, and the months of it in MSE departments."""

    iin: str
    continuous_months: int
    mse_months: int

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> Employment:
        return cls(iin=key, continuous_months=_int(data, "continuous_months"), mse_months=_int(data, "mse_months"))


@dataclass(frozen=True)
class SpecialistCertificate:
    """(3) The specialist certificate for clinical practice: specialty, number, last day of validity."""

    iin: str
    specialty: str
    number: str
    valid_until: dt.date | None

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> SpecialistCertificate:
        return cls(
            iin=key,
            specialty=str(data.get("specialty", "")),
            number=str(data.get("number", "")),
            valid_until=_date(data, "valid_until", required=False),
        )


@dataclass(frozen=True)
class Training:
    """(4) Courses on MSE: ``[{"finished_on": "YYYY-MM-DD", "hours": 36}, ...]``."""

    iin: str
    courses: tuple[tuple[dt.date, int], ...]

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> Training:
        courses = data.get("courses", [])
        if not isinstance(courses, list):
            raise ValueError("courses: a list is expected")
        parsed = []
        for course in courses:
            if not isinstance(course, dict):
                raise ValueError("courses: objects are expected")
            finished = _date(course, "finished_on")
            assert finished is not None
            parsed.append((finished, _int(course, "hours")))
        return cls(iin=key, courses=tuple(parsed))

    def hours_since(self, day: dt.date) -> int:
        return sum(hours for finished, hours in self.courses if finished >= day)


@dataclass(frozen=True)
class Registration:
    """(5), (6) On the psychiatric or narcological registry, or (7) a criminal record."""

    iin: str
    registered: bool

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> Registration:
        return cls(iin=key, registered=_bool(data, "registered"))


@dataclass(frozen=True)
class StateEvent:
    """E-7 (2), (3): a court decision on capacity or a departure for permanent residence abroad."""

    iin: str
    event_date: dt.date
    document: str

    @classmethod
    def parse(cls, key: str, data: Mapping[str, Any]) -> StateEvent:
        event_date = _date(data, "date")
        assert event_date is not None
        return cls(iin=key, event_date=event_date, document=str(data.get("document", ""))[:200])


SYSTEMS = (
    System(code=DIPLOMA, name=_("education: diplomas"), shep_service="EducationDiplomaService", parse=Diploma.parse),
    System(
        code=EMPLOYMENT,
        name=_("labour: continuous work experience"),
        shep_service="LabourContractsService",
        parse=Employment.parse,
    ),
    System(
        code=CERTIFICATE,
        name=_("health: specialist certificates"),
        shep_service="SpecialistCertificateService",
        parse=SpecialistCertificate.parse,
    ),
    System(code=TRAINING, name=_("health: MSE training"), shep_service="MedicalTrainingService", parse=Training.parse),
    System(
        code=PSYCHIATRIC,
        name=_("mental health centre: psychiatry"),
        shep_service="PsychiatryRegistryService",
        parse=Registration.parse,
    ),
    System(
        code=NARCOLOGICAL,
        name=_("mental health centre: narcology"),
        shep_service="NarcologyRegistryService",
        parse=Registration.parse,
    ),
    System(
        code=CRIMINAL,
        name=_("criminal records"),
        shep_service="CriminalRecordService",
        parse=Registration.parse,
    ),
    System(
        code=COURT_CAPACITY,
        name=_("courts: incapacity or limited capacity"),
        shep_service="CourtCapacityService",
        parse=StateEvent.parse,
    ),
    System(
        code=EMIGRATION,
        name=_("migration: permanent residence abroad"),
        shep_service="MigrationEmigrationService",
        parse=StateEvent.parse,
    ),
)
