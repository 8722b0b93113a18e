"""X-8 in the queue's API: an integrator acts only for its own people and departments.

Two hospital systems, each with its own medical organisation and a patient referred by it; a
department's system bound to one department. The API runs on the real clock.
"""

import pytest
from rest_framework.test import APIClient

from portal.accounts.scopes import scope_values
from portal.accounts.services import api_token_create, integrator_create
from portal.consent.models import Consent
from queue_booking import selectors
from queue_booking.models import Booking, Slot
from queue_booking.scopes import QueueScope
from queue_booking.services import booking_create
from tests.factories import GuardianshipFactory, MedicalOrganisationFactory, PersonFactory, ReferralFactory
from tests.queue_booking.conftest import consenting, department_open_today, working_today

pytestmark = pytest.mark.django_db

NOT_FOUND = {"errors": [{"field": None, "code": "not_found", "message": "Not found."}]}
PERSON_UNKNOWN = {
    "errors": [{"field": "citizen_iin", "code": "person_unknown", "message": "No person with this IIN is registered."}]
}
REFERRAL_NOT_FOUND = {"errors": [{"field": "referral", "code": "referral_not_found", "message": "No such referral."}]}
BOOKING_NOT_FOUND = {"errors": [{"field": "booking", "code": "booking_not_found", "message": "No such booking."}]}


def token_client(integrator, scopes=None) -> APIClient:
    _token, key = api_token_create(
        integrator=integrator, name="t", scopes=scopes or scope_values(integrator_kind=integrator.kind)
    )
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


def first_free_slot(department) -> Slot:
    day = selectors.available_dates(department=department)[1]
    return next(s for s in selectors.available_slots(department=department, day=day) if s.free)


@pytest.fixture
def world(db):
    """Hospital A's and hospital B's systems, each with a consenting patient referred by it, living in
    the area of one department open today; a stranger nobody referred."""
    department = department_open_today(number=7)
    atu = department.atus.first()
    mis_a = integrator_create(name="MIS A", kind="mis")
    mis_b = integrator_create(name="MIS B", kind="mis")
    org_a = MedicalOrganisationFactory(integrator=mis_a, region=department.region)
    org_b = MedicalOrganisationFactory(integrator=mis_b, region=department.region)
    own = consenting(PersonFactory(registration_atu=atu))
    other = consenting(PersonFactory(registration_atu=atu))
    stranger = consenting(PersonFactory(registration_atu=atu))
    return {
        "department": department,
        "atu": atu,
        "mis_a": mis_a,
        "mis_b": mis_b,
        "own": own,
        "own_referral": ReferralFactory(person=own, medical_organisation=org_a),
        "other": other,
        "other_referral": ReferralFactory(person=other, medical_organisation=org_b),
        "stranger": stranger,
        "a": token_client(mis_a),
    }


def book(referral, department) -> Booking:
    return booking_create(referral=referral, slot_id=first_free_slot(department).pk, actor=referral.person)


# --- sec1: people and bookings ---------------------------------------------------------------------


def test_sec1_mis_cannot_list_bookings_of_a_stranger(world):
    book(world["other_referral"], world["department"])
    # when: MIS A names hospital B's patient
    r = world["a"].get("/api/v1/queue/bookings/", HTTP_X_CITIZEN_IIN=world["other"].iin)
    # then: nothing, exactly as for an IIN nobody registered
    assert r.status_code == 200
    assert r.json() == []
    r = world["a"].get("/api/v1/queue/bookings/", HTTP_X_CITIZEN_IIN="900101300017")
    assert (r.status_code, r.json()) == (200, [])


def test_sec1_mis_lists_only_its_own_referrals_bookings(world):
    # given: the patient has a booking of hospital B's referral and one of hospital A's
    patient = world["other"]
    book(world["other_referral"], world["department"])
    own_referral = ReferralFactory(person=patient, medical_organisation=world["own_referral"].medical_organisation)
    mine = book(own_referral, world["department"])
    # when
    r = world["a"].get("/api/v1/queue/bookings/", HTTP_X_CITIZEN_IIN=patient.iin)
    # then: only the booking of its own referral
    assert [b["id"] for b in r.json()] == [str(mine.public_id)]


