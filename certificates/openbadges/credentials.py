"""Our certificates as Open Badges 3.0 credentials, the issuer's did:web
document and the signed revocation list.

Everything here is built from the database on request and is deterministic:
the proof's ``created`` is the certificate's (or list's) own timestamp and
Ed25519 signatures are deterministic, so the same certificate always gives
the same bytes. A certificate's credential is signed with the key that signed
the certificate itself (its ``key_id``); the status list with the newest key.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import uuid
import zoneinfo
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ..models import Certificate, StatusList
from ..rendering import format_hours
from ..services import keyring
from ..signing import SigningKey
from . import contexts
from .proofs import add_proof, public_key_multibase

OPEN_BADGES_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json"
)

# A stable namespace for the ids of achievements (one per course or workshop).
_ACHIEVEMENT_NAMESPACE = uuid.UUID("5b0c1f0e-4a4c-4f43-9a3e-0d6a9d1b7e21")


class CredentialUnavailable(LookupError):
    """The key that signed this certificate is no longer in the keyring."""


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def issuer_did() -> str:
    """The did:web DID of SITE_URL (did:web spec: port ``%3A``, path ``:``).

    ``https://learn.example.pk`` -> ``did:web:learn.example.pk`` (document at
    ``/.well-known/did.json``); with a path, ``https://example.pk/lms`` ->
    ``did:web:example.pk:lms`` (document at ``/lms/did.json``).
    """
    parts = urlsplit(site_url())
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}:{parts.port}"
    segments = [quote(host, safe="")]
    segments += [quote(part, safe="") for part in parts.path.split("/") if part]
    return "did:web:" + ":".join(segments)


def did_document_url() -> str:
    """Where a did:web resolver looks for our DID document."""
    parts = urlsplit(site_url())
    origin = f"https://{parts.netloc}"
    if parts.path.strip("/"):
        return f"{origin}{parts.path.rstrip('/')}/did.json"
    return f"{origin}/.well-known/did.json"


def verification_method_id(key_id: str) -> str:
    return f"{issuer_did()}#{key_id}"


def did_document() -> dict[str, Any]:
    """Every public key, newest first, as a Multikey the DID can assert with."""
    did = issuer_did()
    methods = [
        {
            "id": verification_method_id(key.kid),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_multibase(key.public_key),
        }
        for key in keyring().keys()
    ]
    ids = [method["id"] for method in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", contexts.MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }


def issuer_profile(certificate: Certificate) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "id": issuer_did(),
        "type": ["Profile"],
        "name": certificate.issuer_en or certificate.issuer_ur,
        "url": site_url() + "/",
    }
    if certificate.issuer_ur:
        profile["description"] = certificate.issuer_ur
    return profile


def status_list_url(status_list_id: int) -> str:
    return site_url() + reverse("status_list", args=[status_list_id])


def credential_url(certificate: Certificate) -> str:
    with translation.override("en"):  # the same address whatever the language
        return site_url() + reverse(
            "certificates:verify_credential", args=[certificate.verification_code]
        )


def certificate_url(certificate: Certificate) -> str:
    with translation.override("en"):
        return site_url() + certificate.get_absolute_url()


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day_starts(day: datetime.date) -> str:
    """The first moment of ``day`` as the site counts days (Pakistan's calendar:
    a certificate issued at 00:30 in Karachi is dated that day, which began at
    19:00 UTC the day before), in UTC."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return _timestamp(datetime.datetime.combine(day, datetime.time.min, tzinfo=zone))


