"""Private storage of candidates' uploads: a directory outside ``MEDIA_ROOT`` with no public URL.

Files are served only by ``views.document_download``, which checks who asks (the candidate, or
Committee staff). The directory is ``EXPERT_PRIVATE_MEDIA_ROOT``, read when a file is stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file system storage whose files have no URL; its root is read from settings on each use."""

    @property
    def base_location(self) -> Any:
        return settings.EXPERT_PRIVATE_MEDIA_ROOT

    @property
    def location(self) -> str:
        import os

        return os.path.abspath(str(self.base_location))

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL: serve them through an access-checked view.")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage
