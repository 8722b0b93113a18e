"""API token scopes. A token can do only what its scopes name.

The core declares its own scopes here (``Scope``); each app declares its own in ``<app>/scopes.py``
as a ``TextChoices`` and registers them in its ``AppConfig.ready`` with ``register_scopes``. The
core never names an app's scope: tokens are checked against every registered scope
(``scope_values``), and the admin's "all scopes" token gets them all.

X-8: an app may say which integrator kinds may hold its scopes
(``register_scopes(ExpertScope, integrator_kinds=[Integrator.Kind.COMMITTEE])``); a token for an
integrator of another kind is refused at issuance (``services.api_token_create``), and the app still
refuses it at use, for a token issued before the integrator's kind was changed.
"""

from __future__ import annotations

from collections.abc import Iterable

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
# value -> the integrator kinds that may hold it; a scope not here may be held by any kind
_kinds: dict[str, frozenset[str]] = {}


def register_scopes(choices: type[models.TextChoices], *, integrator_kinds: Iterable[str] | None = None) -> None:
    """Make an app's scopes known to tokens; called from the app's ``AppConfig.ready``.

    ``integrator_kinds``: the only ``Integrator.Kind`` values whose tokens may hold these scopes
    (omitted: any kind). Registering the same class twice is harmless; a value another class already
    declared is an error, and so is a kind ``Integrator.Kind`` does not have.
    """
    kinds = None if integrator_kinds is None else frozenset(str(kind) for kind in integrator_kinds)
    if kinds is not None:
        from portal.accounts.models import Integrator

        unknown = kinds - set(Integrator.Kind.values)
        if unknown or not kinds:
            raise ImproperlyConfigured(f"{choices.__qualname__}: no such integrator kinds {sorted(unknown)!r}")
    for member in choices:
        owner = _registered.get(member.value)
        if owner is not None and owner[0] is not choices:
            raise ImproperlyConfigured(f"API scope {member.value!r} is declared by {owner[0].__qualname__} already")
        _registered[member.value] = (choices, member.label)
        if kinds is None:
            _kinds.pop(member.value, None)
        else:
            _kinds[member.value] = kinds


def scope_values(*, integrator_kind: str | None = None) -> list[str]:
    """Every registered scope, sorted; with ``integrator_kind``, only those that kind may hold."""
    if integrator_kind is None:
        return sorted(_registered)
    return sorted(value for value in _registered if scope_allowed_for_kind(value, integrator_kind))


def scope_allowed_for_kind(scope: str, integrator_kind: str) -> bool:
    """Whether a token of an integrator of this kind may hold the scope (X-8)."""
    kinds = _kinds.get(scope)
    return kinds is None or str(integrator_kind) in kinds


def scope_choices() -> list[tuple[str, str]]:
    return [(value, _registered[value][1]) for value in scope_values()]
