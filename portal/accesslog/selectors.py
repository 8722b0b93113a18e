"""X-9: what the person (and a representative, for their wards) is shown of the access log."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal.accesslog.models import PersonalDataAccess
from portal.people.models import Person
from portal.people.selectors import ward_list


def personal_data_access_list_for_person(*, person: Person) -> QuerySet[PersonalDataAccess]:
    """Reads of the person's data and of their wards' (under guardianship today), newest first."""
    wards = ward_list(representative=person).values("pk")
    return (
        PersonalDataAccess.objects.filter(Q(person=person) | Q(person__in=wards))
        .select_related("person", "integrator", "department", "region")
        .order_by("-accessed_at", "-pk")
    )
