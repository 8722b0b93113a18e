from portal.consent.models import Consent
from portal.people.models import Person


def consent_live(*, subject: Person, scope: str = Consent.Scope.PERSONAL_DATA) -> Consent | None:
    """Q-12: the subject's live consent for ``scope`` (at most one: a database constraint), if any."""
    return Consent.objects.filter(subject=subject, scope=scope, withdrawn_at__isnull=True).first()
