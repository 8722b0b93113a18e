"""P-8: what the staff member signs when registering an MSE act, the canonical content of an act.

The CMS in ``signature`` is over these bytes (detached or attached): the UTF-8 JSON of the object
below, keys sorted, no whitespace (separators ``,`` and ``:``), non-ASCII characters as they are::

    {"category", "cause", "department", "examined_on": "YYYY-MM-DD", "general_capacity_loss": int|null,
     "group": "1"|"2"|"3"|"", "ipr_professional": bool, "ipr_social": bool, "kind", "needs_help_and_care": bool,
     "person_iin", "place", "professional_capacity_loss": int|null, "recognised": bool,
     "referral": "<referral public id>"|null, "signer_iin", "term_until": "YYYY-MM-DD"|null, "without_term": bool}

``department`` is the department's public number as ``<region code>-<department number>``.

A channel may sign more than the act keeps: ``annex`` (an object of strings, e.g. the remote
pilot's expert's reasons and rehabilitation needs) is added under the key ``"annex"`` only when
given, so an act without one is signed over exactly the bytes above. The channel keeps the annex.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any


def act_signed_content(
    *,
    person_iin: str,
    department: str,
    referral: str | None,
    kind: str,
    place: str,
    examined_on: dt.date,
    recognised: bool,
    group: str,
    cause: str,
    category: str,
    term_until: dt.date | None,
    without_term: bool,
    general_capacity_loss: int | None,
    professional_capacity_loss: int | None,
    ipr_social: bool,
    ipr_professional: bool,
    needs_help_and_care: bool,
    signer_iin: str,
    annex: dict[str, str] | None = None,
) -> bytes:
    document: dict[str, Any] = {
        "category": category,
        "cause": cause,
        "department": department,
        "examined_on": examined_on.isoformat(),
        "general_capacity_loss": general_capacity_loss,
        "group": group,
        "ipr_professional": ipr_professional,
        "ipr_social": ipr_social,
        "kind": kind,
        "needs_help_and_care": needs_help_and_care,
        "person_iin": person_iin,
        "place": place,
        "professional_capacity_loss": professional_capacity_loss,
        "recognised": recognised,
        "referral": referral,
        "signer_iin": signer_iin,
        "term_until": term_until.isoformat() if term_until else None,
        "without_term": without_term,
    }
    if annex is not None:
        document["annex"] = annex
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
