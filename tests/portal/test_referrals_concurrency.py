"""Identical submissions racing each other store one referral (PostgreSQL: real concurrent connections)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from portal.errors import ApplicationError
from portal.referrals.models import Referral, ReferralExamination
from portal.referrals.services import referral_intake
from tests.factories import MedicalOrganisationFactory, PersonFactory
from tests.signing import sign_intake

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has one writer at a time (IMMEDIATE transactions), so there is no race",
    ),
]


def test_p5_concurrent_identical_submissions_store_one_referral(integrator):
    organisation = MedicalOrganisationFactory(integrator=integrator)
    person = PersonFactory()
    signed_at = timezone.now()
    n = 6
    barrier = threading.Barrier(n)
    results: list = [None] * n

    # signed once, before the race: the race is the intake's, not the test PKI's
    form = sign_intake(
        {
            "person_iin": person.iin,
            "organisation_bin": organisation.bin,
            "external_id": "031-race",
            "icd10": "Q90",
            "signed_at": signed_at,
            "vkk_chair_name": "Ахметова Г. С.",
            "examinations": [{"code": "karyotype"}],
        }
    )

    def submit(i):
        try:
            barrier.wait()
            referral, created = referral_intake(
                integrator=integrator,
                **form,
            )
            results[i] = ("ok", referral.pk, created)
        except ApplicationError as exc:
            results[i] = ("error", exc.code, None)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert all(r is not None and r[0] == "ok" for r in results), results
    assert len({r[1] for r in results}) == 1
    assert sum(1 for r in results if r[2]) == 1
    assert Referral.objects.count() == 1
    assert ReferralExamination.objects.count() == 1
