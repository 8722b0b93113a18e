"""The API's JSON parser: a bounded body and a bounded nesting depth.

Python's ``json`` decoder recurses once per ``[`` or ``{``: a body of 50,000 brackets exhausts the
stack and used to answer 500 on every JSON endpoint. This parser reads at most
``API_MAX_BODY_BYTES`` and counts the nesting before decoding, so both are refused as a 400 in the
one error shape (codes ``request_too_large`` and ``json_too_deep``). It is DRF's default parser
(``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``); a view that names its own parsers uses this one too.
"""

from __future__ import annotations

import codecs
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

MSG_TOO_LARGE = _("The request body is larger than %(limit)s bytes.")
MSG_TOO_DEEP = _("The JSON body is nested more than %(limit)s levels deep.")
MSG_UNREADABLE = _("The request body is not valid JSON.")

# A JSON string literal (escapes included): brackets inside strings do not nest anything.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', flags=re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_exceeds(text: str, limit: int) -> bool:
    """True when ``text`` opens more than ``limit`` arrays/objects inside each other."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def read_bounded(stream, limit: int) -> bytes:
    """The body, or a 400 (``request_too_large``) when it is longer than ``limit`` bytes."""
    raw = stream.read(limit + 1) if stream is not None else b""
    if len(raw) > limit:
        raise ParseError(MSG_TOO_LARGE % {"limit": limit}, code="request_too_large")
    return raw


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        raw = read_bounded(stream, settings.API_MAX_BODY_BYTES)
        try:
            text = codecs.decode(raw, encoding)
        except UnicodeDecodeError:
            raise ParseError(MSG_UNREADABLE, code="parse_error") from None
        limit = settings.API_MAX_JSON_DEPTH
        if json_depth_exceeds(text, limit):
            raise ParseError(MSG_TOO_DEEP % {"limit": limit}, code="json_too_deep")
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except (ValueError, RecursionError):
            raise ParseError(MSG_UNREADABLE, code="parse_error") from None
