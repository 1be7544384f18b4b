"""A certificate's signed facts in its QR code, for checking with no connection.

The QR code opens the verification page; after the address, in the fragment
(which browsers never send to a server), it carries::

    #c=<base64url of the facts>.<base64url of the Ed25519 signature>

The facts are a JSON array, written as ``json.dumps(…, ensure_ascii=False,
separators=(",", ":"))`` in UTF-8::

    ["AL1", code, holder, course, issued_on, expires_on or "", cpd_hours, kid8]

``"AL1"`` names this format (and keeps the signed text apart from anything
else the same key signs: a certificate's canonical JSON object, a Data
Integrity hash); ``holder`` and ``course`` are the English name and title
(the Urdu ones when there is no English), cut at :data:`MAX_NAME` and
:data:`MAX_TITLE` characters; ``kid8`` is the first eight characters of the
signing key's ``kid`` in the published JWKS. The signature is made with the
key that signed the certificate, over the facts' bytes exactly as carried,
so a checker verifies those bytes and only then reads them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import rendering
from .signing import _b64url_decode, _b64url_encode, verify_with_jwks

if TYPE_CHECKING:
    from .models import Certificate
    from .signing import SigningKeyring

FORMAT = "AL1"
FRAGMENT_PREFIX = "c="
KID_PREFIX_LENGTH = 8
MAX_NAME = 60
MAX_TITLE = 80
# Eight short fields: a few hundred bytes at most. Anything longer is not ours.
MAX_FRAGMENT = 1200


class CompactFactsError(ValueError):
    """The certificate cannot be put in a QR code (e.g. its key is gone)."""


@dataclass(frozen=True)
class QrFacts:
    code: str
    holder: str
    course: str
    issued_on: str
    expires_on: str
    cpd_hours: str
    kid_prefix: str


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def compact_facts(certificate: Certificate) -> bytes:
    """The facts the QR code carries, as the bytes that are signed."""
    facts = [
        FORMAT,
        certificate.verification_code,
        _cut(certificate.holder_name_en or certificate.holder_name_ur, MAX_NAME),
        _cut(certificate.course_title_en or certificate.course_title_ur, MAX_TITLE),
        certificate.issued_on.isoformat(),
        certificate.expires_on.isoformat() if certificate.expires_on else "",
        rendering.format_hours(certificate.cpd_hours),
        certificate.key_id[:KID_PREFIX_LENGTH],
    ]
    return json.dumps(facts, ensure_ascii=False, separators=(",", ":")).encode()


def signed_fragment(certificate: Certificate, keyring: SigningKeyring) -> str:
    """``c=<facts>.<signature>``, signed with the certificate's own key."""
    key = next((key for key in keyring.keys() if key.kid == certificate.key_id), None)
    if key is None:
        raise CompactFactsError(f"no key {certificate.key_id} to sign the QR facts")
    data = compact_facts(certificate)
    signature = key.private_key.sign(data)
    return f"{FRAGMENT_PREFIX}{_b64url_encode(data)}.{_b64url_encode(signature)}"


def read_fragment(fragment: str, jwks: Mapping) -> QrFacts | None:
    """The facts of a QR fragment if a published key signed them, else None.

    What a checker does with the JWKS alone; the page on a phone does the
    same with WebCrypto (certificates/static/certificates/js/offline-check.js).
    """
    fragment = fragment.removeprefix("#")
    if len(fragment) > MAX_FRAGMENT or not fragment.startswith(FRAGMENT_PREFIX):
        return None
    encoded, _dot, signature = fragment[len(FRAGMENT_PREFIX) :].partition(".")
    data = _b64url_decode(encoded)
    if data is None:
        return None
    try:
        facts = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if (
        not isinstance(facts, list)
        or len(facts) != 8
        or facts[0] != FORMAT
        or not all(isinstance(item, str) for item in facts)
    ):
        return None
    kid_prefix = facts[7]
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    for jwk in keys if isinstance(keys, list) else []:
        kid = jwk.get("kid") if isinstance(jwk, Mapping) else None
        if not isinstance(kid, str) or not kid_prefix or not kid.startswith(kid_prefix):
            continue
        # verify_with_jwks takes text; the facts are UTF-8 JSON, so decoding
        # and re-encoding gives back exactly the signed bytes.
        if verify_with_jwks(jwks, data.decode("utf-8"), signature, kid):
            return QrFacts(*facts[1:])
    return None
