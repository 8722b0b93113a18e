"""Uploads of documents, for every app: the checks (type by content, size, virus scan) and the
private storage the files are kept in.

The type is read from the first bytes (PDF ``%PDF-``, JPEG ``FF D8 FF``, PNG's 8-byte signature),
never from the name or the browser's Content-Type. The size limit is ``UPLOAD_MAX_BYTES``. The scan
hook is the callable named by ``UPLOAD_SCANNER`` (``callable(name, data)``); it raises
``ValueError`` for an infected file. The default, ``scan_nothing``, accepts every file: production
sets the antivirus's adapter.

Files are kept under ``PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT``, with no URL: each app serves
them through a view that checks who asks and records the read (``portal.accesslog``). An app checks
every file first (``upload_check``), then writes its rows and stores the files inside
``files_removed_on_error`` so that a failure after a file was stored leaves no file behind.

That block cannot see what happens after it: an outer transaction that rolls back later, or a
process that dies between writing the file and the commit, leaves a file no row names. The nightly
``private_uploads_orphans_sweep`` deletes such files once they are older than
``UPLOAD_ORPHAN_AGE_HOURS``, so no copy of a person's document outlives its row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from portal.errors import ApplicationError, ErrorCode

logger = logging.getLogger(__name__)

FILE_TYPE = ErrorCode("file_type", _("Only PDF, JPEG or PNG files are accepted."))
FILE_TOO_BIG = ErrorCode("file_too_big", _("The file is too big: at most %(limit)s MB."))
FILE_INFECTED = ErrorCode("file_infected", _("The file did not pass the virus check."))

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    data: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def scan_nothing(name: str, data: bytes) -> None:
    """The default scan hook: accepts every file (no antivirus configured)."""


def upload_check(*, name: str, file: IO[bytes], field: str = "file") -> CheckedUpload:
    """Read ``file`` (at most the size limit plus one byte) and check its size, type and the scan.

    Raises ``ApplicationError`` naming ``field``; nothing is stored here."""
    limit = int(settings.UPLOAD_MAX_BYTES)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ApplicationError(FILE_TOO_BIG.format(limit=round(limit / (1024 * 1024), 1)), field=field)
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise ApplicationError(FILE_TYPE, field=field)
    scanner: Callable[[str, bytes], None] = import_string(settings.UPLOAD_SCANNER)
    try:
        scanner(name, data)
    except ValueError as exc:
        raise ApplicationError(FILE_INFECTED, field=field) from exc
    return CheckedUpload(name=name, data=data, content_type=content_type, sha256=hashlib.sha256(data).hexdigest())


class PrivateStorage(FileSystemStorage):
    """A file system storage whose files have no URL; its root is read from settings on each use."""

    @property
    def base_location(self) -> Any:
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self) -> str:
        return os.path.abspath(str(self.base_location))

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL: serve them through an access-checked view.")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage


@contextmanager
def files_removed_on_error() -> Iterator[Callable[[FieldFile, CheckedUpload, str], None]]:
    """Store checked uploads in a block; if the block raises, the files it stored are deleted.

    Use it inside the ``transaction.atomic`` that writes the rows, so that a failure rolls back the
    rows and removes the files together::

        with transaction.atomic(), files_removed_on_error() as store:
            store(document.file, upload, "death_certificate")
            document.save()
    """
    stored: list[tuple[FileSystemStorage, str]] = []

    def store(field_file: FieldFile, upload: CheckedUpload, stem: str) -> None:
        field_file.save(f"{stem}{EXTENSIONS[upload.content_type]}", ContentFile(upload.data), save=False)
        stored.append((field_file.storage, field_file.name))  # type: ignore[arg-type]

    try:
        yield store
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise


def private_file_fields() -> dict[type[models.Model], list[str]]:
    """Every installed model's file fields kept on the private storage, by model; found, never listed,
    so an app's new document model is swept without being named here."""
    found: dict[type[models.Model], list[str]] = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        # local fields only: a child of multi-table inheritance does not read its parent's column again
        names = [
            field.attname
            for field in model._meta.local_concrete_fields
            if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage)
        ]
        if names:
            found[model] = names
    return found


def private_uploads_referenced() -> set[str]:
    """The names of the private files some row holds: one query per model, names only."""
    referenced: set[str] = set()
    for model, names in private_file_fields().items():
        # the base manager: a manager that hides rows (archived, soft-deleted) must not orphan their files
        for row in model._base_manager.values_list(*names).iterator(chunk_size=5000):
            referenced.update(name for name in row if name)
    return referenced


def _private_files_older_than(root: str, cutoff: float) -> list[str]:
    """Storage names (``/``-separated, relative to ``root``) of the files last modified before ``cutoff``."""
    old: list[str] = []
    for folder, _dirs, files in os.walk(root):
        for file_name in files:
            path = os.path.join(folder, file_name)
            try:
                modified = os.lstat(path).st_mtime
            except FileNotFoundError:  # deleted since the folder was listed
                continue
            if modified < cutoff:
                old.append(os.path.relpath(path, root).replace(os.sep, "/"))
    return old


def private_uploads_orphans_sweep(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete the private files no row names that were last modified more than ``older_than`` ago.

    Such a file was stored by a block whose rows never committed: an outer transaction rolled back
    after ``files_removed_on_error`` had finished, or the process died before the commit. A younger
    file may belong to an upload whose transaction is still open, so it stays until a later sweep.
    The files are listed before the rows are read, so a row committed in between still counts.
    Returns how many files were deleted; the log has the count only, never a name."""
    if older_than <= dt.timedelta(0):
        raise ValueError("older_than must be positive: a younger file may belong to an open transaction.")
    storage = private_storage()
    cutoff = ((now or timezone.now()) - older_than).timestamp()
    old = _private_files_older_than(storage.location, cutoff) if os.path.isdir(storage.location) else []
    referenced = private_uploads_referenced() if old else set()
    deleted = 0
    for name in old:
        if name not in referenced:
            storage.delete(name)
            deleted += 1
    logger.info("private uploads sweep: %d unreferenced files deleted", deleted)
    return deleted


def private_file_response(field_file: FieldFile, *, content_type: str, filename: str) -> FileResponse:
    """The file as an attachment, never rendered inline, its type not guessed by the browser."""
    response = FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        as_attachment=True,
        filename=f"{filename}{EXTENSIONS.get(content_type, '')}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
