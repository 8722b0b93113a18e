"""The working calendar of Kazakhstan: every deadline in the portal goes through this module.

A working day is not a Saturday, Sunday or public holiday under the Labour Code, counting the
government's day-off transfers. Public holidays come from the ``holidays`` package (category
``public``); staff-entered ``CalendarException`` rows override it. Times are Asia/Almaty (the
project's ``TIME_ZONE``), whatever time zone a request may have activated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.apps import apps
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from portal.workcal.models import CalendarException
from portal.workcal.signals import calendar_changed

# S-1: the provider works 09:00-18:00; P-7: a draft received after 16:00 counts from the next day.
WORKDAY_START = dt.time(9, 0)
WORKDAY_END = dt.time(18, 0)
DEFAULT_CUTOFF = dt.time(16, 0)

_RU_NAMES = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Capital Day": "День Столицы",
    "Eid al-Adha": "Курбан айт",
    "Constitution Day": "День Конституции",
    "Republic Day": "День Республики",
    "Independence Day": "День Независимости",
}


@lru_cache(maxsize=64)
def _package_holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year, language=language)


def _exceptions_version() -> tuple:
    agg = CalendarException.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


_exceptions_cache: dict = {"version": None, "rows": {}}


def _exceptions() -> dict[dt.date, str]:
    """Staff overrides, re-read only when a row was added, changed or deleted."""
    version = _exceptions_version()
    if _exceptions_cache["version"] != version:
        _exceptions_cache["rows"] = dict(CalendarException.objects.values_list("date", "kind"))
        _exceptions_cache["version"] = version
    return _exceptions_cache["rows"]


class WorkingCalendar:
    """One snapshot of the calendar: build it once per request or task, then ask it many questions."""

    def __init__(self, overrides: dict[dt.date, str] | None = None):
        self._overrides = _exceptions() if overrides is None else overrides

    def is_working_day(self, day: dt.date) -> bool:
        kind = self._overrides.get(day)
        if kind == CalendarException.Kind.DAY_OFF:
            return False
        if kind == CalendarException.Kind.WORKING_DAY:
            return True
        return _package_holidays(day.year, "en_US").is_working_day(day)

    def next_working_day(self, day: dt.date, *, include_today: bool = False) -> dt.date:
        d = day if include_today else day + dt.timedelta(days=1)
        while not self.is_working_day(d):
            d += dt.timedelta(days=1)
        return d

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (n >= 0; n == 0 gives ``day`` if it works, else the next)."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return self.next_working_day(day, include_today=True)
        d = day
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open range (start, end]."""
        n, d = 0, start
        while d < end:
            d += dt.timedelta(days=1)
            n += self.is_working_day(d)
        return n

    def working_days_in(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Working days in the closed range [start, end]."""
        days, d = [], start
        while d <= end:
            if self.is_working_day(d):
                days.append(d)
            d += dt.timedelta(days=1)
        return days

    def next_working_moment(self, moment: dt.datetime, *, cutoff: dt.time = DEFAULT_CUTOFF) -> dt.date:
        """The working day from which a term counts for something received at ``moment``.

        Received on a working day by ``cutoff``: that day. After the cut-off, or on a day off: the next
        working day (P-7's 16:00 rule).
        """
        local = timezone.localtime(moment, timezone.get_default_timezone())
        day = local.date()
        if self.is_working_day(day) and local.time() <= cutoff:
            return day
        return self.next_working_day(day)

    def deadline(self, moment: dt.datetime, *, working_days: int = 1, cutoff: dt.time = DEFAULT_CUTOFF) -> dt.datetime:
        """End of the working day by which a ``working_days`` term ends, as an aware datetime.

        The day of receipt (or the next working moment) counts as the first of the term.
        """
        first = self.next_working_moment(moment, cutoff=cutoff)
        last = self.add_working_days(first, working_days - 1) if working_days > 1 else first
        return timezone.make_aware(dt.datetime.combine(last, WORKDAY_END), timezone.get_default_timezone())

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> float:
        """Seconds of working time (09:00-18:00 of working days, S-1, Asia/Almaty) between ``start``
        and ``end``; 0 when ``end`` is not after ``start``."""
        zone = timezone.get_default_timezone()
        start, end = timezone.localtime(start, zone), timezone.localtime(end, zone)
        total = 0.0
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                open_ = timezone.make_aware(dt.datetime.combine(day, WORKDAY_START), zone)
                close = timezone.make_aware(dt.datetime.combine(day, WORKDAY_END), zone)
                lo, hi = max(open_, start), min(close, end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += dt.timedelta(days=1)
        return total

    def working_hours_left(self, now: dt.datetime, due_at: dt.datetime) -> float:
        """X-6: working hours from ``now`` to ``due_at``; negative, the working hours it is late by.
        Rounded to a hundredth."""
        if due_at >= now:
            return round(self.working_seconds(now, due_at) / 3600, 2)
        return -round(self.working_seconds(due_at, now) / 3600, 2)

    def holiday_name(self, day: dt.date, language: str = "ru") -> str | None:
        row = CalendarException.objects.filter(date=day).first()
        if row is not None:
            return (row.name_kk if language == "kk" else row.name_ru) or row.name_ru
        if language == "kk":
            return _package_holidays(day.year, "kk").get(day)
        name = _package_holidays(day.year, "en_US").get(day)
        if name is None or language == "en":
            return name
        base = name.replace(" (observed)", "").replace(" (estimated)", "")
        return _RU_NAMES.get(base, base) + (" (перенос)" if "(observed)" in name else "")


def working_calendar() -> WorkingCalendar:
    return WorkingCalendar()


def is_working_day(day: dt.date) -> bool:
    return working_calendar().is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    return working_calendar().add_working_days(day, n)


def working_hours_left(now: dt.datetime, due_at: dt.datetime, *, calendar: WorkingCalendar | None = None) -> float:
    """X-6: working hours from ``now`` to ``due_at`` (negative: late by that many)."""
    return (calendar or working_calendar()).working_hours_left(now, due_at)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of ``day`` (Asia/Almaty): the due time of a term that runs to a date inclusive."""
    zone = timezone.get_default_timezone()
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max), zone)


