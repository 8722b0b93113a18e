"""X-9: staff reads of the IINs of benefit recipients and applicants are logged: the payment list's
page in the admin and its CSV / XLSX exports, the registration journal's export (appendix 6). One
INSERT per page or export, however many lines, one row per person (whom the person's cabinet then
shows); never an IIN in the object reference. The lines a staff member reads are of their region
(rule 6)."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benefits.models import JournalEntry
from benefits.services import funeral_application_file, payment_list_build
from portal.accesslog.models import PersonalDataAccess
from portal.accounts.models import User
from portal.accounts.roles import Role
from tests.benefits import helpers
from tests.benefits.conftest import DECEASED, died
from tests.benefits.payments import approved_decision
from tests.portal.factories import AtuFactory, PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)
LOG_TABLE = PersonalDataAccess._meta.db_table


def staff(role: str, *perms: str, **scope) -> User:
    return helpers.staff(role, *perms, with_person=False, **scope)


@pytest.fixture
def paid():
    """March's list: three recipients registered in region A, one in region B."""
    region_a = RegionFactory()
    region_b = RegionFactory(kato="710000000", name_ru="Астана", name_kk="Астана", name_en="Astana")
    district_a, district_b = AtuFactory(region=region_a), AtuFactory(region=region_b, kato="711000000")
    recipients = []
    for serial, district in ((11, district_a), (12, district_a), (13, district_a), (14, district_b)):
        decision = approved_decision(serial=serial, amount=Decimal("52345.67"), periodic=True, start=MARCH)
        recipients.append(PersonFactory(iin=decision.application.applicant_iin, registration_atu=district))
    return SimpleNamespace(
        plist=payment_list_build(month=MARCH), region_a=region_a, in_a=recipients[:3], in_b=recipients[3:]
    )


def _log_inserts(queries) -> int:
    return sum(1 for q in queries if q["sql"].lstrip().upper().startswith("INSERT") and LOG_TABLE in q["sql"])


def _logged(**filters) -> set[int]:
    return set(PersonalDataAccess.objects.filter(**filters).values_list("person_id", flat=True))


def test_x9_payment_list_page_records_a_read_of_each_recipient_of_the_staff_members_region(client, paid):
    without_lines = staff(Role.PROVIDER_STAFF, "benefits.view_paymentlist", region=paid.region_a)
    client.force_login(without_lines)
    page = client.get(reverse("admin:benefits_paymentlist_change", args=[paid.plist.pk]))
    assert page.status_code == 200
    assert not any(p.iin in page.content.decode() for p in paid.in_a)  # no permission to see the lines
    user = staff(Role.PROVIDER_STAFF, "benefits.view_paymentlist", "benefits.view_paymentline", region=paid.region_a)
    client.force_login(user)
    # the change list shows months only: no IIN, nothing to record
    listing = client.get(reverse("admin:benefits_paymentlist_changelist"))
    assert listing.status_code == 200
    assert not any(p.iin in listing.content.decode() for p in paid.in_a + paid.in_b)
    assert not PersonalDataAccess.objects.exists()
    # the list's page shows region A's recipients' IINs, and records them in one INSERT
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:benefits_paymentlist_change", args=[paid.plist.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert all(p.iin in html for p in paid.in_a)
    assert paid.in_b[0].iin not in html  # another region's line is not shown
    assert _log_inserts(queries.captured_queries) == 1
    assert _logged() == {p.pk for p in paid.in_a}
    row = PersonalDataAccess.objects.first()
    assert row.actor == user
    assert row.actor_kind == "provider_staff"
    assert row.region == paid.region_a
    assert (row.subject, row.purpose, row.channel) == ("benefit", "benefit_payment", "admin")
    assert (row.object_label, row.object_id) == ("benefits.paymentlist", str(paid.plist.public_id))


def test_x9_payment_list_exports_record_one_insert_per_export_and_only_the_region_read(client, paid):
    url = reverse("admin:benefits_paymentlist_changelist")
    committee = staff(Role.COMMITTEE_STAFF, "benefits.view_paymentlist")
    client.force_login(committee)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"action": "export_csv", "_selected_action": [paid.plist.pk]})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 + 4  # header and the four lines
    assert _log_inserts(queries.captured_queries) == 1  # one per export, not one per line
    assert _logged(actor=committee) == {p.pk for p in paid.in_a + paid.in_b}
    assert set(PersonalDataAccess.objects.values_list("object_id", flat=True)) == {""}  # no IIN as a reference

    provider = staff(Role.PROVIDER_STAFF, "benefits.view_paymentlist", region=paid.region_a)
    client.force_login(provider)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"action": "export_xlsx", "_selected_action": [paid.plist.pk]})
    sheet = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert all(p.iin in sheet for p in paid.in_a)
    assert paid.in_b[0].iin not in sheet
    assert _log_inserts(queries.captured_queries) == 1
    assert _logged(actor=provider) == {p.pk for p in paid.in_a}
    assert PersonalDataAccess.objects.filter(actor=provider).count() == 3


def test_x9_journal_export_records_the_applicant_and_the_deceased_in_one_insert(client):
    died(DECEASED, timezone.localdate() - dt.timedelta(days=20))
    deceased = PersonFactory(iin=DECEASED)
    applicant = PersonFactory()
    application = funeral_application_file(
        deceased_iin=DECEASED, channel="portal", applicant=applicant, confirmed_by="sms_code"
    )
    user = staff(Role.PROVIDER_STAFF, "benefits.view_journalentry", region=applicant.registration_atu.region)
    client.force_login(user)
    entry = JournalEntry.objects.get(application=application)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("admin:benefits_journalentry_changelist"), {"action": "export_csv", "_selected_action": [entry.pk]}
        )
    text = response.content.decode()
    assert applicant.iin in text
    assert DECEASED in text
    assert _log_inserts(queries.captured_queries) == 1
    assert _logged(actor=user, subject="benefit", purpose="benefit_payment") == {applicant.pk, deceased.pk}
