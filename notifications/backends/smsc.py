"""The ``http`` backend: a client of the SMSC.kz HTTP API.

``SMS_GATEWAY_URL`` is the gateway's base address (``https://smsc.kz``); an address configured
with an API path (``https://smsc.kz/sys/send.php``) works as well: the path is dropped.

Sending: ``POST {base}/sys/send.php`` with ``login``, ``psw``, ``phones`` (digits, no ``+``),
``mes``, ``sender``, ``charset=utf-8``, ``fmt=3`` (JSON) and our own message ``id``, so the
gateway's id is ours and a message can be looked up even when its answer was lost. Success is
``{"id": .., "cnt": ..}``; a refusal ``{"error": .., "error_code": N}``.

Status: ``POST {base}/sys/status.php`` with ``phone``, ``id``, ``fmt=3`` answers ``{"status": N}``.
Every call sends the login and password in the POST body, never in the URL (URLs land in access
logs and proxies).

Error codes of send.php and what the outbox does with them:

====  ===============================  ==========================================
code  meaning                          outcome
====  ===============================  ==========================================
1     parameters error                 permanent failure (our request is wrong)
2     wrong login or password          temporary failure: waits until fixed
3     not enough funds                 temporary failure: waits for a top-up
4     IP address blocked               temporary failure
5     wrong date format                permanent failure
6     message forbidden (text/sender)  permanent failure (refused)
7     wrong phone number format        permanent failure (bad number)
8     message cannot be delivered      permanent failure
9     too many identical requests      temporary failure (retried later)
====  ===============================  ==========================================

Connection errors, timeouts, HTTP 5xx and unreadable answers are technical failures (the gateway
was not reached, or we cannot tell): retried later. Only a refused connection (nothing was sent)
is repeated at once. After anything else, a 502/503/504 included (a gateway or its proxy may answer
so after accepting the message), the outcome is unknown: the next attempt first asks the gateway
whether it already has the message by our own id, so an uncertain answer never leads to a second
SMS. The status call is a read: it is repeated at once after a 502/503/504 too.

Transport: one pool of keep-alive connections per process (``gateway_pool``), shared by the
threads that send a batch (``SMS_SEND_THREADS``); a worker process forked from a parent that had a
pool builds its own, so no socket is shared between processes.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import urllib.parse

import urllib3
from django.conf import settings
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import NameResolutionError, NewConnectionError, ProtocolError, ReadTimeoutError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from notifications.backends.base import (
    Backend,
    GatewayStatus,
    PermanentSendError,
    SendResult,
    TechnicalSendError,
    TemporarySendError,
)
from portal.validators import mask_phone

logger = logging.getLogger(__name__)

SEND_PATH = "/sys/send.php"
STATUS_PATH = "/sys/status.php"

TEMPORARY_ERRORS = {
    2: "wrong gateway login or password",
    3: "not enough funds on the gateway account",
    4: "our IP address is blocked by the gateway",
    9: "too many requests to the gateway",
}
PERMANENT_ERRORS = {
    1: "the gateway refused the request parameters",
    5: "the gateway refused the date format",
    6: "the gateway forbids this message",
    7: "invalid phone number",
    8: "the message cannot be delivered",
}
# status.php: delivery statuses -> ours ("" = still on its way). -3: the gateway does not know the id.
NOT_FOUND_STATUS = -3
STATUS_MAP = {
    -1: ("sent", "waiting to be sent by the gateway"),
    0: ("sent", "passed to the operator"),
    1: ("delivered", ""),
    2: ("delivered", "read"),
    4: ("delivered", "link opened"),
    3: ("permanent_failure", "expired"),
    20: ("permanent_failure", "undeliverable"),
    22: ("permanent_failure", "wrong number"),
    23: ("permanent_failure", "prohibited"),
    24: ("permanent_failure", "not enough funds"),
    25: ("permanent_failure", "unreachable number"),
}
STATUS_ERROR_NOT_FOUND = 3
# HTTP statuses after which a read (the status call) is repeated at once; a send never is.
RETRYABLE_HTTP = {502, 503, 504}


_pool: urllib3.PoolManager | None = None
_pool_pid = 0
_pool_lock = threading.Lock()


def gateway_pool() -> urllib3.PoolManager:
    """This process's pool of keep-alive connections to the gateway (built again after a fork)."""
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            # no retries here: the backend decides what may be repeated (a send never after it left)
            _pool = urllib3.PoolManager(maxsize=max(1, settings.SMS_SEND_THREADS), block=False, retries=False)
            _pool_pid = os.getpid()
        return _pool


def gateway_base_url(url: str) -> str:
    """The gateway's base address, whether configured bare or with an API path."""
    url = url.strip().rstrip("/")
    for suffix in (SEND_PATH, STATUS_PATH, "/sys"):
        if url.endswith(suffix):
            return url[: -len(suffix)]
    return url


def status_from_code(code: int) -> GatewayStatus:
    if code == NOT_FOUND_STATUS:
        return GatewayStatus(status="", code=str(code), reason="unknown to the gateway", found=False)
    status, reason = STATUS_MAP.get(code, ("", f"unknown status {code}"))
    return GatewayStatus(status=status, code=str(code), reason=reason)


