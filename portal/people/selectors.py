from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.people.models import Guardianship, Person


def active_guardianships(day) -> QuerySet[Guardianship]:
    """The guardianships in force on ``day`` (from ``valid_from`` to ``valid_until``, both included)."""
    return Guardianship.objects.filter(valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def ward_list(*, representative: Person, day=None) -> QuerySet[Person]:
    """The people this representative may act for today (wards under active guardianship)."""
    day = day or timezone.localdate()
    ward_ids = active_guardianships(day).filter(representative=representative).values("ward_id")
    return Person.objects.filter(pk__in=ward_ids).select_related("registration_atu")


def person_can_act_for(*, actor: Person, subject: Person, day=None) -> bool:
    """True when ``actor`` is the subject or the subject's legal representative today."""
    if actor.pk == subject.pk:
        return True
    day = day or timezone.localdate()
    return active_guardianships(day).filter(representative=actor, ward=subject).exists()


def sms_recipient_for(*, subject: Person, chosen: Person | None, day=None) -> Person:
    """Who hears about ``subject``'s affairs: ``chosen`` (the legal representative who booked or
    asked) while they may still act for the subject on ``day``, else the subject. A guardianship
    that ended takes the representative off the subject's messages."""
    if chosen is None or chosen.pk == subject.pk:
        return subject
    return chosen if person_can_act_for(actor=chosen, subject=subject, day=day) else subject
