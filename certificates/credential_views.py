"""Open Badges 3.0 credentials, the issuer's DID document and status lists."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import quote_etag
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET

from . import verification
from .models import Certificate, StatusList
from .openbadges import credentials
from .services import keyring

CREDENTIAL_TYPE = "application/vc+ld+json"
# Signing means RDF canonicalisation, tens of milliseconds; what is signed
# never changes for a given key (certificate) or version (status list), so
# the signed text is kept for a day.
_SIGNED_TTL = 24 * 60 * 60


def _cache_key(*parts: object) -> str:
    site = hashlib.sha256(settings.SITE_URL.encode()).hexdigest()[:12]
    return ":".join(["openbadges", site, *map(str, parts)])


def signed_credential(certificate: Certificate) -> dict[str, Any]:
    """The certificate's signed credential, signed once and then cached."""
    key = _cache_key("credential", certificate.verification_code)
    body = cache.get(key)
    if body is None:
        body = credentials.open_badge_credential(certificate)
        cache.set(key, body, _SIGNED_TTL)
    return body


def signed_record(
    record_url: str, certificates: list[Certificate], awards: Sequence[Any] = ()
) -> dict[str, Any]:
    """The record's signed presentation, signed once per set of certificates
    and awards (the public link is unthrottled; signing means canonicalising
    them all). Awards come from the app above (``signed_credential()`` and
    ``identifier`` each)."""
    codes = ",".join(
        sorted(c.verification_code for c in certificates)
        + sorted(f"award:{award.identifier}" for award in awards)
    )
    digest = hashlib.sha256(f"{record_url}|{codes}".encode()).hexdigest()
    key = _cache_key("record", digest, keyring().active_key().kid)
    body = cache.get(key)
    if body is None:
        body = credentials.signed_record_presentation(
            record_url,
            [signed_credential(certificate) for certificate in certificates]
            + [award.signed_credential() for award in awards],
            timezone.now(),
        )
        cache.set(key, body, _SIGNED_TTL)
    return body


def _json(
    body: Any, *, status: int = 200, content_type: str = "application/json"
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        status=status,
        content_type=f"{content_type}; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_control(public=True, max_age=3600)
@require_GET
def did_document(request: HttpRequest) -> HttpResponse:
    """The did:web document: our public keys as Multikey, beside the JWKS."""
    return _json(credentials.did_document(), content_type="application/did+ld+json")


@require_GET
def verify_credential(request: HttpRequest, code: str) -> HttpResponse:
    """A certificate as a signed OpenBadgeCredential, downloaded as .json."""
    found = verification.verify(request, code, count=False)
    if found.refused:
        refused = JsonResponse({"error": "rate_limited"}, status=429)
        refused["Retry-After"] = "600"
        return refused
    if found.certificate is None:
        return JsonResponse(
            {"error": "not_found", "detail": "No certificate has this code."},
            status=404,
        )
    certificate = found.certificate
    try:
        body = signed_credential(certificate)
    except credentials.CredentialUnavailable:
        return JsonResponse(
            {
                "error": "unavailable",
                "detail": "The key that signed this certificate is not available.",
            },
            status=503,
        )
    response = _json(body, content_type=CREDENTIAL_TYPE)
    filename = f"certificate-{found.certificate.verification_code}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Revocation travels in the status list, so the credential never changes.
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    return response


def _status_list_etag(request: HttpRequest, list_id: int) -> str | None:
    updated = (
        StatusList.objects.filter(pk=list_id)
        .values_list("updated_at", flat=True)
        .first()
    )
    if updated is None:
        return None
    return hashlib.sha256(f"{list_id}:{updated.isoformat()}".encode()).hexdigest()[:32]


# Verifiers cache the list for a few minutes: short enough that a revocation
# is seen soon, long enough that a crowd of checks costs one signing each time.
@cache_control(public=True, max_age=300)
@condition(etag_func=_status_list_etag)
@require_GET
def status_list(request: HttpRequest, list_id: int) -> HttpResponse:
    """A signed BitstringStatusListCredential (bit set: revoked)."""
    found = StatusList.objects.filter(pk=list_id).first()
    if found is None:
        return _json(
            {"error": "not_found", "detail": f"There is no status list {list_id}."},
            status=404,
        )
    etag = _status_list_etag(request, list_id) or ""
    key = _cache_key("status-list", list_id, etag)
    body = cache.get(key)
    if body is None:
        body = credentials.status_list_credential(found)
        cache.set(key, body, _SIGNED_TTL)
    response = _json(body, content_type=CREDENTIAL_TYPE)
    response["ETag"] = quote_etag(etag)
    return response
