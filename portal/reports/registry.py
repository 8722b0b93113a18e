"""The reports the apps register (X-7): each a key, a title, its labels and a build function.

An app registers its report from its ``AppConfig.ready``::

    register_report(ReportDefinition(key="queue", title=_("Electronic queue"), build=queue_report, labels=LABELS))

``build`` receives a ``ReportScope`` (the month and a region or a department, or the whole country)
and returns ``Section`` tables computed by SQL aggregates: a first column of row labels, then
numbers (``int``, or ``Decimal`` for averages and money). Labels are codes; ``labels`` maps a code
(a section's key, a column's key, a row's label) to the words people read, translated at display.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.functional import Promise

Value = int | Decimal | None
Label = str | Promise


@dataclass(frozen=True)
class ReportScope:
    """What one report covers: a calendar month (its first day) and an area.

    ``department_id`` set: one department; else ``region_id`` set: the region's departments; neither:
    the whole country.
    """

    month: dt.date
    region_id: int | None = None
    department_id: int | None = None

    @property
    def first_day(self) -> dt.date:
        return self.month.replace(day=1)

    @property
    def last_day(self) -> dt.date:
        return self.next_month_first_day - dt.timedelta(days=1)

    @property
    def next_month_first_day(self) -> dt.date:
        first = self.first_day
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)

    @property
    def starts_at(self) -> dt.datetime:
        """The month's first instant in the portal's time zone (Asia/Almaty)."""
        return dt.datetime.combine(self.first_day, dt.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def ends_at(self) -> dt.datetime:
        """The next month's first instant (exclusive end)."""
        return dt.datetime.combine(self.next_month_first_day, dt.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))

    def department_q(self, path: str = "department") -> Q:
        """The filter narrowing rows reached through ``path`` (a department foreign key) to the scope."""
        if self.department_id is not None:
            return Q(**{f"{path}_id": self.department_id})
        if self.region_id is not None:
            return Q(**{f"{path}__region_id": self.region_id})
        return Q()

    def region_q(self, path: str = "region") -> Q:
        """The filter for rows that carry a region (not a department): a department scope narrows to
        the department's region."""
        if self.department_id is not None:
            return Q(**{f"{path}__departments__id": self.department_id})
        if self.region_id is not None:
            return Q(**{f"{path}_id": self.region_id})
        return Q()


@dataclass(frozen=True)
class Section:
    """One table of a report, drawn as one chart (of ``chart_column``) beside its data table."""

    key: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str | Value]]
    chart_column: int = 1

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "columns": list(self.columns),
            "rows": [[str(v) if isinstance(v, Decimal) else v for v in row] for row in self.rows],
            "chart_column": self.chart_column,
        }


@dataclass(frozen=True)
class ReportDefinition:
    key: str
    title: Label
    build: Callable[[ReportScope], list[Section]]
    labels: Mapping[str, Label] = field(default_factory=dict)
    decimal_columns: frozenset[str] = frozenset()  # columns stored as text in JSON, read back as Decimal
    # what the report cannot show and why (e.g. a figure the app does not record), shown above the sections
    notes: Sequence[Label] = ()

    def label(self, code: str) -> str:
        return str(self.labels.get(code, code))


_REPORTS: dict[str, ReportDefinition] = {}


def register_report(definition: ReportDefinition) -> None:
    """Called from an app's ``AppConfig.ready``; a key registered twice by another definition is an error."""
    known = _REPORTS.get(definition.key)
    if known is not None and known.build is not definition.build:
        raise ImproperlyConfigured(f"report {definition.key!r} is registered twice")
    _REPORTS[definition.key] = definition


def report_definitions() -> list[ReportDefinition]:
    return sorted(_REPORTS.values(), key=lambda d: d.key)


def report_definition(key: str) -> ReportDefinition | None:
    return _REPORTS.get(key)
