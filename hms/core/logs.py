"""What the logs may hold (issue 12): never the secret part of an address, and nothing of the
requests that make or follow an anonymous report. docs/security.md, "What an anonymous report
leaves behind", lists what is kept.

This module needs no Django settings: gunicorn's access logger (hms/gunicorn_conf.py) uses it too."""

from __future__ import annotations

import logging
import logging.config
import re
from typing import Any

# Addresses that open something without signing in carry their key as the segment after these
# prefixes: a receipt, a public report form, a calendar feed.
_SECRET_SEGMENT = re.compile(r"(/deviations/(?:receipt|public)/|/meetings/calendar/)[^/?#\s\"]+")

# The paths of a report (named or anonymous), a public form and a receipt: the access log writes no
# line for them, and they never take a request id from outside.
PRIVATE_PATHS = ("/deviations/report/", "/deviations/public/", "/deviations/receipt/")


def redact(text: str) -> str:
    """`text` with the secret segment of every such address replaced by "…"."""
    return _SECRET_SEGMENT.sub(r"\1…", text)


def is_private(path: str) -> bool:
    return path.startswith(PRIVATE_PATHS)


def configure(config: dict[str, Any]) -> None:
    """LOGGING_CONFIG: Django's dictConfig, and every log record made from then on, by any logger,
    with address secrets redacted before any handler sees it."""
    logging.config.dictConfig(config)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "redacts", False):
        logging.setLogRecordFactory(_redacting(factory))


def _redacting(make: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):  # a broken format is the handler's to report
            return record
        if redact(message) != message:
            record.msg, record.args = redact(message), ()
        return record

    factory.redacts = True  # type: ignore[attr-defined]
    return factory
