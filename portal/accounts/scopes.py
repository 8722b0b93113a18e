"""API token scopes. A token can do only what its scopes name.

The core declares its own scopes here (``Scope``); each app declares its own in ``<app>/scopes.py``
as a ``TextChoices`` and registers them in its ``AppConfig.ready`` with ``register_scopes``. The
core never names an app's scope: tokens are checked against every registered scope
(``scope_values``), and the admin's "all scopes" token gets them all.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """The core's scopes."""

    REFERRALS_WRITE = "referrals:write", _("submit referrals (form 031/u)")
    REFERRALS_READ = "referrals:read", _("read referrals")
    CONSENTS_WRITE = "consents:write", _("ask a person for consent by a code sent to their phone")


# value -> (the TextChoices class that declared it, its label)
_registered: dict[str, tuple[type[models.TextChoices], str]] = {}


def register_scopes(choices: type[models.TextChoices]) -> None:
    """Make an app's scopes known to tokens; called from the app's ``AppConfig.ready``.

    Registering the same class twice is harmless; a value another class already declared is an error.
    """
    for member in choices:
        owner = _registered.get(member.value)
        if owner is not None and owner[0] is not choices:
            raise ImproperlyConfigured(f"API scope {member.value!r} is declared by {owner[0].__qualname__} already")
        _registered[member.value] = (choices, member.label)


def scope_values() -> list[str]:
    """Every registered scope, sorted."""
    return sorted(_registered)


def scope_choices() -> list[tuple[str, str]]:
    return [(value, _registered[value][1]) for value in scope_values()]
