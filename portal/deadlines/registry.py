"""The deadline sources the apps register (X-6): each a kind, a title and a function listing the
open deadlines of an area.

An app registers its sources from its ``AppConfig.ready``::

    from portal.deadlines.registry import register_deadline_source
    from queue_booking.deadlines import SOURCES

    for source in SOURCES:
        register_deadline_source(source)

``items`` receives a ``DeadlineScope`` (the whole country, a region or a department) and the moment
of the question, and returns ``DeadlineItem`` rows built from the app's own selectors, narrowed with
``DeadlineScope.filter`` by the same lookup rules its admin uses (``portal.admin_scoping``). An item
carries no personal data: a short label, the object's public id or number, a link (the admin's
change page or a staff page, by primary or public id), the due time and the responsible department
or region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.functional import Promise

from portal.accounts.models import User
from portal.admin_scoping import NOWHERE, ScopeRule, scope_apply, staff_scope

Label = str | Promise


@dataclass(frozen=True)
class DeadlineScope:
    """The area whose deadlines are asked for: ``("department", pk)``, ``("region", pk)``, ``NOWHERE``
    or ``None`` (the whole country), as ``portal.admin_scoping.staff_scope`` gives it."""

    area: tuple[str, int] | None = None

    @classmethod
    def for_user(cls, user: User) -> DeadlineScope:
        return cls(staff_scope(user))

    @classmethod
    def country(cls) -> DeadlineScope:
        return cls(None)

    @classmethod
    def region(cls, region_id: int) -> DeadlineScope:
        return cls(("region", region_id))

    @classmethod
    def department(cls, department_id: int) -> DeadlineScope:
        return cls(("department", department_id))

    @property
    def is_nowhere(self) -> bool:
        return self.area == NOWHERE

    @property
    def region_id(self) -> int | None:
        return self.area[1] if self.area is not None and self.area[0] == "region" else None

    @property
    def department_id(self) -> int | None:
        return self.area[1] if self.area is not None and self.area[0] == "department" else None

    def filter(self, queryset: QuerySet[Any], *, department: ScopeRule, region: ScopeRule) -> QuerySet[Any]:
        """``queryset`` narrowed to the area by the rules ``department`` and ``region`` (lookup paths
        compared with the department's or region's primary key, or callables returning a ``Q``)."""
        return scope_apply(queryset, self.area, department=department, region=region)


@dataclass(frozen=True)
class DeadlineItem:
    """One open deadline. ``label``, ``reference`` and ``url`` hold no personal data."""

    kind: str
    label: str
    reference: str
    url: str
    due_at: dt.datetime
    department_id: int | None = None
    region_id: int | None = None


ItemsFunction = Callable[[DeadlineScope, dt.datetime], Iterable[DeadlineItem]]


@dataclass(frozen=True)
class DeadlineSource:
    kind: str
    title: Label
    items: ItemsFunction
    rule: str = ""  # the rule the deadline comes from, shown beside the title (e.g. "Q-13")


_SOURCES: dict[str, DeadlineSource] = {}


def register_deadline_source(source: DeadlineSource) -> None:
    """Called from an app's ``AppConfig.ready``; a kind registered twice by another function is an error."""
    known = _SOURCES.get(source.kind)
    if known is not None and known.items is not source.items:
        raise ImproperlyConfigured(f"deadline source {source.kind!r} is registered twice")
    _SOURCES[source.kind] = source


def deadline_sources() -> list[DeadlineSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.kind)


def deadline_source(kind: str) -> DeadlineSource | None:
    return _SOURCES.get(kind)
