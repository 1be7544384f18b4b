"""A certificate's PDF: rendered, optionally PAdES-signed, stored once."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from lms.background.retry import DATABASE_FAULTS, STORAGE_FAULTS, retried

from .. import rendering
from ..models import Certificate, CertificateEvent
from ..qr_facts import CompactFactsError, signed_fragment
from ..rendering.content import fill_wording, wording_values
from ..sharing import verification_url
from .signed import keyring
from .templates import template_for_programme

if TYPE_CHECKING:
    from wagtail.images.models import AbstractImage


def make_pdf(certificate_id: int) -> Certificate:
    """Render, optionally PAdES-sign and store a certificate's PDF, once."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("template", "supersedes")
            .get(pk=certificate_id)
        )
        if certificate.pdf:
            return certificate
        facts = certificate_facts(certificate)
        pdf_bytes = rendering.render_certificate_pdf(
            facts, certificate_style(certificate, facts)
        )
        if settings.CERTIFICATE_PADES_PKCS12:
            from ..rendering.pades import sign_pdf_pades

            pdf_bytes = sign_pdf_pades(
                pdf_bytes,
                settings.CERTIFICATE_PADES_PKCS12,
                settings.CERTIFICATE_PADES_PASSPHRASE or None,
                reason=f"Certificate {certificate.verification_code}",
            )
        certificate.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        certificate.pdf.save(
            f"{certificate.verification_code}.pdf", ContentFile(pdf_bytes), save=False
        )
        certificate.save(update_fields=["pdf", "pdf_sha256"])
        CertificateEvent.objects.create(
            certificate=certificate,
            action=CertificateEvent.Action.PDF_RENDERED,
            details={"sha256": certificate.pdf_sha256, "bytes": len(pdf_bytes)},
        )
    return certificate


# Fonts missing: the fix is an install (scripts/os-packages.sh), then a retry.
@retried(*DATABASE_FAULTS, *STORAGE_FAULTS, rendering.FontsNotFoundError)
@task()
def make_certificate_pdf(certificate_id: int) -> str:
    """Render and store the PDF of a newly issued certificate."""
    certificate = make_pdf(certificate_id)
    return certificate.pdf.name or ""


def certificate_facts(certificate: Certificate) -> rendering.CertificateFacts:
    name_en, name_ur = certificate.holder_name_en, certificate.holder_name_ur
    if not name_en:
        # An Urdu-only name is printed once, on the main name line.
        name_en, name_ur = name_ur, ""
    address = verification_url(certificate)
    try:
        qr_data = f"{address}#{signed_fragment(certificate, keyring())}"
    except CompactFactsError:
        qr_data = address  # the key is gone: the QR can still open the page
    return rendering.CertificateFacts(
        holder_name_en=name_en,
        holder_name_ur=name_ur,
        course_title_en=certificate.course_title_en,
        course_title_ur=certificate.course_title_ur,
        programme_title_en=certificate.programme_title_en,
        programme_title_ur=certificate.programme_title_ur,
        cpd_hours=certificate.cpd_hours,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        issuer_en=certificate.issuer_en,
        issuer_ur=certificate.issuer_ur,
        verification_code=certificate.verification_code,
        verification_url=address,
        qr_data=qr_data,
    )


def certificate_style(
    certificate: Certificate, facts: rendering.CertificateFacts
) -> rendering.CertificateStyle:
    template = certificate.template or template_for_programme(None)
    workshop = certificate.kind == Certificate.Kind.WORKSHOP

    def filled(wording: str, language: str) -> str:
        if not wording:
            return ""
        values = wording_values(facts, language)
        return "".join(text for text, _is_value in fill_wording(wording, values))

    signatories = tuple(
        rendering.Signatory(
            name_en=item.name_en,
            name_ur=item.name_ur,
            title_en=item.title_en,
            title_ur=item.title_ur,
            signature=_image_bytes(item.signature),
        )
        for item in template.signatories.select_related("signature")
    )
    return rendering.CertificateStyle(
        primary_colour=template.primary_colour,
        accent_colour=template.accent_colour,
        logo=_image_bytes(template.logo),
        title_en=template.title_en,
        title_ur=template.title_ur,
        presented_en=template.presented_en,
        presented_ur=template.presented_ur,
        wording_en=workshop and template.workshop_wording_en or template.wording_en,
        wording_ur=workshop and template.workshop_wording_ur or template.wording_ur,
        signatories=signatories,
        validity_en=filled(template.validity_en, "en") if facts.expires_on else "",
        validity_ur=filled(template.validity_ur, "ur") if facts.expires_on else "",
    )


def _image_bytes(image: AbstractImage | None) -> bytes | None:
    if image is None:
        return None
    with image.open_file() as file:
        return file.read()
