"""B-5, B-13: the documents an applicant attaches where the state systems do not confirm them.

Every file goes through the core's checks (``portal.uploads.upload_check``: PDF, JPEG or PNG by
content, the size limit, the virus scan) before anything is written; a refused file names its field
(the document's kind, or ``dependants[i].<kind>`` for a dependant's). The files are stored by
``documents_store`` inside the caller's transaction and ``files_removed_on_error`` block, so a
failure leaves neither a row nor a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from benefits.models import Application, ApplicationDocument, Dependant, DocumentKind
from portal.errors import ApplicationError, ApplicationErrors
from portal.uploads import CheckedUpload, upload_check

FUNERAL = (DocumentKind.BURIER_IDENTITY, DocumentKind.BURIER_REGISTRATION, DocumentKind.DEATH_CERTIFICATE)
SURVIVOR = (
    DocumentKind.DEATH_DOCUMENT,
    DocumentKind.CIVIL_REGISTRY_NOTE,
    DocumentKind.GUARDIANSHIP,
    DocumentKind.MILITARY_ID,
    DocumentKind.DEATH_IN_SERVICE,
)
SURVIVOR_DEPENDANT = (DocumentKind.KINSHIP, DocumentKind.STUDY_CERTIFICATE)
# B-7 (appendix 3, items 4 and 5): presented with the benefit for raising a child with disability
DISABILITY_CHILD_RAISING = (DocumentKind.BIRTH_CERTIFICATE, DocumentKind.MARRIAGE_CERTIFICATE)

Uploads = Mapping[str, IO[bytes] | None]
Store = Callable[[FieldFile, CheckedUpload, str], None]


def documents_check(uploads: Uploads | None, *, kinds: Iterable[str], prefix: str = "") -> dict[str, CheckedUpload]:
    """Check each file given (``{kind: file}``); empty entries are skipped. Raises one
    ``ApplicationErrors`` naming every refused field; stores nothing."""
    allowed = set(kinds)
    checked: dict[str, CheckedUpload] = {}
    problems = []
    for kind, file in (uploads or {}).items():
        if file is None:
            continue
        field = f"{prefix}{kind}"
        if kind not in allowed:
            raise ApplicationError(_("This document is not asked for here."), code="document_unknown", field=field)
        try:
            checked[kind] = upload_check(name=str(getattr(file, "name", "") or kind), file=file, field=field)
        except ApplicationError as exc:
            problems.extend(exc.items)
    if problems:
        raise ApplicationErrors(problems)
    return checked


def documents_store(
    *,
    application: Application,
    checked: Mapping[str, CheckedUpload],
    store: Store,
    uploaded_by: Any = None,
    dependant: Dependant | None = None,
) -> list[ApplicationDocument]:
    rows = []
    for kind, upload in checked.items():
        row = ApplicationDocument(
            application=application,
            dependant=dependant,
            kind=kind,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
        )
        store(row.file, upload, kind)
        row.save()
        rows.append(row)
    return rows
