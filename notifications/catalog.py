"""Sample contexts of the SMS templates, for the admin's preview.

The texts are data (seeded by migrations, edited in the admin). Each app declares its template keys
and a sample context for each in its own ``sms.py`` and registers the samples in its
``AppConfig.ready`` through ``notifications.services.template_samples_register``; the core's
templates (sign-in code, consent code, the re-examination reminder) have theirs here, as the core cannot know this app.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

# The core's templates: portal.accounts.services (sign-in) and portal.consent.services.
SIGN_IN_CODE = "sign_in_code"
CONSENT_CODE = "consent_code"
# portal.acts.services
ACT_TERM_REMINDER = "act_term_reminder"
# portal.acts.services (S-5)
ACT_RESULT_READY = "act_result_ready"

SAMPLE_CONTEXTS: dict[str, dict] = {
    SIGN_IN_CODE: {"code": "123456", "minutes": 5},
    CONSENT_CODE: {"code": "482913", "minutes": 10, "integrator": "МИС Дамумед"},
    ACT_TERM_REMINDER: {
        "full_name": "Сериков Ерлан Маратович",
        "act_number": "11-3-2026-00042",
        "group": "2",
        "term_until": "16.12.2026",
    },
    ACT_RESULT_READY: {"full_name": "Сериков Ерлан Маратович", "act_number": "11-3-2026-00042"},
}


def template_samples_register(samples: dict[str, dict]) -> None:
    """Add an app's sample contexts (key -> context); a key another app registered is an error."""
    for key, context in samples.items():
        if key in SAMPLE_CONTEXTS and SAMPLE_CONTEXTS[key] is not context:
            raise ImproperlyConfigured(f"SMS template {key!r} has a sample already")
        SAMPLE_CONTEXTS[key] = context
