"""``statedata_query``: the one call every app makes to a state system.

    answer = statedata_query(system=CIVIL_REGISTRY_DEATH, key=iin, as_type=DeathRecord)
    if answer.unavailable: ...  # "the state system does not answer, try later"
    elif answer.value is None: ...  # the system has no record
    else: answer.value.death_date

The backend is ``STATEDATA_BACKENDS[system]`` if set, else ``STATEDATA_BACKEND``. An answer the
system's ``parse`` rejects is ``unavailable`` (logged), never a value.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings

from portal.statedata.backends import FOUND, NOT_FOUND, UNAVAILABLE, RawAnswer, demo, shep
from portal.statedata.systems import system_get

T = TypeVar("T")
logger = logging.getLogger(__name__)

BACKENDS = {demo.NAME: demo.query, shep.NAME: shep.query}


@dataclass(frozen=True)
class StateAnswer(Generic[T]):
    system: str
    outcome: str  # found | not_found | unavailable
    value: T | None
    backend: str
    reference: str

    @property
    def unavailable(self) -> bool:
        return self.outcome == UNAVAILABLE

    @property
    def found(self) -> bool:
        return self.outcome == FOUND


def backend_for(system: str) -> str:
    name = str(settings.STATEDATA_BACKENDS.get(system, settings.STATEDATA_BACKEND))
    if name not in BACKENDS:
        raise LookupError(f"unknown state-data backend {name!r} for {system!r}")
    return name


def statedata_query(*, system: str, key: str, as_type: type[T], on: dt.date | None = None) -> StateAnswer[T]:
    """Ask ``system`` about ``key`` (an IIN or BIN), on the day ``on`` for a dated system."""
    definition = system_get(system)
    if definition.dated and on is None:
        raise ValueError(f"{system} answers a status on a date: pass on=")
    name = backend_for(system)
    raw: RawAnswer = BACKENDS[name](system=definition, key=key, on=on if definition.dated else None)
    if raw.outcome == NOT_FOUND:
        return StateAnswer(system, NOT_FOUND, None, name, raw.reference)
    if raw.outcome != FOUND:
        return StateAnswer(system, UNAVAILABLE, None, name, raw.reference)
    try:
        value = definition.parse(key, raw.data)
    except (ValueError, TypeError, KeyError) as exc:
        logger.warning("statedata %s: unreadable answer (%s)", system, type(exc).__name__)
        return StateAnswer(system, UNAVAILABLE, None, name, raw.reference)
    if not isinstance(value, as_type):
        raise TypeError(f"{system} answers {type(value).__name__}, not {as_type.__name__}")
    return StateAnswer(system, FOUND, value, name, raw.reference)
