"""What a certificate's signature covers, and the keys that make it."""

from __future__ import annotations

import functools

from django.conf import settings

from .. import rendering
from ..models import Certificate
from ..signing import SigningKeyring, canonical_json

PAYLOAD_VERSION = 1


@functools.cache
def _keyring_for(directory: str) -> SigningKeyring:
    return SigningKeyring(directory)


def keyring() -> SigningKeyring:
    """The process's keyring (it caches loaded keys; files never change)."""
    return _keyring_for(str(settings.CERTIFICATE_KEY_DIR))


def signed_content(certificate: Certificate) -> dict:
    """The certificate's canonical content: the object whose JSON is signed.

    Documented for third parties in the README ("Checking a certificate
    offline"). Dates are ISO 8601, CPD hours a decimal string without trailing
    zeros, names and titles exactly as printed.
    """
    replaces = certificate.supersedes
    return {
        "version": PAYLOAD_VERSION,
        "code": certificate.verification_code,
        "kind": certificate.kind,
        "holder": {
            "en": certificate.holder_name_en,
            "ur": certificate.holder_name_ur,
        },
        "course": {
            "en": certificate.course_title_en,
            "ur": certificate.course_title_ur,
        },
        "programme": {
            "en": certificate.programme_title_en,
            "ur": certificate.programme_title_ur,
        },
        "cpd_hours": rendering.format_hours(certificate.cpd_hours),
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": (
            certificate.expires_on.isoformat() if certificate.expires_on else None
        ),
        "issuer": {"en": certificate.issuer_en, "ur": certificate.issuer_ur},
        "replaces": replaces.verification_code if replaces else None,
    }


def sign_certificate(certificate: Certificate) -> None:
    """Fill in the signed content, key id and signature of a new certificate."""
    certificate.signed_payload = canonical_json(signed_content(certificate))
    certificate.key_id, certificate.signature = keyring().sign(
        certificate.signed_payload
    )
