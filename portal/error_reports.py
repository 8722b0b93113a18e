"""What Django's error reports (the debug page, error e-mails) may show of the settings.

Django hides settings whose names look secret (``KEY``, ``SECRET``, ``PASS``, ``TOKEN`` ...), but
``REDIS_URL``, ``DATABASE_URL`` and ``CELERY_BROKER_URL`` carry their password inside the URL, and
the cache's ``LOCATION`` repeats it under a harmless name. This filter also hides every setting
(and request header or environment entry, which runserver copies into ``request.META``) named
``*URL*`` or ``*DSN*``, and masks the password of any ``scheme://user:password@host`` value it
still shows, whatever its name.
"""

from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter

# scheme://user:password@  ->  scheme://user:********@   (the user name is not a secret)
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.\-]*://[^:/@\s]*:)[^@\s]+@", flags=re.IGNORECASE)


class SecretsHiddenReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile("API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DSN", flags=re.IGNORECASE)

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        return mask_url_password(cleansed) if isinstance(cleansed, str) else cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, mask_url_password(value) if isinstance(value, str) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


def mask_url_password(text: str) -> str:
    # str(): lazy settings (django-axes' among them) pass isinstance(..., str) without being one
    return _URL_PASSWORD.sub(
        lambda m: m.group("head") + SecretsHiddenReporterFilter.cleansed_substitute + "@", str(text)
    )
