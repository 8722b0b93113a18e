"""Backends of the state-data port: each answers ``(outcome, fields)`` for one system and key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FOUND = "found"
NOT_FOUND = "not_found"
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class RawAnswer:
    outcome: str
    data: Mapping[str, Any] = field(default_factory=dict)
    reference: str = ""  # the gateway's message id, the demo row's id
