from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.people.models import Guardianship, Person


def _active_guardianships(day):
    return Guardianship.objects.filter(valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def ward_list(*, representative: Person, day=None) -> QuerySet[Person]:
    """The people this representative may act for today (wards under active guardianship)."""
    day = day or timezone.localdate()
    ward_ids = _active_guardianships(day).filter(representative=representative).values("ward_id")
    return Person.objects.filter(pk__in=ward_ids).select_related("registration_atu")


def person_can_act_for(*, actor: Person, subject: Person, day=None) -> bool:
    """True when ``actor`` is the subject or the subject's legal representative today."""
    if actor.pk == subject.pk:
        return True
    day = day or timezone.localdate()
    return _active_guardianships(day).filter(representative=actor, ward=subject).exists()
