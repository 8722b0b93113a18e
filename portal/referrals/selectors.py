from django.db.models import QuerySet

from portal.people.models import Person
from portal.people.selectors import ward_list
from portal.referrals.models import Referral


def referral_list_for_citizen(*, person: Person) -> QuerySet[Referral]:
    """The citizen's own referrals and their wards', newest first."""
    ward_ids = list(ward_list(representative=person).values_list("pk", flat=True))
    return (
        Referral.objects.filter(person_id__in=[person.pk, *ward_ids])
        .select_related("person", "medical_organisation")
        .order_by("-signed_at")
    )
