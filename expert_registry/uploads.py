"""Candidates' uploads (E-3): the type by the file's content, the size, the virus-scan hook.

The type is read from the first bytes (PDF ``%PDF-``, JPEG ``FF D8 FF``, PNG's 8-byte signature),
never from the name or the browser's Content-Type. The scan hook is the callable named by
``EXPERT_UPLOAD_SCANNER``; it raises ``ValueError`` for an infected file. The default,
``scan_nothing``, accepts every file: production sets the antivirus's adapter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.module_loading import import_string

from expert_registry.errors import FILE_INFECTED, FILE_TOO_BIG, FILE_TYPE
from portal.errors import ApplicationError

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    content_type: str
    sha256: str


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def scan_nothing(name: str, data: bytes) -> None:
    """The default scan hook: accepts every file (no antivirus configured)."""


def upload_check(*, name: str, file: IO[bytes], field: str = "file") -> CheckedUpload:
    """Read ``file`` (at most the size limit plus one byte) and check its size, type and the scan."""
    limit = int(settings.EXPERT_UPLOAD_MAX_BYTES)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ApplicationError(FILE_TOO_BIG.format(limit=round(limit / (1024 * 1024), 1)), field=field)
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise ApplicationError(FILE_TYPE, field=field)
    scanner: Callable[[str, bytes], None] = import_string(settings.EXPERT_UPLOAD_SCANNER)
    try:
        scanner(name, data)
    except ValueError as exc:
        raise ApplicationError(FILE_INFECTED, field=field) from exc
    return CheckedUpload(data=data, content_type=content_type, sha256=hashlib.sha256(data).hexdigest())
