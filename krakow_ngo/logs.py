"""JSON log lines (DJANGO_LOG_FORMAT=json): one object per line, for a log collector.

Standard library only. Each line has ``time`` (UTC, ISO 8601), ``level``, ``logger``,
``message`` (with its arguments put in), and ``exception`` (the traceback) when there is one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
