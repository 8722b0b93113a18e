"""Forms of the queue pages: they check the shape of what was sent; the services check the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.forms import DigitsField
from portal.acts.models import Cause, DisabilityGroup, ExaminationKind
from portal.validators import validate_iin

MSG_PICK_REFERRAL = _("Choose the referral you want to book an examination for.")
MSG_PICK_DAY = _("Choose a date.")
MSG_PICK_SLOT = _("Choose a time.")
MSG_CODE_REQUIRED = _("Type the ticket number or scan the QR code of the ticket.")
MSG_CONSENT_REQUIRED = _("Tick the box to consent to the processing of personal data, or the visit cannot be booked.")


def _referral_label(referral, *, actor) -> str:
    who = _("for you") if referral.person_id == actor.pk else _("for %(name)s") % {"name": referral.person.full_name}
    signed = formats.date_format(timezone.localtime(referral.signed_at), "DATE_FORMAT")
    valid = formats.date_format(timezone.localtime(referral.valid_until), "DATE_FORMAT")
    return _("Referral %(number)s %(who)s, %(organisation)s, signed %(signed)s, valid until %(valid)s") % {
        "number": referral.external_id,
        "who": who,
        "organisation": referral.medical_organisation.name,
        "signed": signed,
        "valid": valid,
    }


class ReferralChoiceForm(forms.Form):
    """Step 1: which referral (form 031/u), the citizen's own or a ward's."""

    referral = forms.ChoiceField(
        label=_("Which referral do you want to book for?"),
        widget=forms.RadioSelect,
        error_messages={"required": MSG_PICK_REFERRAL, "invalid_choice": MSG_PICK_REFERRAL},
    )

    def __init__(self, *args, referrals: Iterable, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.referrals = {str(r.public_id): r for r in referrals}
        self.fields["referral"].choices = [(key, _referral_label(r, actor=actor)) for key, r in self.referrals.items()]

    def clean_referral(self):
        return self.referrals[self.cleaned_data["referral"]]


class DayChoiceForm(forms.Form):
    """Step 2: a date among the free ones (Q-6: weekends, holidays and business trips are left out)."""

    day = forms.ChoiceField(
        label=_("Choose a date"),
        widget=forms.RadioSelect,
        error_messages={"required": MSG_PICK_DAY, "invalid_choice": MSG_PICK_DAY},
    )

    def __init__(self, *args, days: Iterable[dt.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d.isoformat(), formats.date_format(d, "l, j E Y")) for d in days]

    def clean_day(self) -> dt.date:
        return dt.date.fromisoformat(self.cleaned_data["day"])


class SlotField(forms.TypedChoiceField):
    """Any slot id passes the form: a time taken since the page was shown is refused by the service
    with its own message ("just taken"), rather than a generic "choose a time"."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class SlotChoiceForm(forms.Form):
    """Step 3: a time on the chosen date."""

    slot = SlotField(
        label=_("Choose a time"),
        widget=forms.RadioSelect,
        coerce=int,
        error_messages={"required": MSG_PICK_SLOT, "invalid_choice": MSG_PICK_SLOT},
    )

    def __init__(self, *args, slots: Iterable, consent_for=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (str(s.id), formats.time_format(timezone.localtime(s.starts_at), "H:i")) for s in slots
        ]
        if consent_for is not None:
            self.ask_consent(consent_for)

    def ask_consent(self, person) -> None:
        """Q-12: the examined person has no live consent, so the booking asks for it (a required box)."""
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I, the person to be examined or their legal representative, consent to the processing of "
                "the personal data of %(name)s for booking the visit and for the medical and social examination."
            )
            % {"name": person.full_name},
            required=True,
            error_messages={"required": MSG_CONSENT_REQUIRED},
        )


class CheckInForm(forms.Form):
    """Staff: the ticket number typed, or the QR code's text typed by a USB scanner."""

    code = forms.CharField(
        label=_("Ticket number or QR code"),
        max_length=200,
        help_text=_("Type the ticket number, or put the cursor here and scan the QR code of the ticket."),
        error_messages={"required": MSG_CODE_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class WalkInForm(forms.Form):
    """Staff: add a person to today's live queue (Q-11), after the people who booked."""

    iin = DigitsField(
        label=_("IIN of the person"),
        max_length=12,
        min_length=12,
        validators=[validate_iin],
        help_text=_("12 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{12}"}),
    )


class ActForm(forms.Form):
    """The decision of an in-person examination (P-8, S-5), entered from the served visit.

    The place is the department and the date the visit's; the category follows the age on that day.
    Only the shape is checked here: the register (``portal.acts.services``) checks the decision.
    """

    kind = forms.ChoiceField(label=_("Examination"), choices=ExaminationKind.choices, widget=forms.RadioSelect)
    recognised = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("recognised as a person with disability")), ("no", _("not recognised"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    group = forms.ChoiceField(
        label=_("Disability group"), choices=[("", _("none")), *DisabilityGroup.choices], required=False
    )
    cause = forms.ChoiceField(label=_("Cause"), choices=[("", _("none")), *Cause.choices], required=False)
    term_until = forms.DateField(
        label=_("Established until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    without_term = forms.BooleanField(label=_("Without a re-examination date"), required=False)
    general_capacity_loss = forms.IntegerField(
        label=_("Degree of loss of general working capacity, %"), required=False, min_value=0, max_value=1000
    )
    professional_capacity_loss = forms.IntegerField(
        label=_("Degree of loss of professional working capacity, %"), required=False, min_value=0, max_value=1000
    )
    ipr_social = forms.BooleanField(label=_("Social part of the IPR developed"), required=False)
    ipr_professional = forms.BooleanField(label=_("Professional part of the IPR developed"), required=False)
    needs_help_and_care = forms.BooleanField(label=_("Needs additional help and care"), required=False)
