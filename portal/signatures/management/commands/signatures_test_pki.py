"""Create the test PKI under var/pki/ (development and demo only; production refuses to trust it)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from portal.signatures.testpki import TestPki


class Command(BaseCommand):
    help = "Write a test root CA, an issuing CA and signing certificates for the given IINs under var/pki/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "var" / "pki"))
        parser.add_argument("--iin", action="append", default=[], help="a person's IIN (repeat)")
        parser.add_argument(
            "--employee", action="append", default=[], metavar="IIN:BIN", help="an organisation's employee (repeat)"
        )
        parser.add_argument("--ecdsa", action="append", default=[], help="a person's IIN with an ECDSA P-256 key")

    def handle(self, *args: Any, **options: Any) -> None:
        pki = TestPki(options["dir"]).ensure()
        for iin in options["iin"]:
            pki.person(iin)
        for pair in options["employee"]:
            iin, _, bin_ = pair.partition(":")
            pki.person(iin, bin=bin_)
        for iin in options["ecdsa"]:
            pki.person(iin, ecdsa=True)
        self.stdout.write(f"Test PKI in {pki.directory} (root: {pki.root_path.name}). Never trust it in production.")
