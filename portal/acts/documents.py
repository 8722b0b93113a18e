"""S-5: the documents an MSE act produces, as the standard of the public service lists them.

The standard (order No. 60 of 3 March 2021, the standard's point 5, "the result of the service"):
a disability certificate when disability is established; extracts of the social and of the
professional part of the individual rehabilitation programme (IPR) when developed; certificates of
the degree of loss of general and of professional working capacity when established; the
conclusion on the injured worker's need for additional help and care when determined; when the
person is not recognised, the notice of the MSE expert conclusion at a primary examination, and
the notice of full rehabilitation at a re-examination. Electronic copies, certified with the
provider's EDS, go to the cabinet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.acts.models import ExaminationKind, MseAct


@dataclass(frozen=True)
class ActDocument:
    slug: str
    title: Promise


CERTIFICATE = ActDocument("certificate", _("Disability certificate"))
IPR_SOCIAL = ActDocument("ipr-social", _("Extract from the social part of the individual rehabilitation programme"))
IPR_PROFESSIONAL = ActDocument(
    "ipr-professional", _("Extract from the professional part of the individual rehabilitation programme")
)
GENERAL_LOSS = ActDocument("general-capacity-loss", _("Certificate of the degree of loss of general working capacity"))
PROFESSIONAL_LOSS = ActDocument(
    "professional-capacity-loss", _("Certificate of the degree of loss of professional working capacity")
)
HELP_AND_CARE = ActDocument("help-and-care", _("Conclusion on the need for additional help and care"))
NOTICE_EXPERT_CONCLUSION = ActDocument(
    "notice-not-recognised", _("Notice of the MSE expert conclusion (not recognised as a person with disability)")
)
NOTICE_FULL_REHABILITATION = ActDocument("notice-full-rehabilitation", _("Notice of full rehabilitation"))


def act_documents(act: MseAct) -> list[ActDocument]:
    """The documents ``act`` produced, in the standard's order."""
    found: list[ActDocument] = []
    if act.recognised:
        found.append(CERTIFICATE)
    elif act.kind == ExaminationKind.REPEAT:
        found.append(NOTICE_FULL_REHABILITATION)
    else:
        found.append(NOTICE_EXPERT_CONCLUSION)
    if act.ipr_social:
        found.append(IPR_SOCIAL)
    if act.ipr_professional:
        found.append(IPR_PROFESSIONAL)
    if act.general_capacity_loss is not None:
        found.append(GENERAL_LOSS)
    if act.professional_capacity_loss is not None:
        found.append(PROFESSIONAL_LOSS)
    if act.needs_help_and_care:
        found.append(HELP_AND_CARE)
    return found


def act_document(act: MseAct, slug: str) -> ActDocument | None:
    """The document ``slug`` of ``act``, or None when the act did not produce it."""
    return next((d for d in act_documents(act) if d.slug == slug), None)
