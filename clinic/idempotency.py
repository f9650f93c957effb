"""Idempotent API writes: the `Idempotency-Key` request header, after the IETF draft "The
Idempotency-Key HTTP Header Field" and Stripe's behaviour.

A write (a create, or an action such as sign or issue) sent with a key is done once. Its
answer is kept with the key, and a retry with the same key, method, path and body gets that
answer again (with `Idempotent-Replayed: true`), not a second write. Without the header a
write behaves as it always has.

- The key is an sf-string, as the draft writes it (`"8e03978e-…"`), or a bare value, as
  Stripe's clients send it: 1 to 255 printable ASCII characters, else 400.
- Keys are scoped to the user: another user's same key is a different key.
- The same key with another method, path or body: 422, naming which (the draft's error).
- The same key while its first request is still running: 409 (the draft's error). The
  first request holds its key's row locked until its transaction ends; a retry that finds
  the lock taken is refused at once rather than made to wait. On SQLite one transaction
  writes at a time, so there the retry waits for the first and gets its answer.
- The key's row is made and committed before the work starts, so that a concurrent
  retry finds it. The work and its answer are then saved in one transaction that holds the
  row's lock: a crash leaves neither a write without its key nor a key answered without its
  write. A row with no answer that nobody holds is a request that died before committing
  (or one not at its lock yet, which is then refused or replayed), so nothing was written:
  its retry takes the key over and does the work.
- What is kept and replayed is the status and the JSON body, not the other headers.
- Only a success (2xx) is kept. The draft says a retry SHOULD get "the result of the
  previously completed operation, success or an error", but here a request that fails
  (a 4xx or 5xx answer) rolls back everything it did, its key's row included: no operation
  was completed, and as with Stripe for a request refused before it did anything, the same
  key may be sent again, with the same body or a corrected one.
- Keys are kept for settings.IDEMPOTENCY_KEY_HOURS (24) at least; older ones are pruned
  when a new key is stored, and may then be used again.

The writes called inside must not open `transaction.atomic(durable=True)`: they run in the
transaction that keeps their answer.
"""

import functools
import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .access import practitioner_for
from .models import IdempotencyKey, validate_idempotency_key

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock refused by NOWAIT

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique value, such as a UUID, that makes a retry of this write safe. Sent again "
        "with the same body, it answers the first answer again (with Idempotent-Replayed: "
        "true) and nothing is done twice. Keys are yours alone and kept for "
        f"{settings.IDEMPOTENCY_KEY_HOURS} hours. The same key with another body or path "
        "answers 422; while its first request is still running, 409. Only a success is "
        "kept: after an error the key may be sent again."
    ),
)


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = "This Idempotency-Key was used for another request."
    default_code = "idempotency_key_reused"


class KeyInFlight(exceptions.APIException):
    status_code = 409
    default_detail = (
        "A request with this Idempotency-Key is still being answered. Send it again in a "
        "moment to get its answer."
    )
    default_code = "idempotency_key_in_flight"


def key_from(header: str) -> str:
    value = header.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = re.sub(r'\\(["\\])', r"\1", value[1:-1])  # RFC 8941 sf-string escapes
    try:
        validate_idempotency_key(value)
    except ValidationError as error:
        raise exceptions.ParseError(error.messages[0]) from None
    return value


def body_sha256(data, *, scope: str = "") -> str:
    """The SHA-256 of a request body (and `scope`, the clinic it was made in), as canonical
    JSON, so a retry that orders its keys differently is still the same request. A form's
    uploaded file counts by the SHA-256 of its bytes."""
    if hasattr(data, "lists"):  # a form's QueryDict
        data = {name: [_form_value(v) for v in values] for name, values in data.lists()}
    # ASCII JSON: a lone surrogate is escaped, not an encoding error.
    canonical = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{scope}\0{canonical}".encode()).hexdigest()


def _form_value(value):
    if hasattr(value, "read"):  # an uploaded file
        digest = hashlib.sha256(value.read()).hexdigest()
        value.seek(0)
        return f"file:{digest}"
    return value


def _clinic_scope(request) -> str:
    # A key answered in one clinic is not replayed after its user moves to another.
    practitioner = practitioner_for(request.user)
    return str(practitioner.clinic_id) if practitioner else ""


def idempotent(handler):
    """Make an API write honour Idempotency-Key, and document the header. Put it above
    @action, which replaces the method's `kwargs`, where the schema note is kept."""

    @functools.wraps(handler)
    def answer_once(view, request, *args, **kwargs):
        header = request.headers.get(HEADER)
        if header is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        key = key_from(header)
        digest = body_sha256(request.data, scope=_clinic_scope(request))
        record = _claim(user=request.user, key=key, request=request, digest=digest)
        _refuse_another_request(record, request, digest)
        if record.answered:
            return _replay(record)
        return _answer(record, lambda: handler(view, request, *args, **kwargs))

    return extend_schema(parameters=[IDEMPOTENCY_KEY])(answer_once)


class IdempotentCreateMixin:
    """A viewset whose create honours Idempotency-Key. List it before CreateModelMixin."""

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


def _claim(*, user, key: str, request, digest: str) -> IdempotencyKey:
    """The user's row for this key: found, or made now and committed at once."""
    fresh_since = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    keys = IdempotencyKey.objects.filter(user=user, key=key)
    found = keys.filter(created_at__gte=fresh_since).first()
    if found is not None:
        return found
    IdempotencyKey.objects.filter(created_at__lt=fresh_since).delete()  # this one's, too
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user, key=key, method=request.method, path=request.path, request_sha256=digest
            )
    except IntegrityError:  # a concurrent request with the same key made it first
        found = keys.first()
        if found is None:  # and has failed since, freeing it
            raise KeyInFlight from None
        return found


def _refuse_another_request(record: IdempotencyKey, request, digest: str) -> None:
    if (record.method, record.path) != (request.method, request.path):
        raise KeyReused(
            f"This Idempotency-Key was used for {record.method} {record.path}, not "
            f"{request.method} {request.path}. Send a new key with each new request."
        )
    if record.request_sha256 != digest:
        raise KeyReused(
            "This Idempotency-Key was used with a different request body. A retry sends the "
            "same body; send a new key with each new request."
        )


def _answer(record: IdempotencyKey, handle) -> Response:
    """Do the work and keep its answer with the key, in one transaction holding the key."""
    failure = response = None
    with transaction.atomic():
        held = _hold(record)
        if held.answered:  # the first request finished while this one was on its way
            return _replay(held)
        try:
            with transaction.atomic():
                response = handle()
                if not _succeeded(response):
                    transaction.set_rollback(True)
        except Exception as error:
            failure = error
        if failure is None and _succeeded(response):
            held.response_status = response.status_code
            held.response_body = json.dumps(
                response.data, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":")
            )
            held.save(update_fields=["response_status", "response_body"])
        else:
            held.delete()  # nothing was done: the key is free to be sent again
    if failure is not None:
        raise failure
    return response


def _hold(record: IdempotencyKey) -> IdempotencyKey:
    """The key's row, locked until the transaction ends; 409 if a running request has it."""
    try:
        held = IdempotencyKey.objects.select_for_update(nowait=True).filter(pk=record.pk).first()
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise KeyInFlight from None
    if held is None:  # the request that made it failed meanwhile, freeing it
        raise KeyInFlight
    return held


def _succeeded(response) -> bool:
    return 200 <= response.status_code < 300


def _replay(record: IdempotencyKey) -> Response:
    return Response(
        json.loads(record.response_body),
        status=record.response_status,
        headers={REPLAYED: "true"},
    )
