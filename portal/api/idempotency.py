"""Idempotency-Key for POSTs, with Stripe's semantics, stored per token.

The first request with a key reserves it (committed before any work), runs, and stores its
response (any status below 500). A retry with the same key and the same request replays that
response with `Idempotent-Replayed: true`; the same key with a different request is refused
(422), and so is a retry while the first is still running (409). A request that fails
validation, or ends in a 5xx, releases its key so it can be retried. Keys live 24 hours.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from flask import Request, current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from portal import clock
from portal.api.problems import ApiError
from portal.extensions import db
from portal.models import ApiToken, IdempotencyRecord

KEY_LIFETIME = timedelta(hours=24)
KEPT_HEADERS = ("Content-Type", "Location")


@dataclass(frozen=True)
class Reservation:
    record_id: int


def fingerprint(request: Request) -> str:
    """The request as a key sees it: method, path and body (JSON compared by value)."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        body = raw
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), body):
        digest.update(part + b"\x00")
    return digest.hexdigest()


def begin(token: ApiToken, key: str, request: Request) -> Reservation | Response:
    """Reserve `key` for this request, or return the stored response to replay; commits."""
    now = clock.now()
    print_ = fingerprint(request)
    db.session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.token_id == token.id,
            IdempotencyRecord.created_at < now - KEY_LIFETIME,
        )
    )
    record = IdempotencyRecord(
        token_id=token.id,
        key=key,
        method=request.method,
        path=request.path[:500],
        fingerprint=print_,
        created_at=now,
    )
    db.session.add(record)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    else:
        return Reservation(record.id)
    existing = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.token_id == token.id, IdempotencyRecord.key == key
        )
    )
    if existing is None:  # released between our insert and this read: the caller may retry
        raise ApiError(409, "This Idempotency-Key was just released; retry the request.")
    if existing.fingerprint != print_:
        raise ApiError(
            422,
            "This Idempotency-Key was already used with a different request "
            f"({existing.method} {existing.path}). Use a new key for a new request.",
        )
    if existing.status_code is None:
        raise ApiError(409, "A request with this Idempotency-Key is still being processed.")
    headers = dict(existing.response_headers or {})
    headers["Idempotent-Replayed"] = "true"
    return current_app.response_class(
        existing.response_body or "", status=existing.status_code, headers=headers
    )


def finish(reservation: Reservation, response: Response) -> None:
    """Store the response under the key (or release the key after a 5xx); commits."""
    db.session.rollback()  # whatever the request left unfinished is not ours to commit
    record = db.session.get(IdempotencyRecord, reservation.record_id)
    if record is None:
        return
    if response.status_code >= 500:
        db.session.delete(record)
    else:
        record.status_code = response.status_code
        record.response_body = response.get_data(as_text=True)
        record.response_headers = {
            name: response.headers[name] for name in KEPT_HEADERS if name in response.headers
        }
    db.session.commit()


def release(reservation: Reservation) -> None:
    """Forget the key: the request never ran (it was invalid) or failed on our side; commits."""
    db.session.rollback()
    db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.id == reservation.record_id)
    )
    db.session.commit()
