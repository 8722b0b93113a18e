"""Log lines as JSON objects, one a line, for a log collector (``LOG_FORMAT=json``).

Each line holds the time, level, logger, message, the traceback if any, and the record's extra
fields (``logger.info("...", extra={...})``). Everything written is masked with
``portal.log_filters.mask_personal_data``, the extra fields included, which the handlers'
``PersonalDataFilter`` does not reach: an IIN or a phone number never reaches the log, whether in
the message or in a field, as a string or as a number.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from portal.log_filters import mask_personal_data

# The attributes every LogRecord has: anything else on a record came from ``extra``.
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _masked(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        text = str(value)
        masked = mask_personal_data(text)
        return value if masked == text else masked
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {mask_personal_data(str(k)): _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_masked(v) for v in value]
    return mask_personal_data(str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``,
    ``exception`` when there is one, and the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_personal_data(record.getMessage()),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = mask_personal_data(record.exc_text)
        if record.stack_info:
            line["stack"] = mask_personal_data(self.formatStack(record.stack_info))
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and key not in line:
                line[mask_personal_data(key)] = _masked(value)
        return json.dumps(line, ensure_ascii=False, default=str)
