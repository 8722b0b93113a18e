"""The registration journal (appendix 6) as CSV or XLSX. The XLSX is written with the standard
library (a minimal SpreadsheetML workbook, inline strings): no spreadsheet dependency for one sheet."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from benefits.models import JournalEntry, PaymentLine


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


def as_csv(rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        # a cell starting with =, +, -, @ is read as a formula by spreadsheets: quote it as text
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    return ("\ufeff" + out.getvalue()).encode()


def _column(n: int) -> str:
    name = ""
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def as_xlsx(rows: Sequence[Sequence[str]]) -> bytes:
    cells = []
    for r, row in enumerate(rows, start=1):
        values = "".join(
            f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in enumerate(row, start=1)
        )
        cells.append(f'<row r="{r}">{values}</row>')
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            f'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            f'<sheet name="Journal" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}/spreadsheetml/2006/main">'
            f"<sheetData>{''.join(cells)}</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


def payment_rows(lines: Iterable[PaymentLine]) -> list[list[str]]:
    """Item 7: the month's payment list, one row per payment, money as exact decimals."""
    header = [
        _("No."),
        _("month"),
        _("recipient's IIN or BIN"),
        _("programme"),
        _("registration number"),
        _("amount for the month"),
        _("months of arrears"),
        _("arrears"),
        _("total"),
    ]
    rows = [header]
    for n, line in enumerate(lines, start=1):
        rows.append(
            [
                str(n),
                line.month.strftime("%m.%Y"),
                line.recipient,
                line.programme,
                line.decision.application.number or "",
                f"{line.amount:.2f}",
                str(line.arrears_months),
                f"{line.arrears:.2f}",
                f"{line.total:.2f}",
            ]
        )
    return rows
