"""X-1 in the admin: a warning when a row's Kazakh text is missing.

Rows carry their texts in Kazakh, Russian and English (``<field>_kk``, ``_ru``, ``_en``); an empty
Kazakh text shows the Russian one on Kazakh pages and in Kazakh SMS. That is allowed (the registries
the data comes from are Russian), but the staff member saving such a row is told what is missing.
"""

from __future__ import annotations

from django.contrib import messages
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

MSG_KAZAKH_MISSING = _(
    "%(fields)s: the Kazakh text is empty, so Kazakh pages and SMS show the Russian one. Fill it in."
)


class KazakhTextWarningAdminMixin:
    """Warn after saving a row whose ``<field>_kk`` is empty for a field in ``kazakh_fields``."""

    kazakh_fields: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        missing = [f"{field}_kk" for field in self.kazakh_fields if not getattr(obj, f"{field}_kk", "")]
        if missing:
            names = ", ".join(str(capfirst(obj._meta.get_field(name).verbose_name)) for name in missing)
            messages.warning(request, MSG_KAZAKH_MISSING % {"fields": names})
