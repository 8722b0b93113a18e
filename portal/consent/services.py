from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.consent.models import Consent
from portal.errors import ApplicationError, ForbiddenError
from portal.people.models import Person
from portal.people.selectors import person_can_act_for

MSG_NOT_REPRESENTATIVE = _("Only the person or their legal representative can give or withdraw this consent.")
MSG_NO_CONSENT = _("Consent to the processing of personal data is needed first.")


def consent_give(*, subject: Person, given_by: Person, scope: str, purpose: str, channel: str) -> Consent:
    """Record consent (Q-12). Giving a consent that is already live returns the live one."""
    if not person_can_act_for(actor=given_by, subject=subject):
        raise ForbiddenError(MSG_NOT_REPRESENTATIVE, code="not_representative", field="subject")
    live = Consent.objects.filter(subject=subject, scope=scope, withdrawn_at__isnull=True).first()
    if live is not None:
        return live
    try:
        with transaction.atomic():
            return Consent.objects.create(
                subject=subject,
                given_by=given_by,
                scope=scope,
                purpose=purpose,
                channel=channel,
                given_at=timezone.now(),
            )
    except IntegrityError:  # a concurrent give won the race: the live one is the answer
        return Consent.objects.get(subject=subject, scope=scope, withdrawn_at__isnull=True)


@transaction.atomic
def consent_withdraw(*, subject: Person, withdrawn_by: Person, scope: str, channel: str) -> Consent | None:
    if not person_can_act_for(actor=withdrawn_by, subject=subject):
        raise ForbiddenError(MSG_NOT_REPRESENTATIVE, code="not_representative", field="subject")
    live = Consent.objects.select_for_update().filter(subject=subject, scope=scope, withdrawn_at__isnull=True).first()
    if live is None:
        return None
    live.withdrawn_at = timezone.now()
    live.withdrawn_channel = channel
    live.save(update_fields=["withdrawn_at", "withdrawn_channel", "updated_at"])
    return live


def consent_is_live(*, subject: Person, scope: str) -> bool:
    return Consent.objects.filter(subject=subject, scope=scope, withdrawn_at__isnull=True).exists()


def consent_require(*, subject: Person, scope: str = Consent.Scope.PERSONAL_DATA) -> None:
    if not consent_is_live(subject=subject, scope=scope):
        raise ApplicationError(MSG_NO_CONSENT, code="consent_required", field="consent")