def test_sec1_mis_cannot_read_or_cancel_a_booking_of_another_hospital(world):
    booking = book(world["other_referral"], world["department"])
    url = f"/api/v1/queue/bookings/{booking.public_id}/"
    # naming the booking's own person does not help: the referral is hospital B's
    r = world["a"].get(url, HTTP_X_CITIZEN_IIN=world["other"].iin)
    assert (r.status_code, r.json()) == (404, PERSON_UNKNOWN)
    # naming its own patient: no such booking, as for an id that does not exist
    r = world["a"].get(url, HTTP_X_CITIZEN_IIN=world["own"].iin)
    assert (r.status_code, r.json()) == (404, BOOKING_NOT_FOUND)
    r = world["a"].post(f"{url}cancel/", {}, HTTP_X_CITIZEN_IIN=world["own"].iin)
    assert (r.status_code, r.json()) == (404, BOOKING_NOT_FOUND)
    booking.refresh_from_db()
    assert booking.status == "booked"


@pytest.mark.django_db(transaction=True)
def test_q7_integrator_booking_reads_the_referral_once_and_logs_the_access_in_its_transaction(world):
    """The hot path of an integrator's booking: the referral found (X-8), checked (Q-9) and locked in
    one statement; the access record (X-9) written in the booking's transaction; bench/ measures it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.accesslog.models import PersonalDataAccess

    org = world["own_referral"].medical_organisation
    warm = ReferralFactory(person=world["own"], medical_organisation=org)
    body = {"referral_id": str(warm.public_id), "slot_id": first_free_slot(world["department"]).pk}
    r = world["a"].post("/api/v1/queue/bookings/create/", body, HTTP_X_CITIZEN_IIN=world["own"].iin)
    assert r.status_code == 201, r.json()  # warms the calendar's, the content types' and the template's caches
    body = {"referral_id": str(world["own_referral"].public_id), "slot_id": first_free_slot(world["department"]).pk}
    with CaptureQueriesContext(connection) as ctx:
        r = world["a"].post("/api/v1/queue/bookings/create/", body, HTTP_X_CITIZEN_IIN=world["own"].iin)
    assert r.status_code == 201, r.json()
    # without Redis the cache is a database table: its reads are cache round trips, not the booking's;
    # what follows the commit is the SMS task, run at once by the test settings (a worker's, not the request's)
    sql = [q["sql"] for q in ctx.captured_queries if '"portal_cache"' not in q["sql"]]
    sql = sql[: sql.index("COMMIT") + 1]
    # token, person (with X-8), BEGIN, the referral locked, the place taken, the ticket, the booking,
    # its audit entry and history, the SMS and its event, the access record, COMMIT (SQLite reads the
    # taken slot again, typed: its RETURNING gives raw text)
    assert len(sql) <= (13 if connection.vendor == "postgresql" else 14), "\n".join(s[:120] for s in sql)
    assert sum(s.startswith('SELECT "referrals_referral"."id"') for s in sql) == 1
    assert not any(s.startswith('SELECT "queue_booking_booking"') for s in sql)  # Q-9 read with the lock
    assert not any(s.startswith('SELECT "notifications_template"') for s in sql)
    assert 'INSERT INTO "accesslog_personaldataaccess"' in sql[-2]
    assert PersonalDataAccess.objects.filter(person=world["own"], purpose="booking_on_behalf").count() == 2


def test_q9_integrator_booking_of_a_booked_referral_is_refused_and_not_logged(world):
    from portal.accesslog.models import PersonalDataAccess

    body = {"referral_id": str(world["own_referral"].public_id), "slot_id": first_free_slot(world["department"]).pk}
    r = world["a"].post("/api/v1/queue/bookings/create/", body, HTTP_X_CITIZEN_IIN=world["own"].iin)
    assert r.status_code == 201, r.json()
    body["slot_id"] = first_free_slot(world["department"]).pk
    r = world["a"].post("/api/v1/queue/bookings/create/", body, HTTP_X_CITIZEN_IIN=world["own"].iin)
    assert (r.status_code, r.json()["errors"][0]["code"]) == (409, "already_booked")
    assert Booking.objects.filter(referral=world["own_referral"]).count() == 1
    assert PersonalDataAccess.objects.filter(person=world["own"], purpose="booking_on_behalf").count() == 1


def test_sec1_mis_cannot_book_for_a_stranger(world):
    slot = first_free_slot(world["department"])
    # a stranger's own referral from hospital B
    r = world["a"].post(
        "/api/v1/queue/bookings/create/",
        {"referral_id": str(world["other_referral"].public_id), "slot_id": slot.pk},
        HTTP_X_CITIZEN_IIN=world["other"].iin,
    )
    assert (r.status_code, r.json()) == (404, PERSON_UNKNOWN)
    # hospital B's referral, named with its own patient
    r = world["a"].post(
        "/api/v1/queue/bookings/create/",
        {"referral_id": str(world["other_referral"].public_id), "slot_id": slot.pk},
        HTTP_X_CITIZEN_IIN=world["own"].iin,
    )
    assert (r.status_code, r.json()) == (404, REFERRAL_NOT_FOUND)
    assert not Booking.objects.exists()


def test_sec1_mis_availability_only_for_its_own_referrals(world):
    url = f"/api/v1/queue/referrals/{world['other_referral'].public_id}/availability/"
    r = world["a"].get(url, HTTP_X_CITIZEN_IIN=world["own"].iin)
    assert (r.status_code, r.json()) == (404, REFERRAL_NOT_FOUND)
    url = f"/api/v1/queue/referrals/{world['own_referral'].public_id}/availability/"
    r = world["a"].get(url, HTTP_X_CITIZEN_IIN=world["own"].iin)
    assert r.status_code == 200
    assert r.json()["department"]["number"] == 7


def test_sec1_mis_books_reads_and_cancels_for_its_own_patient(world):
    iin = {"HTTP_X_CITIZEN_IIN": world["own"].iin}
    r = world["a"].post(
        "/api/v1/queue/bookings/create/",
        {"referral_id": str(world["own_referral"].public_id), "slot_id": first_free_slot(world["department"]).pk},
        **iin,
    )
    assert r.status_code == 201, r.json()
    booking_id = r.json()["id"]
    assert world["a"].get(f"/api/v1/queue/bookings/{booking_id}/", **iin).json()["status"] == "booked"
    r = world["a"].post(f"/api/v1/queue/bookings/{booking_id}/cancel/", {}, **iin)
    assert (r.status_code, r.json()["status"]) == (200, "cancelled")


def test_sec1_mis_acts_for_the_legal_representative_of_its_patient(world):
    # given: hospital A referred a child; the parent books through hospital A's system
    child = consenting(PersonFactory(registration_atu=world["atu"]))
    parent = PersonFactory(registration_atu=world["atu"])
    GuardianshipFactory(representative=parent, ward=child)
    referral = ReferralFactory(person=child, medical_organisation=world["own_referral"].medical_organisation)
    # when
    r = world["a"].post(
        "/api/v1/queue/bookings/create/",
        {"referral_id": str(referral.public_id), "slot_id": first_free_slot(world["department"]).pk},
        HTTP_X_CITIZEN_IIN=parent.iin,
    )
    # then
    assert r.status_code == 201, r.json()
    assert Booking.objects.get(public_id=r.json()["id"]).booked_by == parent
    # and hospital B's system cannot name the parent
    r = token_client(world["mis_b"]).get("/api/v1/queue/bookings/", HTTP_X_CITIZEN_IIN=parent.iin)
    assert r.json() == []


def test_sec1_integrator_without_organisations_acts_for_nobody(world):
    goscorp = integrator_create(name="State Corporation", kind="goscorp")
    c = token_client(goscorp)
    r = c.get(
        f"/api/v1/queue/referrals/{world['own_referral'].public_id}/availability/",
        HTTP_X_CITIZEN_IIN=world["own"].iin,
    )
    assert (r.status_code, r.json()) == (404, PERSON_UNKNOWN)


# --- sec1: the department's desk ---------------------------------------------------------------------


@pytest.fixture
def desk(world):
    """A walk-in of today in the department, added by the department's staff."""
    from queue_booking.services import walk_in_add

    working_today()  # walk-ins only on working days
    return walk_in_add(department=world["department"], person_iin=world["own"].iin, actor_user=None)


