"""Writes each SMS to the log, with the number and any code masked. For development."""

from __future__ import annotations

import logging

from notifications.backends.base import Backend, SendResult
from notifications.masking import mask_text
from portal.validators import mask_phone

logger = logging.getLogger("notifications.console")


class ConsoleBackend(Backend):
    name = "console"

    def send(self, message) -> SendResult:
        logger.info(
            "sms to=%s segments=%s text=%s", mask_phone(message.phone), message.segments, mask_text(message.text)
        )
        return SendResult(gateway_id=f"console-{message.pk}")
