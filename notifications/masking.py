"""Masking of what must not reach the logs: phone numbers (``mask_phone``) and codes in texts."""

from __future__ import annotations

import re

from portal.validators import mask_phone

_DIGITS = re.compile(r"\d{4,}")

__all__ = ["mask_phone", "mask_text"]


def mask_text(text: str) -> str:
    """Every run of 4 or more digits (codes, numbers) becomes ``***``."""
    return _DIGITS.sub("***", text or "")