def test_sec1_unbound_integrator_cannot_read_the_departments_queue(world, desk):
    department = world["department"]
    r = world["a"].get(f"/api/v1/queue/departments/{department.pk}/queue/")
    # then: as for a department that does not exist
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert world["a"].get("/api/v1/queue/departments/999999/queue/").json() == NOT_FOUND


def test_sec1_unbound_integrator_cannot_add_walk_ins_check_in_or_serve(world, desk):
    department = world["department"]
    r = world["a"].post(f"/api/v1/queue/departments/{department.pk}/walk-ins/", {"person_iin": world["other"].iin})
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    r = world["a"].post(f"/api/v1/queue/departments/{department.pk}/check-in/", {"code": desk.ticket_number})
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    for action in ("served", "left"):
        r = world["a"].post(f"/api/v1/queue/bookings/{desk.public_id}/{action}/")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    desk.refresh_from_db()
    assert desk.status == "arrived"
    assert Booking.objects.count() == 1


def test_sec1_integrator_bound_to_the_department_works_its_desk(world, desk):
    # given: the department's own system, bound to it in the admin
    system = integrator_create(name="Department 7 desk", kind="other")
    system.departments.add(world["department"])
    c = token_client(system, [QueueScope.QUEUE_STAFF])
    department = world["department"]
    # when / then
    queue = c.get(f"/api/v1/queue/departments/{department.pk}/queue/").json()
    assert [q["id"] for q in queue] == [str(desk.public_id)]
    r = c.post(f"/api/v1/queue/departments/{department.pk}/walk-ins/", {"person_iin": world["other"].iin})
    assert r.status_code == 201, r.json()
    r = c.post(f"/api/v1/queue/bookings/{desk.public_id}/served/")
    assert (r.status_code, r.json()["status"]) == (200, "served")
    # and another department stays closed to it
    other = department_open_today(number=8)
    assert c.get(f"/api/v1/queue/departments/{other.pk}/queue/").status_code == 404


