"""Item 2: rate tables as dated data; every amount says how it was computed; never from a missing row."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits.models import RateBase, RateCoefficient
from benefits.rates import RateMissing, amount_compute, rounded

pytestmark = pytest.mark.django_db


def test_item2_seeded_bases_are_the_published_ones():
    # FACTS.md: MRP 3,932 (2025), 4,325 (2026); SM 46,228 (2025), 50,851 (2026)
    assert RateBase.objects.get(base="mrp", year=2025).amount == Decimal("3932")
    assert RateBase.objects.get(base="mrp", year=2026).amount == Decimal("4325")
    assert RateBase.objects.get(base="sm", year=2025).amount == Decimal("46228")
    assert RateBase.objects.get(base="sm", year=2026).amount == Decimal("50851")
    assert all(row.legal_source for row in RateBase.objects.all())
    assert all(row.legal_source and row.rounding for row in RateCoefficient.objects.all())


def test_item2_funeral_amount_is_35_mrp_of_the_year_and_says_how():
    computation = amount_compute(programme="funeral", code="recipient", on=dt.date(2025, 12, 31))
    assert computation.amount == Decimal("137620.00")  # 35 x 3,932
    assert isinstance(computation.amount, Decimal)
    assert computation.explanation["formula"] == "35 x 3932 = 137620"
    assert [r["table"] for r in computation.explanation["rows"]] == ["coefficient", "base"]
    assert computation.explanation["rows"][1]["year"] == 2025
    assert "224-VII" in computation.explanation["rows"][0]["legal_source"]


def test_item2_rounding_rule_is_up_to_the_whole_tenge():
    # FACTS: 1.61 x 50,851 = 81,870.11 -> 81,871; 2.20 x 50,851 = 111,872.2 -> 111,873
    assert rounded(Decimal("1.61") * Decimal("50851"), "up_tenge") == Decimal("81871")
    assert rounded(Decimal("2.20") * Decimal("50851"), "up_tenge") == Decimal("111873")
    assert rounded(Decimal("2.5"), "half_up_tenge") == Decimal("3")
    veteran = amount_compute(programme="funeral", code="wwii_veteran", on=dt.date(2026, 1, 10))
    assert veteran.amount == Decimal("158295.00")  # 36.6 x 4,325 = 158,295


def test_item2_missing_base_year_is_never_guessed():
    with pytest.raises(RateMissing) as missing:
        amount_compute(programme="funeral", code="recipient", on=dt.date(2027, 1, 5))
    assert missing.value.when == "2027"


def test_item2_coefficient_outside_its_period_is_missing():
    RateCoefficient.objects.filter(programme="funeral", code="recipient").update(valid_until=dt.date(2025, 12, 31))
    assert amount_compute(programme="funeral", code="recipient", on=dt.date(2025, 12, 31)).amount == Decimal("137620")
    with pytest.raises(RateMissing):
        amount_compute(programme="funeral", code="recipient", on=dt.date(2026, 1, 1))
