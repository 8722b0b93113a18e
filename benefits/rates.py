"""Item 2: an amount is coefficient x base(year), from the dated rate tables, never from a missing row.

``amount_compute`` returns the amount with how it was computed (the rows used, the formula, the
rounding), which the decision keeps; a missing row raises ``RateMissing`` naming it, and the decision
then waits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from benefits.models import Base, RateBase, RateCoefficient, Rounding

ONE = Decimal("1")
TIYN = Decimal("0.01")


class RateMissing(LookupError):
    """No row of the rate table covers the case and date asked."""

    def __init__(self, what: str, when: str) -> None:
        super().__init__(f"no {what} for {when}")
        self.what = what
        self.when = when


@dataclass(frozen=True)
class Computation:
    amount: Decimal
    explanation: dict[str, Any]


def rounded(value: Decimal, rule: str) -> Decimal:
    if rule == Rounding.UP_TO_TENGE:
        return value.quantize(ONE, rounding=ROUND_CEILING).quantize(TIYN)
    if rule == Rounding.HALF_UP_TO_TENGE:
        return value.quantize(ONE, rounding=ROUND_HALF_UP).quantize(TIYN)
    if rule == Rounding.TO_TIYN:
        return value.quantize(TIYN, rounding=ROUND_HALF_UP)
    raise ValueError(f"unknown rounding rule {rule!r}")


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def coefficient_on(*, programme: str, code: str, on: dt.date) -> RateCoefficient:
    row = (
        RateCoefficient.objects.filter(programme=programme, code=code, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        raise RateMissing(f"coefficient {programme}.{code}", on.isoformat())
    return row


def base_for(*, base: str, year: int) -> RateBase:
    row = RateBase.objects.filter(base=base, year=year).first()
    if row is None:
        raise RateMissing(str(Base(base).label), str(year))
    return row


def amount_compute(*, programme: str, code: str, on: dt.date) -> Computation:
    """The amount of ``programme``'s case ``code`` for the date ``on`` (the base of ``on``'s year)."""
    coefficient = coefficient_on(programme=programme, code=code, on=on)
    base = base_for(base=coefficient.base, year=on.year)
    exact = coefficient.coefficient * base.amount
    amount = rounded(exact, coefficient.rounding)
    return Computation(
        amount=amount,
        explanation={
            "formula": f"{_plain(coefficient.coefficient)} x {_plain(base.amount)} = {_plain(exact)}",
            "rounding": coefficient.rounding,
            "amount": str(amount),
            "rows": [
                {
                    "table": "coefficient",
                    "id": coefficient.pk,
                    "case": f"{programme}.{code}",
                    "value": str(coefficient.coefficient),
                    "valid_from": coefficient.valid_from.isoformat(),
                    "legal_source": coefficient.legal_source,
                },
                {
                    "table": "base",
                    "id": base.pk,
                    "base": base.base,
                    "year": base.year,
                    "value": str(base.amount),
                    "legal_source": base.legal_source,
                },
            ],
        },
    )