def test_sec1_desk_service_refuses_an_unbound_integrator(world):
    from portal.errors import ForbiddenError
    from queue_booking.services import walk_in_add

    with pytest.raises(ForbiddenError) as exc:
        walk_in_add(department=world["department"], person_iin=world["own"].iin, actor_user=world["mis_a"].user)
    assert exc.value.code == "not_staff"


# --- sec2: consent is the person's own act ------------------------------------------------------------


def test_sec2_integrator_cannot_assert_consent(world):
    # given: its own patient, who has not consented (the earlier consent withdrawn)
    patient = PersonFactory(registration_atu=world["atu"])
    referral = ReferralFactory(person=patient, medical_organisation=world["own_referral"].medical_organisation)
    slot = first_free_slot(world["department"])
    # when: the integrator says the person consented
    r = world["a"].post(
        "/api/v1/queue/bookings/create/",
        {"referral_id": str(referral.public_id), "slot_id": slot.pk, "consent_given": True},
        format="json",
        HTTP_X_CITIZEN_IIN=patient.iin,
    )
    # then: refused, nothing recorded
    assert r.status_code == 400
    assert r.json() == {
        "errors": [
            {
                "field": "consent",
                "code": "consent_required",
                "message": "Consent to the processing of personal data is needed first.",
            }
        ]
    }
    assert not Consent.objects.filter(subject=patient).exists()
    assert not Booking.objects.exists()


# --- sec12: no IIN in URLs ---------------------------------------------------------------------------


def test_sec12_iin_in_the_query_string_is_not_accepted(world):
    book(world["own_referral"], world["department"])
    r = world["a"].get("/api/v1/queue/bookings/", {"citizen_iin": world["own"].iin})
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "citizen_iin_required"


def test_sec12_no_url_pattern_takes_an_iin_or_phone():
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, route)
            else:
                yield route

    routes = list(walk(get_resolver().url_patterns))
    assert any("queue/bookings" in r for r in routes)
    assert [r for r in routes if "iin" in r.lower() or "phone" in r.lower()] == []


def test_sec12_schema_names_the_citizen_in_a_header_never_in_the_query(client):
    schema = client.get("/api/schema/?format=json").json()
    params = [
        (path, p["name"], p["in"])
        for path, item in schema["paths"].items()
        for op in item.values()
        if isinstance(op, dict)
        for p in op.get("parameters", [])
    ]
    assert ("/api/v1/queue/bookings/", "X-Citizen-IIN", "header") in params
    assert [p for p in params if "iin" in p[1].lower() and p[2] != "header"] == []
    assert [p for p in params if "phone" in p[1].lower()] == []


# --- issue 8, point 20: Idempotency-Key ------------------------------------------------------------


