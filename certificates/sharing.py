"""Where a holder can send people to see a certificate: links, not writes."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from .models import Certificate


def verification_url(certificate: Certificate) -> str:
    """The public page the QR code opens."""
    return settings.SITE_URL + reverse(
        "certificates:verify", args=[certificate.verification_code]
    )


def pdf_url(certificate: Certificate) -> str:
    """The PDF as issued, for anyone who has the code."""
    return settings.SITE_URL + reverse(
        "certificates:verify_pdf", args=[certificate.verification_code]
    )


def linkedin_add_url(certificate: Certificate) -> str:
    """LinkedIn's "add licence or certification" link, filled in."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title_en or certificate.course_title_ur,
        "organizationName": certificate.issuer_en,
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
        "certUrl": verification_url(certificate),
        "certId": certificate.verification_code,
    }
    if certificate.expires_on:
        params["expirationYear"] = certificate.expires_on.year
        params["expirationMonth"] = certificate.expires_on.month
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def add_share_links(certificates: Iterable[Certificate]) -> None:
    """Attach ``share_url`` and ``linkedin_url`` for the learner's pages."""
    for certificate in certificates:
        certificate.share_url = verification_url(certificate)
        certificate.linkedin_url = linkedin_add_url(certificate)
