"""Structured request logging: one JSON line per request."""

import json
import logging
import time
import uuid

from flask import Flask, g, request
from werkzeug.wrappers import Response

from portal.security import loaded_user_id

log = logging.getLogger("portal.request")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def configure_logging(app: Flask) -> None:
    """Send the portal's logs to stderr as JSON lines (once per process)."""
    root = logging.getLogger("portal")
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex[:16]

    @app.after_request
    def _log_request(response: Response) -> Response:
        started = g.pop("request_started", None)
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        user_id = loaded_user_id()
        log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "fields": {
                    "request_id": g.get("request_id"),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                    "remote_addr": request.remote_addr,
                }
            },
        )
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response
