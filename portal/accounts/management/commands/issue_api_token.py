"""``manage.py issue_api_token --integrator NAME --scopes a,b``: issue an integrator's API token.

Prints the key once (only its hash is stored). Scopes are those the core and the installed apps
registered (``--list-scopes`` shows them); an unknown one is refused. The admin's "Issue a token
with all scopes" action does the same with every scope.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.accounts.models import Integrator
from portal.accounts.scopes import scope_choices
from portal.accounts.services import api_token_create
from portal.errors import ApplicationError


class Command(BaseCommand):
    help = "Issue an API token for an integrator; prints the key once."

    def add_arguments(self, parser):
        parser.add_argument("--integrator", help="the integrator's name, as in the admin")
        parser.add_argument("--scopes", default="", help="comma-separated scopes, e.g. referrals:write,bookings:read")
        parser.add_argument("--name", default="cli", help="a name for the token (shown in the admin)")
        parser.add_argument("--expires-in-days", type=int, default=None, help="no expiry when omitted")
        parser.add_argument("--list-scopes", action="store_true", help="list the scopes and exit")

    def handle(self, *args, **options):
        if options["list_scopes"]:
            for value, label in scope_choices():
                self.stdout.write(f"{value}\t{label}")
            return
        if not options["integrator"]:
            raise CommandError("--integrator is required")
        integrator = Integrator.objects.filter(name=options["integrator"]).first()
        if integrator is None:
            raise CommandError(f"No integrator named {options['integrator']!r}")
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        if not scopes:
            raise CommandError("--scopes is required (see --list-scopes)")
        expires_at = None
        if options["expires_in_days"] is not None:
            expires_at = timezone.now() + dt.timedelta(days=options["expires_in_days"])
        try:
            token, key = api_token_create(
                integrator=integrator, name=options["name"], scopes=scopes, expires_at=expires_at
            )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"Token {token.prefix}... for {integrator.name}, scopes {', '.join(token.scopes)}")
        self.stdout.write(key)