def working_deadline(moment: dt.datetime, *, working_days: int = 1, cutoff: dt.time = DEFAULT_CUTOFF) -> dt.datetime:
    return working_calendar().deadline(moment, working_days=working_days, cutoff=cutoff)


# --- staff edits of the calendar ------------------------------------------------------------------


@dataclass
class CalendarChangeReport:
    """What the apps did about a calendar edit: their sentences for staff, and the apps that failed."""

    said: list[str] = field(default_factory=list)
    failed_apps: list[str] = field(default_factory=list)

    def extend(self, other: CalendarChangeReport) -> None:
        self.said += other.said
        self.failed_apps += [a for a in other.failed_apps if a not in self.failed_apps]


def _app_name(receiver) -> str:
    config = apps.get_containing_app_config(getattr(receiver, "__module__", "") or "")
    return str(config.verbose_name) if config is not None else getattr(receiver, "__module__", "?")


def _calendar_changed_send(
    *,
    old: tuple[dt.date, str] | None,
    new: tuple[dt.date, str] | None,
    actor_user=None,
    now: dt.datetime | None = None,
) -> CalendarChangeReport:
    dates = {pair[0] for pair in (old, new) if pair is not None}
    responses = calendar_changed.send_robust(
        sender=CalendarException,
        dates=dates,
        old_date=old[0] if old else None,
        old_kind=old[1] if old else None,
        new_date=new[0] if new else None,
        new_kind=new[1] if new else None,
        actor_user=actor_user,
        now=now,
    )
    report = CalendarChangeReport()
    for receiver, said in responses:
        if isinstance(said, Exception):
            name = _app_name(receiver)
            if name not in report.failed_apps:
                report.failed_apps.append(name)
        elif said:
            report.said.append(said)
    return report


@transaction.atomic
def calendar_exception_save(
    *, exception: CalendarException, actor_user=None, now: dt.datetime | None = None
) -> CalendarChangeReport:
    """Save a staff override (a decreed day off or worked weekend day) and tell the apps.

    The apps get the old and the new date and kind (``calendar_changed``) in this transaction; one
    app failing is rolled back alone and named in the report, the edit itself stands.
    """
    old = None
    if exception.pk is not None:
        old = CalendarException.objects.filter(pk=exception.pk).values_list("date", "kind").first()
    exception.save()
    new = (exception.date, exception.kind)
    if old == new:  # only the name or the legal basis changed: nothing for the apps to do
        return CalendarChangeReport()
    return _calendar_changed_send(old=old, new=new, actor_user=actor_user, now=now)


@transaction.atomic
def calendar_exception_delete(
    *, exception: CalendarException, actor_user=None, now: dt.datetime | None = None
) -> CalendarChangeReport:
    """Remove a staff override: the day follows the public-holiday calendar again; tell the apps."""
    old = (exception.date, exception.kind)
    exception.delete()
    return _calendar_changed_send(old=old, new=None, actor_user=actor_user, now=now)
