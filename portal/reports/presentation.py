"""A stored report as people read it: sections with translated titles, charts and table rows, and the
same figures as rows for the CSV and XLSX exports (``portal.spreadsheets``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.safestring import SafeString

from portal.reports.charts import bar_chart_svg
from portal.reports.models import MonthlyReport
from portal.reports.registry import ReportDefinition
from portal.spreadsheets import Cell


@dataclass(frozen=True)
class ShownSection:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    chart: SafeString


def _cell(value: Any, *, decimal: bool) -> Cell:
    if value is None or isinstance(value, int):
        return value
    if decimal:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return str(value)
    return str(value)


def sections_of(report: MonthlyReport, definition: ReportDefinition) -> list[ShownSection]:
    shown: list[ShownSection] = []
    for number, section in enumerate(report.figures.get("sections", []), start=1):
        columns: list[str] = section["columns"]
        rows: list[list[Cell]] = []
        for raw in section["rows"]:
            label = definition.label(str(raw[0]))
            values = [
                _cell(v, decimal=c in definition.decimal_columns) for c, v in zip(columns[1:], raw[1:], strict=True)
            ]
            rows.append([label, *values])
        title = definition.label(section["key"])
        chart_column = int(section.get("chart_column", 1))
        chart = bar_chart_svg(
            chart_id=f"chart-{number}",
            title=f"{title}: {definition.label(columns[chart_column])}",
            labels=[str(r[0]) for r in rows],
            values=[r[chart_column] for r in rows],
        )
        shown.append(ShownSection(section["key"], title, [definition.label(c) for c in columns], rows, chart))
    return shown


def export_rows(report: MonthlyReport, definition: ReportDefinition, *, heading: Sequence[Cell]) -> list[list[Cell]]:
    """Every section one after another: its title, its column headers, its rows, a blank line."""
    rows: list[list[Cell]] = [list(heading), []]
    if definition.notes:
        rows.extend([str(note)] for note in definition.notes)
        rows.append([])
    for section in sections_of(report, definition):
        rows.append([section.title])
        rows.append(list(section.headers))
        rows.extend(section.rows)
        rows.append([])
    return rows
