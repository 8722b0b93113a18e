"""The ``shep`` backend: a synchronous call through the e-government gateway (SHEP).

``POST {STATEDATA_SHEP_URL}`` with a JSON envelope ``{"service", "messageId", "key", "on"}``; the answer
``{"status": "found"|"not_found", "data": {...}, "messageId"}``. A timeout, a refused connection, a 5xx,
a 408/429 or an answer we cannot read is ``unavailable`` ("try later"), never ``not_found``: a missing
record must not be guessed from a broken line.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
import uuid

from django.conf import settings

from portal.statedata.backends import FOUND, NOT_FOUND, UNAVAILABLE, RawAnswer
from portal.statedata.systems import System

NAME = "shep"
MAX_ANSWER_BYTES = 256 * 1024
logger = logging.getLogger(__name__)


def transport(url: str, body: bytes, timeout: float) -> tuple[int, bytes]:
    """POST ``body`` as JSON; (status, answer). Tests replace this function or start a local server."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    token = settings.STATEDATA_SHEP_TOKEN
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - configured URL
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), bytes(response.read(MAX_ANSWER_BYTES))
    except urllib.error.HTTPError as exc:
        return int(exc.code), b""


def query(*, system: System, key: str, on: dt.date | None) -> RawAnswer:
    url = settings.STATEDATA_SHEP_URL
    if not url:
        logger.warning("statedata: STATEDATA_SHEP_URL is not set")
        return RawAnswer(UNAVAILABLE)
    message_id = str(uuid.uuid4())
    body = json.dumps(
        {"service": system.shep_service, "messageId": message_id, "key": key, "on": on.isoformat() if on else None}
    ).encode()
    try:
        status, raw = transport(url, body, settings.STATEDATA_TIMEOUT_SECONDS)
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        logger.warning("statedata %s unavailable: %s", system.code, type(exc).__name__)
        return RawAnswer(UNAVAILABLE, reference=message_id)
    if status != 200:
        logger.warning("statedata %s unavailable: HTTP %s", system.code, status)
        return RawAnswer(UNAVAILABLE, reference=message_id)
    try:
        answer = json.loads(raw)
    except ValueError:
        return RawAnswer(UNAVAILABLE, reference=message_id)
    if not isinstance(answer, dict):
        return RawAnswer(UNAVAILABLE, reference=message_id)
    outcome = answer.get("status")
    data = answer.get("data")
    if outcome == NOT_FOUND:
        return RawAnswer(NOT_FOUND, reference=message_id)
    if outcome != FOUND or not isinstance(data, dict):
        return RawAnswer(UNAVAILABLE, reference=message_id)
    return RawAnswer(FOUND, data, reference=message_id)