class SmscBackend(Backend):
    name = "http"
    can_poll = True

    def __init__(self):
        self.base_url = gateway_base_url(settings.SMS_GATEWAY_URL)
        self.login = settings.SMS_GATEWAY_LOGIN
        self.password = settings.SMS_GATEWAY_PASSWORD
        self.sender = settings.SMS_GATEWAY_SENDER
        self.timeout = settings.SMS_GATEWAY_TIMEOUT_SECONDS
        self.retries = settings.SMS_GATEWAY_RETRIES
        if not self.base_url:
            raise TechnicalSendError("SMS_GATEWAY_URL is not configured", code="not_configured")

    # --- the two calls ----------------------------------------------------------------------
    def send(self, message) -> SendResult:
        params = {
            "login": self.login,
            "psw": self.password,
            "phones": message.phone.lstrip("+"),
            "mes": message.text,
            "charset": "utf-8",
            "fmt": "3",
            "id": str(message.pk),
        }
        if self.sender:
            params["sender"] = self.sender
        # A send is not repeated after a 5xx: the gateway may have it (the next attempt asks first).
        answer = self._call(SEND_PATH, params, repeat_on_5xx=False)
        if "error_code" in answer:
            code = _int(answer.get("error_code"))
            if code in PERMANENT_ERRORS:
                raise PermanentSendError(PERMANENT_ERRORS[code], code=f"smsc:{code}")
            reason = TEMPORARY_ERRORS.get(code, f"gateway error {code}: {answer.get('error', '')}"[:200])
            raise TemporarySendError(reason, code=f"smsc:{code}")
        if "id" not in answer:
            raise TechnicalSendError("unexpected gateway answer", code="bad_answer")
        logger.info("smsc accepted message=%s to=%s", message.pk, mask_phone(message.phone))
        return SendResult(gateway_id=str(answer["id"]), segments=_int(answer.get("cnt")) or None)

    def status(self, message) -> GatewayStatus:
        params = {
            "login": self.login,
            "psw": self.password,
            "phone": message.phone.lstrip("+"),
            "id": message.gateway_id or str(message.pk),
            "charset": "utf-8",
            "fmt": "3",
        }
        answer = self._call(STATUS_PATH, params, repeat_on_5xx=True)
        if "error_code" in answer:
            code = _int(answer.get("error_code"))
            if code == STATUS_ERROR_NOT_FOUND:
                return GatewayStatus(status="", code=f"smsc:{code}", reason="unknown to the gateway", found=False)
            reason = TEMPORARY_ERRORS.get(code, f"gateway error {code}")
            raise TemporarySendError(reason, code=f"smsc:{code}")
        if "status" not in answer:
            raise TechnicalSendError("unexpected gateway answer", code="bad_answer")
        return status_from_code(_int(answer["status"]))

    # --- transport --------------------------------------------------------------------------
    def _call(self, path: str, params: dict, *, repeat_on_5xx: bool) -> dict:
        """One POST with a timeout over a pooled keep-alive connection; repeated at once only while
        it surely did not reach the gateway (connection refused), or, for a read, after a 502/503/504."""
        data = urllib.parse.urlencode(params).encode()
        url = self.base_url + path
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        timeout = urllib3.Timeout(connect=self.timeout, read=self.timeout)
        pool = gateway_pool()
        for attempt in range(self.retries + 1):
            try:
                response = pool.request("POST", url, body=data, headers=headers, timeout=timeout, redirect=False)
            except NewConnectionError as exc:  # before the read timeouts: it subclasses ConnectTimeoutError
                cause = exc.__cause__ or exc.__context__
                refused = isinstance(exc, NameResolutionError) or isinstance(
                    cause, ConnectionRefusedError | socket.gaierror
                )
                if refused and attempt < self.retries:
                    self._pause(attempt)
                    continue
                raise TechnicalSendError("gateway unreachable", code="unreachable") from None
            except (ReadTimeoutError, Urllib3Timeout, TimeoutError):
                raise TechnicalSendError("gateway timed out", code="timeout") from None
            except (ProtocolError, Urllib3Error, ConnectionError, OSError):
                raise TechnicalSendError("gateway connection failed", code="connection") from None
            if not 200 <= response.status < 300:
                if repeat_on_5xx and response.status in RETRYABLE_HTTP and attempt < self.retries:
                    self._pause(attempt)
                    continue
                raise TechnicalSendError(f"gateway answered HTTP {response.status}", code=f"http:{response.status}")
            try:
                answer = json.loads(response.data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise TechnicalSendError("unreadable gateway answer", code="bad_answer") from None
            if not isinstance(answer, dict):
                raise TechnicalSendError("unexpected gateway answer", code="bad_answer")
            return answer
        raise TechnicalSendError("gateway unreachable", code="unreachable")  # pragma: no cover

    def _pause(self, attempt: int) -> None:
        time.sleep(min(2.0, 0.2 * 2**attempt))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
