"""The registration journal (appendix 6) as rows; written as CSV or XLSX by the core's
``portal.spreadsheets`` (re-exported here)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from benefits.models import JournalEntry
from portal.spreadsheets import as_csv as as_csv
from portal.spreadsheets import as_xlsx as as_xlsx


def journal_rows(entries: Iterable[JournalEntry]) -> list[list[str]]:
    header = [
        _("No."),
        _("registration number"),
        _("registered at"),
        _("channel"),
        _("applicant's IIN or BIN"),
        _("applicant"),
        _("IIN of the deceased"),
        _("date of death"),
        _("stage"),
        _("decision due by"),
    ]
    rows = [header]
    for i, entry in enumerate(entries, start=1):
        a = entry.application
        rows.append(
            [
                str(i),
                a.number or "",
                timezone.localtime(entry.registered_at).strftime("%d.%m.%Y %H:%M"),
                str(a.get_channel_display()),
                a.applicant_bin or a.applicant_iin,
                a.applicant_name,
                a.subject_iin,
                a.event_date.strftime("%d.%m.%Y") if a.event_date else "",
                str(a.get_stage_display()),
                timezone.localtime(a.decision_due_at).strftime("%d.%m.%Y") if a.decision_due_at else "",
            ]
        )
    return rows
