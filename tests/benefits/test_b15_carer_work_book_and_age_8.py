"""B-15 (appendix 3 of the act): the carer's yearly proof may be the work book's record of leaving
work, entered by the State Corporation's staff or by the carer in the cabinet (the systems are then
not asked); the carer's right ends when the youngest one cared for turns 8, and the share stops from
that birthday with a notice."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from benefits.services_survivor import (
    carer_reproof,
    carer_work_book_present,
    carers_reproof_due,
)
from benefits.statesystems import PENSION_CONTRIBUTIONS
from notifications.models import Message
from portal.errors import ApplicationError
from portal.statedata.models import DemoRecord
from tests.benefits.helpers import CARER, carer_filed, citizen_user
from tests.portal.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_b15_filing_keeps_the_youngest_birth_date_and_the_work_book_record():
    carer = carer_filed(youngest=dt.date(2022, 1, 1), on=dt.datetime(2026, 3, 10, 10), work_book="No. 14, 01.02.2026")
    assert carer.youngest_cared_birth_date == dt.date(2022, 1, 1)
    assert carer.stopped_working_proof == "work_book"
    assert carer.work_book_record == "No. 14, 01.02.2026"


def test_b15_work_book_at_the_reproof_renews_for_a_year_without_asking_the_systems():
    carer = carer_filed(youngest=dt.date(2022, 1, 1), on=dt.datetime(2026, 3, 10, 10))
    # the systems would show work; the work book presented on 1 Mar 2027 is the proof the act asks first
    DemoRecord.objects.create(
        system=PENSION_CONTRIBUTIONS, key=CARER, valid_from=dt.date(2026, 9, 1), data={"since": "2026-09-01"}
    )
    carer_work_book_present(dependant_id=carer.pk, record="No. 15, 28.02.2027", today=dt.date(2027, 3, 1))
    carer.refresh_from_db()
    assert carer.stopped_working_proof == "work_book"
    assert carer.stopped_working_proved_on == dt.date(2027, 3, 1)
    assert carer.work_book_record == "No. 15, 28.02.2027"
    assert carers_reproof_due(today=dt.date(2027, 3, 10)) == []
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2027, 3, 10)) == "not_due"
    assert carers_reproof_due(today=dt.date(2028, 2, 29)) == []
    assert carers_reproof_due(today=dt.date(2028, 3, 1)) == [carer.pk]
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2028, 3, 1)) == "suspended"
    carer.refresh_from_db()
    assert carer.suspended_from == dt.date(2028, 3, 1)


def test_b15_work_book_without_a_record_names_the_field():
    carer = carer_filed(youngest=dt.date(2022, 1, 1), on=dt.datetime(2026, 3, 10, 10))
    with pytest.raises(ApplicationError) as exc:
        carer_work_book_present(dependant_id=carer.pk, record="  ", today=dt.date(2027, 3, 1))
    assert exc.value.field == "work_book_record"
    carer.refresh_from_db()
    assert carer.stopped_working_proved_on == dt.date(2026, 3, 10)


def test_b15_work_book_after_the_youngest_turned_8_is_refused():
    carer = carer_filed(youngest=dt.date(2018, 3, 15), on=dt.datetime(2026, 3, 10, 10))
    carer_work_book_present(dependant_id=carer.pk, record="No. 3", today=dt.date(2026, 3, 14))
    with pytest.raises(ApplicationError) as exc:
        carer_work_book_present(dependant_id=carer.pk, record="No. 3", today=dt.date(2026, 3, 15))
    assert exc.value.code == "carer_not_eligible"


def test_b15_youngest_turning_8_ends_the_right_from_the_birthday_with_a_notice():
    # born 15 Mar 2018: 8 on 15 Mar 2026
    carer = carer_filed(youngest=dt.date(2018, 3, 15), on=dt.datetime(2026, 3, 10, 10))
    assert carers_reproof_due(today=dt.date(2026, 3, 14)) == []
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2026, 3, 14)) == "not_due"
    assert carers_reproof_due(today=dt.date(2026, 3, 15)) == [carer.pk]
    # the beat ran late (20 Mar 2026): the share stops from the birthday all the same
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2026, 3, 20)) == "ended"
    carer.refresh_from_db()
    assert carer.status == "ended"
    assert carer.suspended_from == dt.date(2026, 3, 15)
    assert carer.suspension_reason == "cared_child_aged_8"
    sent = Message.objects.filter(template__key="benefit_care_right_ended")
    assert sent.count() == 1
    assert "15.03.26" in sent.get().text  # the share stops from the birthday
    # a second run does nothing more
    assert carers_reproof_due(today=dt.date(2026, 3, 21)) == []
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2026, 3, 21)) == "not_due"
    assert Message.objects.filter(template__key="benefit_care_right_ended").count() == 1


def test_b15_proof_running_out_before_the_8th_birthday_is_checked_first():
    # proved 1 Mar 2025, ran out 1 Mar 2026; the youngest turns 8 on 15 Mar 2026
    carer = carer_filed(youngest=dt.date(2018, 3, 15), on=dt.datetime(2025, 3, 1, 10))
    DemoRecord.objects.create(
        system=PENSION_CONTRIBUTIONS, key=CARER, valid_from=dt.date(2025, 9, 1), data={"since": "2025-09-01"}
    )
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2026, 3, 20)) == "suspended"
    carer.refresh_from_db()
    assert (carer.status, carer.suspended_from) == ("suspended", dt.date(2026, 3, 1))


def test_b15_proof_running_out_before_the_8th_birthday_still_stopped_ends_on_the_birthday():
    carer = carer_filed(youngest=dt.date(2018, 3, 15), on=dt.datetime(2025, 3, 1, 10))
    assert carer_reproof(dependant_id=carer.pk, today=dt.date(2026, 3, 20)) == "ended"
    carer.refresh_from_db()
    assert (carer.status, carer.suspended_from) == ("ended", dt.date(2026, 3, 15))


def test_b15_carer_presents_the_work_book_in_the_cabinet(client):
    today = timezone.localdate()
    carer = carer_filed(youngest=today - dt.timedelta(days=700), on=dt.datetime(2026, 3, 10, 10))
    client.force_login(citizen_user(PersonFactory(iin=CARER)))  # the carer
    url = reverse("benefits:carer-work-book")
    page = client.get(url)
    assert page.status_code == 200
    assert str(carer.public_id) in page.content.decode()
    response = client.post(url, {"share": str(carer.public_id), "work_book_record": "No. 15, 28.02.2027"})
    assert response.status_code == 302
    carer.refresh_from_db()
    assert (carer.stopped_working_proof, carer.stopped_working_proved_on) == ("work_book", today)


def test_b15_another_persons_share_is_not_found_in_the_cabinet(citizen_client):
    carer = carer_filed(youngest=timezone.localdate() - dt.timedelta(days=700), on=dt.datetime(2026, 3, 10, 10))
    url = reverse("benefits:carer-work-book")
    assert str(carer.public_id) not in citizen_client.get(url).content.decode()
    response = citizen_client.post(url, {"share": str(carer.public_id), "work_book_record": "No. 15"})
    assert response.status_code == 404
    carer.refresh_from_db()
    assert carer.stopped_working_proved_on == dt.date(2026, 3, 10)


def test_b15_state_corporation_staff_enter_the_work_book_in_the_admin(client):
    carer = carer_filed(youngest=timezone.localdate() - dt.timedelta(days=700), on=dt.datetime(2026, 3, 10, 10))
    user = UserFactory(is_staff=True)
    url = reverse("admin:benefits_application_carer_work_book")
    client.force_login(user)
    assert client.get(url).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_application", content_type__app_label="benefits"))
    response = client.post(url, {"carer_iin": CARER, "work_book_record": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["work_book_record"]
    response = client.post(url, {"carer_iin": CARER, "work_book_record": "No. 15, 28.02.2027"})
    assert response.status_code == 302
    carer.refresh_from_db()
    assert (carer.stopped_working_proof, carer.work_book_record) == ("work_book", "No. 15, 28.02.2027")
