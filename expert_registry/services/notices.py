"""N-E3 and N-E4 with a cabinet message (E-4, E-5, E-6), in the candidate's language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from expert_registry.models import Application, CabinetMessage
from expert_registry.sms import EXPERT_REFUSAL_REASONS, ExpertSms
from portal import messaging

# E-4 (point 8, 3): grounds of refusal to accept documents.
DOCUMENT_REFUSAL_GROUNDS: dict[str, object] = {
    "incomplete_or_expired": _("incomplete documents or documents whose term has expired"),
    "disqualifying_information": _(
        "psychiatric or narcological registration, or a criminal record (point 6 of the algorithm)"
    ),
    "missing_proof": _("no proof of the diploma, work experience, specialist certificate or MSE training"),
}


def _in_languages(text: object) -> dict[str, str]:
    values = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            values[language] = str(text)
    return values


def refusal_ground_text(code: str, language: str) -> str:
    """The sentence of a refusal ground's code (E-4's or N-E4's) in ``language``; the code itself if unknown."""
    if code in DOCUMENT_REFUSAL_GROUNDS:
        with translation.override(language):
            return str(DOCUMENT_REFUSAL_GROUNDS[code])
    texts = EXPERT_REFUSAL_REASONS.get(code)
    if texts is None:
        return code
    return texts.get(language) or texts["ru"]


def documents_refused_notify(*, application: Application, grounds: list[str]) -> None:
    """N-E3 with the reasons, and the same in the cabinet."""
    reasons = [_in_languages(DOCUMENT_REFUSAL_GROUNDS[g]) for g in grounds]
    messaging.notify(
        recipient=application.person,
        template=ExpertSms.DOCUMENTS_REFUSED,
        context={"full_name": application.person.full_name, "reason": _joined(reasons)},
        dedupe_key=f"expert-application:{application.pk}:documents-refused",
    )
    text = {lang: "; ".join(r[lang] for r in reasons) for lang in ("kk", "ru", "en")}
    intro = _in_languages(_("Your documents were not accepted. Reason: "))
    CabinetMessage.objects.create(
        person=application.person,
        application=application,
        **{f"text_{lang}": intro[lang] + text[lang] for lang in ("kk", "ru", "en")},
    )


def _joined(reasons: list[dict[str, str]]) -> dict[str, str]:
    return {lang: "; ".join(r[lang] for r in reasons) for lang in ("kk", "ru", "en")}


def refusal_notify(*, application: Application, reasons: list[str]) -> None:
    """N-E4 with every reason that applies (``EXPERT_REFUSAL_REASONS`` keys), and the cabinet message."""
    texts = [EXPERT_REFUSAL_REASONS[r] for r in reasons]
    messaging.notify(
        recipient=application.person,
        template=ExpertSms.REFUSED,
        context={"full_name": application.person.full_name, "reasons": texts},
        dedupe_key=f"expert-application:{application.pk}:refused",
    )
    intro = _in_languages(_("You were refused inclusion in the registry of experts due to: "))
    CabinetMessage.objects.create(
        person=application.person,
        application=application,
        **{f"text_{lang}": intro[lang] + _joined(texts)[lang] for lang in ("kk", "ru", "en")},
    )


def cabinet_message(*, application: Application, text: object) -> CabinetMessage:
    values = _in_languages(text)
    return CabinetMessage.objects.create(
        person=application.person,
        application=application,
        **{f"text_{lang}": values[lang] for lang in ("kk", "ru", "en")},
    )
