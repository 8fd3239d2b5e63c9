"""Logging for ``serve``: one line per event, as text or JSON, with secrets scrubbed.

Tokens (``xoxb-…``, ``xapp-…``, ``xoxp-…``) and the signing secret are replaced by
``[redacted]`` in every record, whatever logged it, as a second line of defence: the code
itself never logs them (settings hold them as SecretStr) nor an article's text at INFO.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

_TOKEN = re.compile(r"\bx(?:ox[abposer]|app)-[A-Za-z0-9-]+")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message"}


class Redact(logging.Filter):
    """Scrub Slack tokens and the given secrets from a record's message and arguments."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if len(s) >= 8]

    def scrub(self, text: str) -> str:
        text = _TOKEN.sub("[redacted]", text)
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.scrub(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_text or record.exc_info:
            entry["error"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str = "INFO", *, fmt: str = "text", secrets: list[str] | None = None) -> None:
    """Set up the root logger for a long-running process."""
    handler = logging.StreamHandler()
    handler.addFilter(Redact(secrets))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if level != "DEBUG":
        # APScheduler logs every job added and run at INFO: one line per nudge, twice.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        # httpx logs every request at INFO; our own lines say what was fetched and why.
        logging.getLogger("httpx").setLevel(logging.WARNING)
