"""A page falls back to its own language's source text, never to another language (X-1).

Django gives every catalog but the default language's a fallback to the default language
(``LANGUAGE_CODE``, Russian here): on a Kazakh page, a string missing from the Kazakh catalogs was
shown in Russian. The portal's catalogs (``locale/``) and its Kazakh for Django's, its admin's
and DRF's own strings (``locale_django/``) give Kazakh every string people read; a string still
missing (say, one a new Django version adds) is shown in English, the source every msgid is
written in, and never in a third language. English pages had no fallback already.

``DjangoTranslation._add_fallback`` is the one place Django adds that fallback, for the ``django``
catalog of pages and the ``djangojs`` one of the admin's scripts; ``PortalConfig.ready`` replaces
it. tests/portal/test_item16_kazakh_django_strings.py fails if a Django upgrade moves the fallback
elsewhere.
"""

from __future__ import annotations

from django.utils.translation import trans_real


def _no_fallback_to_another_language(self, localedirs=None) -> None:
    """No fallback catalog: a missing translation shows the msgid, the English source."""


def fallback_to_the_source_language() -> None:
    """Install the override and drop any catalog built before it (with its fallback)."""
    # Django's private catalog machinery, which its types do not describe
    trans_real.DjangoTranslation._add_fallback = _no_fallback_to_another_language  # type: ignore[attr-defined]
    trans_real._translations = {}  # type: ignore[attr-defined]
    trans_real._default = None  # type: ignore[attr-defined]