def test_repeated_create_with_the_same_idempotency_key_returns_the_first_booking(world):
    payload = {"referral_id": str(world["own_referral"].public_id), "slot_id": first_free_slot(world["department"]).pk}
    headers = {"HTTP_X_CITIZEN_IIN": world["own"].iin, "HTTP_IDEMPOTENCY_KEY": "5b0c1f3e-retry"}
    first = world["a"].post("/api/v1/queue/bookings/create/", payload, **headers)
    assert first.status_code == 201, first.json()
    again = world["a"].post("/api/v1/queue/bookings/create/", payload, **headers)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Booking.objects.count() == 1
    # without the key, the second is the Q-9 conflict as before
    r = world["a"].post("/api/v1/queue/bookings/create/", payload, HTTP_X_CITIZEN_IIN=world["own"].iin)
    assert r.status_code == 409
    assert r.json()["errors"][0]["code"] == "already_booked"


def test_idempotency_key_must_be_short_visible_ascii(world):
    payload = {"referral_id": str(world["own_referral"].public_id), "slot_id": first_free_slot(world["department"]).pk}
    r = world["a"].post(
        "/api/v1/queue/bookings/create/",
        payload,
        HTTP_X_CITIZEN_IIN=world["own"].iin,
        HTTP_IDEMPOTENCY_KEY="x" * 65,
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "idempotency_key_invalid"
    assert not Booking.objects.exists()


# --- sec16: a ward's SMS after the guardianship ended --------------------------------------------------


def test_sec16_reminder_for_a_ward_goes_to_the_ward_after_the_guardianship_ended(world, sent):
    import datetime as dt

    from django.utils import timezone

    from queue_booking.services import booking_remind

    # given: a parent booked for the child
    child = consenting(PersonFactory(registration_atu=world["atu"], phone="+77011239901"))
    parent = PersonFactory(registration_atu=world["atu"], phone="+77011239902")
    guardianship = GuardianshipFactory(representative=parent, ward=child)
    referral = ReferralFactory(person=child, medical_organisation=world["own_referral"].medical_organisation)
    booking = booking_create(referral=referral, slot_id=first_free_slot(world["department"]).pk, actor=parent)
    assert sent.of("queue_booked")[0]["recipient"] == parent
    # when: the guardianship ended yesterday, and the reminder is due
    guardianship.valid_until = timezone.localdate() - dt.timedelta(days=1)
    guardianship.save()
    assert booking_remind(booking=booking)
    # then: the child hears of it, not the former representative
    (reminder,) = sent.of("queue_reminder")
    assert reminder["recipient"] == child
    assert reminder["context"]["full_name"] == child.full_name


def test_x8_naming_someone_else_on_the_integrators_own_referral_is_person_unknown(world):
    """The referral's own person is answered from the referral read among the integrator's own;
    anyone else named on it goes through the full X-8 lookup: a stranger nobody referred is unknown,
    on the availability and on the booking, and nothing is booked."""
    url = f"/api/v1/queue/referrals/{world['own_referral'].public_id}/availability/"
    r = world["a"].get(url, HTTP_X_CITIZEN_IIN=world["stranger"].iin)
    assert (r.status_code, r.json()) == (404, PERSON_UNKNOWN)
    r = world["a"].post(
        "/api/v1/queue/bookings/create/",
        {"referral_id": str(world["own_referral"].public_id), "slot_id": first_free_slot(world["department"]).pk},
        HTTP_X_CITIZEN_IIN=world["stranger"].iin,
    )
    assert (r.status_code, r.json()) == (404, PERSON_UNKNOWN)
    assert not Booking.objects.exists()
    # a malformed IIN is still refused as such
    r = world["a"].get(url, HTTP_X_CITIZEN_IIN="123")
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "citizen_iin"


def test_x8_the_referrals_own_person_costs_no_lookup_of_their_own(world, django_assert_num_queries):
    """Availability for the integrator's own referral naming its own person: the referral is read with
    its person, Q-9 and X-8 in one query, and the person is not looked up again by the IIN."""
    url = f"/api/v1/queue/referrals/{world['own_referral'].public_id}/availability/"
    assert world["a"].get(url, HTTP_X_CITIZEN_IIN=world["own"].iin).status_code == 200  # warms the cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert world["a"].get(url, HTTP_X_CITIZEN_IIN=world["own"].iin).status_code == 200
    people_lookups = [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith('SELECT "people_person"')
    ]
    assert people_lookups == []
