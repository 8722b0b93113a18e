"""Minimal sender until the delivery pipeline lands: logs the message, masked."""

import logging

from portal.validators import mask_phone

logger = logging.getLogger(__name__)


def notify(*, recipient, template: str, context: dict, dedupe_key: str, **options):
    phone = getattr(recipient, "phone", recipient)
    logger.info("sms template=%s to=%s key=%s", template, mask_phone(phone), dedupe_key)
