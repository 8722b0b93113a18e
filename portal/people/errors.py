"""Errors about people that every app answers the same way."""

from django.utils.translation import gettext_lazy as _

from portal.errors import ErrorCode

# An IIN nobody registered, or one an integrator may not name: one answer for both.
PERSON_UNKNOWN = ErrorCode("person_unknown", _("No person with this IIN is registered."))
