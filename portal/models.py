"""Abstract bases shared by every app's models."""

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The languages a field can be stored in; Russian is the one every row has.
CONTENT_LANGUAGES = ("kk", "ru", "en")


def in_language(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>`` (the active language by default); the Russian text when it is empty.

    Russian is the fallback because it is the one language every row is filled in (the registries
    the data comes from are kept in Russian); the admin warns when the Kazakh text is missing.
    """
    code = (language or get_language() or "ru")[:2]
    if code not in CONTENT_LANGUAGES:
        code = "ru"
    return getattr(obj, f"{field}_{code}", "") or getattr(obj, f"{field}_ru")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    """Citizen-facing objects carry a UUID in URLs so that URLs do not leak counts."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True
