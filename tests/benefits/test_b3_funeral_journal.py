"""B-3: the registration journal (appendix 6), exported from the admin as CSV and XLSX."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from benefits.exports import as_csv, as_xlsx, journal_rows
from benefits.models import JournalEntry
from benefits.services import funeral_application_file
from tests.benefits.conftest import DECEASED, OTHER_DECEASED, died
from tests.portal.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_b3_journal_holds_accepted_applications_only_and_exports():
    died(DECEASED, dt.date(2026, 1, 5))
    now = timezone.make_aware(dt.datetime(2026, 3, 10, 10), timezone.get_default_timezone())
    accepted = funeral_application_file(
        deceased_iin=DECEASED, channel="portal", applicant=PersonFactory(), confirmed_by="sms_code", now=now
    )
    funeral_application_file(  # not accepted: no death record
        deceased_iin=OTHER_DECEASED, channel="portal", applicant=PersonFactory(), confirmed_by="sms_code", now=now
    )
    rows = journal_rows(JournalEntry.objects.select_related("application"))
    assert len(rows) == 2
    assert rows[1][1] == accepted.number
    assert rows[1][2] == "10.03.2026 10:00"
    assert rows[1][7] == "05.01.2026"
    assert accepted.number.encode() in as_csv(rows)
    with zipfile.ZipFile(io.BytesIO(as_xlsx(rows))) as z:
        assert accepted.number in z.read("xl/worksheets/sheet1.xml").decode()


def test_b3_journal_export_from_the_admin(admin_client):
    died(DECEASED, dt.date(2026, 1, 5))
    now = timezone.make_aware(dt.datetime(2026, 3, 10, 10), timezone.get_default_timezone())
    application = funeral_application_file(
        deceased_iin=DECEASED, channel="portal", applicant=PersonFactory(), confirmed_by="sms_code", now=now
    )
    entry = JournalEntry.objects.get(application=application)
    response = admin_client.post(
        "/admin/benefits/journalentry/", {"action": "export_csv", "_selected_action": [entry.pk]}
    )
    assert response.status_code == 200
    assert application.number.encode() in response.content
    response = admin_client.post(
        "/admin/benefits/journalentry/", {"action": "export_xlsx", "_selected_action": [entry.pk]}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
