"""E-11: the price table of appendix 8, per expert per month, and the monthly total per region.

Money is ``Decimal`` in tenge with two places (tiyn). Rounding rule (docs/rules.md E-11):

- unit price (column 4) = tariff (column 2) x the month's score in % (column 3) / 100, computed
  exactly and rounded once to 0.01 tenge, half up (``ROUND_HALF_UP``);
- [A] amount for the month = the rounded unit price x the services rendered (cases decided in the
  month): exact, no further rounding; a region's total is the exact sum of its experts' amounts.

A month with no score (nothing to measure) has no unit price and an amount of 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from expert_registry.models import EvaluationResult, Tariff

TIYN = Decimal("0.01")
ZERO = Decimal("0.00")


def unit_price(*, tariff: Decimal, score: Decimal | None) -> Decimal | None:
    """Appendix 8, column 4 = (column 2 x column 3) / 100, rounded half up to the tiyn."""
    if score is None:
        return None
    return (Decimal(tariff) * Decimal(score) / Decimal(100)).quantize(TIYN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PriceRow:
    number: int
    full_name: str
    month: dt.date
    region_id: int | None
    region: str
    tariff: Decimal
    score: Decimal | None
    unit_price: Decimal | None
    services: int
    amount: Decimal
    bank_name: str
    account_number: str
    bic: str
    iban: str
    account_type: str


def price_rows(*, results: Iterable[EvaluationResult]) -> list[PriceRow]:
    """One row per monthly result (select_related expert, person, region), with the tariff of its year."""
    monthly = [r for r in results if r.period == EvaluationResult.Period.MONTH]
    tariffs = {t.year: t.amount for t in Tariff.objects.filter(year__in={r.period_start.year for r in monthly})}
    rows = []
    for n, r in enumerate(monthly, start=1):
        tariff = tariffs.get(r.period_start.year)
        if tariff is None:
            from expert_registry.errors import NO_TARIFF
            from portal.errors import ApplicationError

            raise ApplicationError(NO_TARIFF.format(year=r.period_start.year), field="tariff")
        price = unit_price(tariff=tariff, score=r.score)
        e = r.expert
        rows.append(
            PriceRow(
                number=n,
                full_name=e.person.full_name,
                month=r.period_start,
                region_id=e.region_id,
                region=e.region.name_ru if e.region is not None else "",
                tariff=Decimal(tariff),
                score=r.score,
                unit_price=price,
                services=r.decided,
                amount=(price * r.decided) if price is not None else ZERO,
                bank_name=e.bank_name,
                account_number=e.account_number,
                bic=e.bic,
                iban=e.iban,
                account_type=e.account_type or "текущий",
            )
        )
    return rows


def region_totals(rows: Iterable[PriceRow]) -> list[tuple[dt.date, str, int, Decimal]]:
    """(month, region, experts, total amount) per month and region, in that order."""
    totals: dict[tuple[dt.date, int], tuple[str, int, Decimal]] = {}
    for row in rows:
        key = (row.month, row.region_id or 0)
        _name, count, amount = totals.get(key, (row.region, 0, ZERO))
        totals[key] = (row.region, count + 1, amount + row.amount)
    return [(key[0], name, c, a) for key, (name, c, a) in sorted(totals.items(), key=lambda i: (i[0][0], i[1][0]))]


def price_table(rows: list[PriceRow], *, formed_on: dt.date) -> list[list[str | int | Decimal | None]]:
    """Appendix 8 as a flat table: columns 1-4 of the form, then the executor's block, then [A] the
    services and the amount, and the region; the totals per region follow after an empty row."""
    header: list[str | int | Decimal | None] = [
        _("No."),
        _("full name of the doctor-expert"),
        _("month"),
        _("tariff for one service for the year (tenge)"),
        _("monthly evaluation (%)"),
        _("price per service with the evaluation (tenge) = (col.2 x col.3) / 100"),
        _("date"),
        _("bank"),
        _("bank account"),
        _("BIC"),
        _("IBAN (IIK)"),
        _("account type"),
        _("services rendered"),
        _("amount (tenge)"),
        _("region"),
    ]
    table: list[list[str | int | Decimal | None]] = [header]
    for r in rows:
        table.append(
            [
                r.number,
                r.full_name,
                r.month.strftime("%m.%Y"),
                r.tariff,
                r.score,
                r.unit_price,
                formed_on.strftime("%d.%m.%Y"),
                r.bank_name,
                r.account_number,
                r.bic,
                r.iban,
                r.account_type,
                r.services,
                r.amount,
                r.region,
            ]
        )
    table.append([])
    table.append([_("month"), _("region"), _("experts"), _("total (tenge)")])
    for month, region, count, amount in region_totals(rows):
        table.append([month.strftime("%m.%Y"), region or _("no region (independent)"), count, amount])
    return table
