"""Answering "is this certificate genuine?" for the public. Reads only, plus counts.

Checks, in order: the record's signature was made by one of our keys
(``unknown_key``), it matches the signed text (``bad_signature``), and the
signed text still says what the record says (``altered``). Only an ``intact``
certificate can be ``valid``; otherwise its status is ``invalid``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F
from django.db.models.expressions import Col
from django.http import HttpRequest
from django.utils import timezone
from django_tasks import task

from lms.background.retry import DATABASE_FAULTS, retried
from lms.rate_limits import client_address

from .codes import normalise_code
from .models import Certificate
from .services import keyring, signed_content
from .signing import canonical_json

if TYPE_CHECKING:
    from redis import Redis

INTACT = "intact"
ALTERED = "altered"
BAD_SIGNATURE = "bad_signature"
UNKNOWN_KEY = "unknown_key"
INVALID = "invalid"

MAX_PDF_BYTES = 10 * 1024 * 1024
_SUBJECT_CODE = re.compile(rb"Verification code ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})")


@dataclass(frozen=True)
class Verdict:
    certificate: Certificate
    integrity: str
    status: str
    # What the record says now, in the shape of its signed content.
    content: dict[str, Any]


def find_certificate(code: str) -> Certificate | None:
    canonical = normalise_code(code)
    if canonical is None:
        return None
    return (
        Certificate.objects.select_related("supersedes", "superseded_by")
        .filter(verification_code=canonical)
        .order_by()
        .first()
    )


_FIELDS = Certificate._meta.concrete_fields
_ATTNAMES = [field.attname for field in _FIELDS]


@functools.cache
def _sql(count: bool) -> str:
    quote = connection.ops.quote_name
    # Concrete fields always have a column; the stubs type it Optional for others.
    columns = ", ".join(quote(field.column) for field in _FIELDS)  # type: ignore[arg-type]
    table = quote(Certificate._meta.db_table)
    if count:
        return (
            f"UPDATE {table} "  # noqa: S608 - names from the model
            "SET verification_count = verification_count + 1 "
            f"WHERE verification_code = %s RETURNING {columns}"
        )
    return f"SELECT {columns} FROM {table} WHERE verification_code = %s"  # noqa: S608


@functools.cache
def _converters(vendor: str) -> list[tuple[int, Col, list[Any]]]:
    """Per column that needs them, the converters the ORM would apply."""
    found: list[tuple[int, Col, list[Any]]] = []
    for index, field in enumerate(_FIELDS):
        column = field.get_col(Certificate._meta.db_table)
        converters = connection.ops.get_db_converters(
            column
        ) + column.get_db_converters(connection)
        if converters:
            found.append((index, column, converters))
    return found


def _fetch(code: str, *, count: bool) -> Certificate | None:
    """One statement; ``count`` adds one to the record's count as it reads it.

    This is ``Certificate.objects.raw()`` without its per-query work (asking
    the driver to describe thirty columns and finding each one's converters),
    which was a tenth of a look-up's time under load; the converters are
    found once.
    """
    with connection.cursor() as cursor:
        cursor.execute(_sql(count), [code])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, column, converters in _converters(connection.vendor):
        for converter in converters:
            values[index] = converter(values[index], column, connection)
    return Certificate.from_db(connection.alias, _ATTNAMES, values)


def replacement(certificate: Certificate) -> Certificate | None:
    """The certificate that replaced this one (no query for current ones)."""
    if certificate.is_current:
        return None
    return Certificate.objects.filter(supersedes=certificate).first()


def check_integrity(certificate: Certificate, content: dict[str, Any]) -> str:
    """Compare the record (``content``, its signed_content) with what was signed."""
    ring = keyring()
    if not ring.verify(
        certificate.signed_payload, certificate.signature, certificate.key_id
    ):
        known = any(key.kid == certificate.key_id for key in ring.keys())
        return BAD_SIGNATURE if known else UNKNOWN_KEY
    if canonical_json(content) != certificate.signed_payload:
        return ALTERED
    return INTACT


def judge(certificate: Certificate) -> Verdict:
    content = signed_content(certificate)
    integrity = check_integrity(certificate, content)
    status = certificate.status(timezone.localdate())
    if integrity != INTACT:
        status = INVALID
    return Verdict(certificate, integrity, status, content)


# Look-ups, rate limiting and counting
# -------------------------------------
# A client that looks up too many unknown codes must wait, for every code, so
# codes cannot be found by trying. Known codes never count toward the limit, so
# a crowd of employers checking real certificates is not refused. Each counted
# look-up adds one to the certificate's ``verification_count``.
#
# With the embedded defaults (a local-memory cache) a look-up is one
# ``UPDATE … RETURNING`` that finds and counts, plus cache calls for the limit.
# With Redis, which several web servers share, a look-up is one plain SELECT and
# one Redis script that answers the limit and counts: the count waits in a Redis
# hash and reaches the database in batches (``flush_counts``, run by a task at
# most every ``VERIFY_COUNT_FLUSH_SECONDS``), so a burst of verifications writes
# no database rows. Counts shown to people add what is still waiting
# (``with_pending_counts``).

COUNTS_KEY = "verify-counts"
FLUSH_MARKER_KEY = "verify-counts-flush"

# KEYS: the client's misses, the waiting counts, the flush marker.
# ARGV: limit, window (s), "hit" | "miss" | "peek", code, flush interval (s).
# Returns -1 when the client is refused, 1 when a flush is due, else 0.
_LOOK_UP_SCRIPT = """
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then
  return -1
end
if ARGV[3] == 'miss' then
  if redis.call('INCR', KEYS[1]) == 1 then
    redis.call('EXPIRE', KEYS[1], ARGV[2])
  end
elseif ARGV[3] == 'hit' then
  redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
  if redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[5]) then
    return 1
  end
