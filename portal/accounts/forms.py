from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from portal.accounts.services import MSG_CODE_FORMAT
from portal.validators import validate_iin


class DigitsField(forms.CharField):
    """Digits typed with spaces or dashes (as printed on cards and in SMS) are accepted."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(ch for ch in value if ch not in " -\u00a0")


class IinForm(forms.Form):
    iin = DigitsField(
        label=_("IIN"),
        max_length=12,
        min_length=12,
        validators=[validate_iin],
        help_text=_("12 digits, as in your identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username", "pattern": "[0-9]{12}"}),
    )


class CodeForm(forms.Form):
    code = DigitsField(
        label=_("Code from the SMS"),
        max_length=6,
        min_length=6,
        # Letters are a typing slip, refused here without using up one of the code's attempts.
        validators=[RegexValidator(r"^[0-9]{6}$", MSG_CODE_FORMAT, code="code_format")],
        help_text=_("6 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )
