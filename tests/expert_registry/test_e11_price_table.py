"""E-11: the price table of appendix 8 per expert per month, exported from the admin, totals per region."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from expert_registry.models import EvaluationResult, Tariff
from expert_registry.pricing import price_rows, region_totals, unit_price
from expert_registry.services.evaluation import evaluation_month_run
from expert_registry.services.experts import expert_bank_details_set
from tests.expert_registry.test_e10_evaluation import at, case, make_expert

pytestmark = pytest.mark.django_db

IBAN = "KZ86125KZT5004100100"


def test_e11_unit_price_is_tariff_times_score_over_100_rounded_half_up_to_the_tiyn():
    # (col.2 x col.3) / 100: 5 000.00 x 74.73 / 100 = 3 736.50
    assert unit_price(tariff=Decimal("5000.00"), score=Decimal("74.73")) == Decimal("3736.50")
    # 1 234.57 x 33.33 / 100 = 411.482181 -> 411.48; 0.05 x 50.00 / 100 = 0.025 -> 0.03 (half up)
    assert unit_price(tariff=Decimal("1234.57"), score=Decimal("33.33")) == Decimal("411.48")
    assert unit_price(tariff=Decimal("0.05"), score=Decimal("50.00")) == Decimal("0.03")
    assert unit_price(tariff=Decimal("5000"), score=None) is None


def _month(expert_specs):
    Tariff.objects.create(year=2025, amount=Decimal("5000.00"), basis="order of the Committee")
    experts = []
    for kato, planned, n_on_time, n_late in expert_specs:
        expert = make_expert(planned=planned, kato=kato)
        expert_bank_details_set(
            expert=expert,
            bank_name="Halyk Bank",
            iban=IBAN,
            bic="HSBKKZKX",
            account_number=IBAN,
            account_type="текущий",
        )
        for i in range(n_on_time + n_late):
            due = at(2025, 5, 10, 18)
            decided = due + dt.timedelta(hours=1) if i >= n_on_time else due - dt.timedelta(hours=1)
            case(expert, f"c{i}", at(2025, 5, 5), due, decided, True)
        experts.append(expert)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    return experts


def test_e11_rows_carry_appendix_8_and_totals_per_region():
    a, b, _c = _month([("750000000", 4, 4, 0), ("750000000", 4, 3, 1), ("710000000", 10, 1, 0)])
    results = EvaluationResult.objects.select_related("expert__person", "expert__region").order_by("expert__pk")
    rows = price_rows(results=results)
    ra, rb, rc = rows
    assert (ra.tariff, ra.score, ra.unit_price, ra.services, ra.amount) == (
        Decimal("5000.00"),
        Decimal("100.00"),
        Decimal("5000.00"),
        4,
        Decimal("20000.00"),
    )
    # b: timeliness 75, quality 100, volume 100 -> 40 x 75 + 40 x 100 + 20 x 100 = 90.00 -> 4 500.00 a service
    assert (rb.score, rb.unit_price, rb.amount) == (Decimal("90.00"), Decimal("4500.00"), Decimal("18000.00"))
    # c: 100, 100, volume 10 -> 82.00 -> 4 100.00
    assert (rc.score, rc.unit_price, rc.amount) == (Decimal("82.00"), Decimal("4100.00"), Decimal("4100.00"))
    assert (ra.bank_name, ra.iban, ra.bic, ra.account_type) == ("Halyk Bank", IBAN, "HSBKKZKX", "текущий")
    assert ra.full_name == a.person.full_name
    assert a.region_id == b.region_id
    totals = sorted((n, amount) for _m, _region, n, amount in region_totals(rows))
    assert totals == [(1, Decimal("4100.00")), (2, Decimal("38000.00"))]


def test_e11_export_xlsx_and_csv_from_the_admin(admin_client):
    _month([("750000000", 4, 4, 0), ("710000000", 10, 1, 0)])
    ids = list(EvaluationResult.objects.values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/expert_registry/evaluationresult/", {"action": "export_price_csv", "_selected_action": ids}
    )
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = table[0]
    assert "IBAN (IIK)" in header
    assert "account type" in header
    assert sorted(row[3:6] for row in table[1:3]) == [["5000.00", "100.00", "5000.00"], ["5000.00", "82.00", "4100.00"]]
    assert {row[11] for row in table[1:3]} == {"текущий"}
    totals = table[table.index(["month", "region", "experts", "total (tenge)"]) + 1 :]
    assert sorted(row[2:] for row in totals) == [["1", "20000.00"], ["1", "4100.00"]]
    assert {row[0] for row in totals} == {"05.2025"}
    response = admin_client.post(
        "/admin/expert_registry/evaluationresult/", {"action": "export_price_xlsx", "_selected_action": ids}
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>5000.00</v>" in sheet  # money as an exact number
    assert IBAN in sheet


def test_e11_no_tariff_for_the_year_refuses_the_export_with_its_reason(admin_client):
    make_expert(planned=2)
    evaluation_month_run(today=dt.date(2025, 6, 1))
    ids = list(EvaluationResult.objects.values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/expert_registry/evaluationresult/",
        {"action": "export_price_csv", "_selected_action": ids},
        follow=True,
    )
    assert "No tariff is set for 2025" in response.content.decode()
