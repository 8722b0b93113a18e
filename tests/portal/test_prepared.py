"""portal.prepared: a queryset compiled once answers exactly as the queryset built anew each time.

The hot API lookups (the token, the named person with X-8, the referral with Q-9) run through it,
so the rules they read (X-8's guardianships on the day, the token's integrator) must come out the
same whatever the values, the day or the database.
"""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from portal.accesslog.models import PersonalDataAccess
from portal.accounts.acting import PERSON_FOR_INTEGRATOR, _person_for_integrator
from portal.people.models import Person
from portal.prepared import PreparedQuery, insert_one
from tests.factories import GuardianshipFactory, IntegratorFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def test_x8_prepared_person_lookup_answers_as_the_queryset_for_each_person_and_day():
    referral = ReferralFactory()
    integrator = referral.medical_organisation.integrator
    other = IntegratorFactory()
    # a representative whose ward the integrator referred, under a guardianship of 2020-2024
    guardianship = GuardianshipFactory(
        ward=referral.person, valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2024, 12, 31)
    )
    stranger = PersonFactory()
    cases = [
        (referral.person.iin, integrator.pk, dt.date(2026, 12, 1), True),
        (referral.person.iin, other.pk, dt.date(2026, 12, 1), False),
        (guardianship.representative.iin, integrator.pk, dt.date(2024, 12, 31), True),
        (guardianship.representative.iin, integrator.pk, dt.date(2025, 1, 1), False),
        (stranger.iin, integrator.pk, dt.date(2026, 12, 1), False),
    ]
    for iin, integrator_id, day, may_act in cases:
        prepared = PERSON_FOR_INTEGRATOR.first(iin=iin, integrator_id=integrator_id, day=day)
        built = _person_for_integrator(iin, integrator_id, day).first()
        assert (prepared.pk, prepared.may_act) == (built.pk, built.may_act)
        assert prepared.may_act is may_act
        # select_related came along: no query to reach the registration unit
        assert prepared.registration_atu == built.registration_atu
    nobody = PERSON_FOR_INTEGRATOR.first(iin="000000000000", integrator_id=integrator.pk, day=dt.date(2026, 12, 1))
    assert nobody is None


def test_prepared_query_reads_its_related_rows_in_the_one_query(django_assert_num_queries):
    person = PersonFactory()
    PERSON_FOR_INTEGRATOR.first(iin=person.iin, integrator_id=1, day=dt.date(2026, 12, 1))  # compiled
    with django_assert_num_queries(1):
        found = PERSON_FOR_INTEGRATOR.first(iin=person.iin, integrator_id=1, day=dt.date(2026, 12, 1))
        assert found.registration_atu.pk == person.registration_atu_id


def test_prepared_values_query_gives_dicts():
    person = PersonFactory(last_name="Абаева")
    by_iin = PreparedQuery(
        lambda iin: Person.objects.filter(iin=iin).values("pk", "last_name"), iin="prepared-test-iin-0001"
    )
    assert by_iin.all(iin=person.iin) == [{"pk": person.pk, "last_name": "Абаева"}]
    assert by_iin.all(iin="000000000000") == []


def test_prepared_query_refuses_a_sample_its_lookup_rewrites():
    PersonFactory()
    containing = PreparedQuery(lambda name: Person.objects.filter(last_name__icontains=name), name="prepared-x")
    with pytest.raises(ImproperlyConfigured):
        containing.all(name="Сер")


def test_prepared_query_needs_every_value():
    with pytest.raises(TypeError):
        PERSON_FOR_INTEGRATOR.first(iin="000000000000", integrator_id=1)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_prepared_query_becomes_a_prepared_statement_on_postgresql():
    person = PersonFactory()
    for _ in range(6):  # psycopg prepares from the 5th run (DATABASE_PREPARE_THRESHOLD)
        PERSON_FOR_INTEGRATOR.first(iin=person.iin, integrator_id=1, day=dt.date(2026, 12, 1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "people_person"' in s for s in statements)


def test_x9_insert_one_writes_the_row_save_would_write():
    person = PersonFactory()
    integrator = IntegratorFactory()
    row = PersonalDataAccess(
        person_id=person.pk,
        actor=integrator.user,
        integrator=integrator,
        accessed_at=dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC),
        actor_kind=PersonalDataAccess.ActorKind.INTEGRATOR,
        subject=PersonalDataAccess.Subject.REFERRAL,
        purpose=PersonalDataAccess.Purpose.BOOKING_ON_BEHALF,
        channel=PersonalDataAccess.Channel.API,
        object_label="portal_referrals.referral",
        object_id="abc",
    )
    insert_one(row)
    (stored,) = PersonalDataAccess.objects.filter(person=person)
    assert (stored.actor_id, stored.integrator_id) == (integrator.user_id, integrator.pk)
    assert stored.accessed_at == dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)
    assert (stored.subject, stored.purpose, stored.channel, stored.object_id) == (
        "referral",
        "booking_on_behalf",
        "api",
        "abc",
    )
