"""The one way the shared core sends an SMS.

The core cannot import the ``notifications`` app (apps depend on the core, never the reverse), so
that app registers its ``notify`` service here when it starts (``register_sender``). The call is made
inside the caller's transaction; the sender writes an outbox row there, so a rolled-back change
sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Sender = Callable[..., Any]
_sender: Sender | None = None


def register_sender(sender: Sender) -> None:
    global _sender
    _sender = sender


def notify(*, recipient, template: str, context: dict, dedupe_key: str, **options) -> Any:
    """Send ``template`` to ``recipient`` (a Person, or an E.164 phone string)."""
    if _sender is None:
        raise RuntimeError("No SMS sender is registered: is the notifications app installed?")
    return _sender(recipient=recipient, template=template, context=context, dedupe_key=dedupe_key, **options)
