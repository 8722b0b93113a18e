"""P-5: what the VKK chair signs on a form 031/u, the canonical content of a referral.

The CMS in ``signature`` is over these bytes (detached or attached): the UTF-8 JSON of the object
below, keys sorted, no whitespace (separators ``,`` and ``:``), non-ASCII characters as they are
(not ``\\u`` escapes)::

    {"diagnosis_text": "...", "examinations": [{"code", "conclusion", "performed_on", "title"}, ...],
     "external_id": "...", "icd10": "S48.0", "organisation_bin": "...", "person_iin": "...",
     "signed_at": "2026-11-20T05:15:00Z", "vkk_chair_iin": "...", "vkk_chair_name": "..."}

Values as the portal stores them: ``icd10`` in upper case with its dot, ``signed_at`` in UTC to
the second with ``Z``, names and texts without invisible characters (``portal.validators``), an
examination's ``title`` its ``code`` when none is sent, ``conclusion`` ``""`` and ``performed_on``
``YYYY-MM-DD`` or ``null`` when none; the examinations in the order sent.
"""

from __future__ import annotations

import datetime as dt
import json


def referral_signed_content(
    *,
    person_iin: str,
    organisation_bin: str,
    external_id: str,
    icd10: str,
    signed_at: dt.datetime,
    vkk_chair_name: str,
    vkk_chair_iin: str,
    diagnosis_text: str = "",
    examinations: list[dict] | None = None,
) -> bytes:
    utc = signed_at.astimezone(dt.UTC).replace(microsecond=0)
    document = {
        "diagnosis_text": diagnosis_text,
        "examinations": [
            {
                "code": e["code"],
                "conclusion": e.get("conclusion", ""),
                "performed_on": e["performed_on"].isoformat() if e.get("performed_on") else None,
                "title": e.get("title", e["code"]),
            }
            for e in examinations or []
        ],
        "external_id": external_id,
        "icd10": icd10,
        "organisation_bin": organisation_bin,
        "person_iin": person_iin,
        "signed_at": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "vkk_chair_iin": vkk_chair_iin,
        "vkk_chair_name": vkk_chair_name,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
