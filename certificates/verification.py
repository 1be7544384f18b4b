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
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .codes import normalise_code
from .models import Certificate
from .services import keyring, signed_content
from .signing import canonical_json

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
    content: dict


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


@functools.cache
def _count_and_return_sql() -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(field.column) for field in Certificate._meta.concrete_fields
    )
    return (
        f"UPDATE {quote(Certificate._meta.db_table)} "  # noqa: S608 - names from the model
        "SET verification_count = verification_count + 1 "
        f"WHERE verification_code = %s RETURNING {columns}"
    )


def look_up_and_count(code: str) -> Certificate | None:
    """Find a certificate by its canonical code and count the look-up, in one
    statement (this is the hot path when employers verify in bursts)."""
    found = list(Certificate.objects.raw(_count_and_return_sql(), [code]))
    return found[0] if found else None


def replacement(certificate: Certificate) -> Certificate | None:
    """The certificate that replaced this one (no query for current ones)."""
    if certificate.is_current:
        return None
    return Certificate.objects.filter(supersedes=certificate).first()


def check_integrity(certificate: Certificate, content: dict) -> str:
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


# Rate limiting: a client that looks up too many unknown codes must wait, for
# every code, so codes cannot be found by trying. Known codes never count, so a
# crowd of employers checking real certificates is not refused.


def client_address(request) -> str:
    proxies = settings.CLIENT_IP_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _miss_key(request) -> str:
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"verify-miss:{digest}"


def is_rate_limited(request) -> bool:
    return cache.get(_miss_key(request), 0) >= settings.VERIFY_MISS_LIMIT


def record_miss(request) -> None:
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
    return verify_pades(data, [signer.public_bytes(Encoding.DER)])