def _day_ends(day: datetime.date) -> str:
    """The last second of ``day`` in the site's time zone, in UTC."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    last = datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=zone)
    return _timestamp(last)


def _hours(hours: Decimal) -> int | float:
    # Whole hours as JSON integers: JavaScript reads 10.0 as 10, and RDF
    # types integers and decimals differently, so both sides must agree.
    text = format_hours(hours)
    return int(text) if "." not in text else float(text)


def _bilingual(english: str, urdu: str) -> str:
    return "\n".join(text for text in (english, urdu) if text)


def open_badge_credential(certificate: Certificate) -> dict[str, Any]:
    """The certificate as a signed ``OpenBadgeCredential``."""
    key = _key(certificate.key_id)
    subject_for = (
        ("course", certificate.course_id)
        if certificate.kind == Certificate.Kind.COURSE
        else ("workshop", certificate.workshop_id)
    )
    achievement_id = uuid.uuid5(
        _ACHIEVEMENT_NAMESPACE, f"{subject_for[0]}:{subject_for[1]}"
    )
    hours = _hours(certificate.cpd_hours)
    title_en = certificate.course_title_en or certificate.course_title_ur
    programme = _bilingual(
        certificate.programme_title_en, certificate.programme_title_ur
    )
    description = _bilingual(
        f"{certificate.course_title_en} ({certificate.programme_title_en}): "
        f"{format_hours(certificate.cpd_hours)} CPD hours."
        if certificate.course_title_en
        else "",
        f"{certificate.course_title_ur} ({certificate.programme_title_ur}): "
        f"{format_hours(certificate.cpd_hours)} سی پی ڈی گھنٹے۔"
        if certificate.course_title_ur
        else "",
    )
    if certificate.kind == Certificate.Kind.COURSE:
        narrative = _bilingual(
            "Completed every lesson and passed the course's assessments.",
            "کورس کے تمام اسباق مکمل کیے اور اس کے جائزے پاس کیے۔",
        )
    else:
        narrative = _bilingual("Attended the workshop.", "ورکشاپ میں شرکت کی۔")
    holder_names = [
        name
        for name in (certificate.holder_name_en, certificate.holder_name_ur)
        if name
    ]
    credential: dict[str, Any] = {
        "@context": [contexts.VC_V2, contexts.OPEN_BADGES_V3],
        "id": certificate_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title_en,
        "description": description,
        "issuer": issuer_profile(certificate),
        "validFrom": _day_starts(certificate.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": name,
                }
                for name in holder_names
            ],
            "creditsEarned": hours,
            "achievement": {
                "id": achievement_id.urn,
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": title_en,
                "description": description,
                "criteria": {"narrative": narrative},
                "creditsAvailable": hours,
                "fieldOfStudy": "Continuing professional development (CPD)",
                "humanCode": programme or title_en,
                "inLanguage": "en",
            },
        },
    }
    credential["credentialSchema"] = [{"id": OPEN_BADGES_SCHEMA, "type": "JsonSchema"}]
    if certificate.expires_on:
        credential["validUntil"] = _day_ends(certificate.expires_on)
    if certificate.status_list_id is not None and certificate.status_index is not None:
        list_url = status_list_url(certificate.status_list_id)
        credential["credentialStatus"] = {
            "id": f"{list_url}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": list_url,
        }
    return add_proof(
        credential,
        private_key=key.private_key,
        verification_method=verification_method_id(key.kid),
        created=_timestamp(certificate.created_at),
    )


def encode_bits(bits: bytes) -> str:
    """The spec's ``encodedList``: multibase base64url (``u``) of the GZIP."""
    compressed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_bits(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (u…)")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def status_list_credential(status_list: StatusList) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` of one list."""
    key = keyring().active_key()
    url = status_list_url(status_list.pk)
    credential = {
        "@context": [contexts.VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": _timestamp(status_list.updated_at),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": encode_bits(bytes(status_list.bits)),
        },
    }
    return add_proof(
        credential,
        private_key=key.private_key,
        verification_method=verification_method_id(key.kid),
        created=_timestamp(status_list.updated_at),
    )


def _key(key_id: str) -> SigningKey:
    for key in keyring().keys():
        if key.kid == key_id:
            return key
    raise CredentialUnavailable(f"signing key {key_id} is not in the keyring")


def signed_record_presentation(
    record_url: str,
    signed_credentials: list[dict[str, Any]],
    created: datetime.datetime,
) -> dict[str, Any]:
    """A learner's CPD record: a Verifiable Presentation of their signed Open
    Badges credentials, itself signed by us (``assertionMethod``, newest key).

    Open Badges 3.0 bundles credentials this way (a CLR 2.0 ClrCredential has
    no JSON-LD context on a registry to check it with locally). The outer
    proof binds the set (none added or left out since we signed it); each
    credential keeps its own proof and status entry, so a verifier checks the
    whole record, and each revocation, in one call.
    """
    presentation = {
        "@context": [contexts.VC_V2, contexts.OPEN_BADGES_V3],
        "id": record_url,
        "type": ["VerifiablePresentation"],
        "holder": issuer_did(),
        "verifiableCredential": signed_credentials,
    }
    key = keyring().active_key()
    return add_proof(
        presentation,
        private_key=key.private_key,
        verification_method=verification_method_id(key.kid),
        created=_timestamp(created),
    )