end
return 0
"""


@dataclass(frozen=True)
class LookUp:
    certificate: Certificate | None
    refused: bool = False  # too many unknown codes from this client


def _redis() -> Redis | None:
    """The shared Redis client when the cache is Redis, else None."""
    return getattr(cache, "redis_client", lambda: None)()


def look_up(request: HttpRequest, code: str | None, *, count: bool = True) -> LookUp:
    """Find the certificate with this canonical code (None: not a code) for
    this client, refusing clients over the limit; count it if ``count``."""
    client = _redis()
    if client is None:
        if is_rate_limited(request):
            return LookUp(None, refused=True)
        certificate = _fetch(code, count=count) if code else None
        if certificate is None:
            record_miss(request)
        return LookUp(certificate)
    certificate = _fetch(code, count=False) if code else None
    if certificate is None:
        mode = "miss"
    else:
        mode = "hit" if count else "peek"
    answer = client.register_script(_LOOK_UP_SCRIPT)(
        keys=[
            cache.make_key(_miss_key(request)),
            cache.make_key(COUNTS_KEY),
            cache.make_key(FLUSH_MARKER_KEY),
        ],
        args=[
            settings.VERIFY_MISS_LIMIT,
            settings.VERIFY_MISS_WINDOW_SECONDS,
            mode,
            code or "",
            settings.VERIFY_COUNT_FLUSH_SECONDS,
        ],
    )
    if answer == -1:
        return LookUp(None, refused=True)
    if answer == 1:
        flush_verification_counts.enqueue()
    return LookUp(certificate)


@dataclass(frozen=True)
class Verification:
    """What the public asking about one code gets: the certificate (None: no
    such code, or ``refused``), its verdict and what replaced it. The verdict
    and the replacement are worked out when first asked for, so the PDF
    download, which needs neither, makes no query for them."""

    certificate: Certificate | None
    refused: bool = False  # too many unknown codes from this client

    @functools.cached_property
    def verdict(self) -> Verdict | None:
        return judge(self.certificate) if self.certificate is not None else None

    @functools.cached_property
    def replaced_by(self) -> Certificate | None:
        if self.certificate is None:
            return None
        return replacement(self.certificate)


def verify(request: HttpRequest, code: str, *, count: bool = True) -> Verification:
    """The one entry point of public verification (page, JSON and PDF): look
    ``code`` up as typed or scanned, for this client, in one query; refuse a
    client over the limit; count the look-up for the holder if ``count``."""
    found = look_up(request, normalise_code(code), count=count)
    return Verification(found.certificate, refused=found.refused)


def flush_counts() -> int:
    """Add the counts waiting in Redis to the database; return how many."""
    client = _redis()
    if client is None:
        return 0
    import redis

    waiting = cache.make_key(COUNTS_KEY)
    taken = f"{waiting}:flushing:{secrets.token_hex(8)}"
    with client.pipeline() as pipe:  # one MULTI … EXEC: later counts start anew
        pipe.rename(waiting, taken)
        # If this process dies before the database has the counts, they stay
        # under the taken name for a day, to be added by hand.
        pipe.expire(taken, 24 * 60 * 60)
        pipe.hgetall(taken)
        try:
            *_, taken_counts = pipe.execute()
        except redis.ResponseError:  # no such key: nothing waits
            return 0
    counts = {code.decode(): int(number) for code, number in taken_counts.items()}
    by_number: dict[int, list[str]] = {}
    for code, number in counts.items():
        by_number.setdefault(number, []).append(code)
    try:
        with transaction.atomic():
            for number, codes in by_number.items():
                for start in range(0, len(codes), 1000):
                    Certificate.objects.filter(
                        verification_code__in=codes[start : start + 1000]
                    ).update(verification_count=F("verification_count") + number)
    except Exception:
        # Put them back for the next flush rather than lose them.
        with client.pipeline() as pipe:
            for code, number in counts.items():
                pipe.hincrby(waiting, code, number)
            pipe.delete(taken)
            pipe.execute()
        raise
    client.delete(taken)
    return sum(counts.values())


@retried(*DATABASE_FAULTS)
@task()
def flush_verification_counts() -> int:
    """Write the look-up counts waiting in Redis to the certificates."""
    return flush_counts()


def with_pending_counts(certificates: Iterable[Certificate]) -> list[Certificate]:
    """Set ``times_checked`` on each certificate: its stored count plus the
    look-ups still waiting in Redis (one round trip). Returns the list."""
    certificates = list(certificates)
    client = _redis()
    pending: list[bytes | str | None] = [None] * len(certificates)
    if client is not None and certificates:
        pending = client.hmget(
            cache.make_key(COUNTS_KEY),
            [certificate.verification_code for certificate in certificates],
        )
    for certificate, waiting in zip(certificates, pending, strict=True):
        certificate.times_checked = certificate.verification_count + int(waiting or 0)
    return certificates


def _miss_key(request: HttpRequest) -> str:
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"verify-miss:{digest}"


def is_rate_limited(request: HttpRequest) -> bool:
    return cache.get(_miss_key(request), 0) >= settings.VERIFY_MISS_LIMIT


def record_miss(request: HttpRequest) -> None:
    key = _miss_key(request)
    if cache.add(key, 1, timeout=settings.VERIFY_MISS_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.VERIFY_MISS_WINDOW_SECONDS)


@dataclass(frozen=True)
class PdfCheck:
    """An uploaded PDF is ``issued`` (byte for byte), ``altered`` or ``unknown``."""

    outcome: str
    certificate: Certificate | None = None
    pades_intact: bool | None = None


def check_pdf(data: bytes) -> PdfCheck:
    """Compare an uploaded file with the PDFs we issued."""
    digest = hashlib.sha256(data).hexdigest()
    issued = (
        Certificate.objects.select_related("superseded_by")
        .filter(pdf_sha256=digest)
        .first()
    )
    if issued is not None:
        return PdfCheck("issued", issued)
    # Not our bytes. If the file names one of our codes it was made from one of
    # our certificates and then changed.
    match = _SUBJECT_CODE.search(data)
    if match is None:
        return PdfCheck("unknown")
    claimed = find_certificate(match.group(1).decode("ascii"))
    if claimed is None:
        return PdfCheck("unknown")
    return PdfCheck("altered", claimed, pades_intact=_pades_intact(data))


def _pades_intact(data: bytes) -> bool | None:
    """Whether our PAdES signature on the file still holds; None if we sign none."""
    if not settings.CERTIFICATE_PADES_PKCS12:
        return None
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    from .rendering.pades import verify_pades

    with open(settings.CERTIFICATE_PADES_PKCS12, "rb") as file:
        passphrase = settings.CERTIFICATE_PADES_PASSPHRASE.encode() or None
        _key, signer, _chain = pkcs12.load_key_and_certificates(file.read(), passphrase)
    if signer is None:
        raise ImproperlyConfigured("CERTIFICATE_PADES_PKCS12 holds no certificate.")
    return verify_pades(data, [signer.public_bytes(Encoding.DER)])
