"""Every write to certificates: issue, make the PDF, revoke, reissue, renew.

A certificate is never deleted or edited in place: its signed content is fixed
at issue, and corrections make a new certificate that replaces the old one.
Every action adds a CertificateEvent naming who did it.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rendering
from .codes import generate_verification_code
from .models import Certificate, CertificateEvent, CertificateTemplate
from .rendering.content import fill_wording, wording_values
from .sharing import verification_url
from .signing import SigningKeyring, canonical_json

PAYLOAD_VERSION = 1
DEFAULT_TEMPLATE_NAME = "Default"


class CertificateError(Exception):
    """An action on a certificate that cannot be done; ``message`` says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class Award:
    """What a certificate says, before it has a code and a signature."""

    kind: str
    holder_name_en: str
    holder_name_ur: str
    course_title_en: str
    course_title_ur: str
    programme_title_en: str
    programme_title_ur: str
    cpd_hours: Decimal
    issued_on: datetime.date
    template: CertificateTemplate


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


def template_for_programme(programme) -> CertificateTemplate:
    """The programme's template (in any of its languages), else the default one."""
    template = None
    if programme is not None:
        template = (
            CertificateTemplate.objects.filter(
                programme__translation_key=programme.translation_key
            )
            .order_by("pk")
            .first()
        )
    if template is None:
        template = CertificateTemplate.objects.filter(
            name=DEFAULT_TEMPLATE_NAME
        ).first()
    if template is None:
        raise CertificateError(
            _("No certificate template exists; a programme manager must add one.")
        )
    return template


def issue_certificate(
    award: Award,
    *,
    user=None,
    email: str = "",
    course=None,
    workshop=None,
    supersedes: Certificate | None = None,
    actor=None,
    action: str = CertificateEvent.Action.ISSUED,
) -> Certificate:
    """Create and sign one certificate; its PDF is made by a task after commit.

    The caller holds the transaction and the locks that make "exactly once"
    true; the unique constraints on current certificates back that up.
    """
    if not (award.holder_name_en.strip() or award.holder_name_ur.strip()):
        raise CertificateError(_("A certificate needs the holder's name."))
    template = award.template
    with transaction.atomic():
        certificate = Certificate(
            verification_code=generate_verification_code(),
            kind=award.kind,
            user=user,
            email=email,
            course=course,
            workshop=workshop,
            template=template,
            holder_name_en=award.holder_name_en.strip(),
            holder_name_ur=award.holder_name_ur.strip(),
            course_title_en=award.course_title_en,
            course_title_ur=award.course_title_ur,
            programme_title_en=award.programme_title_en,
            programme_title_ur=award.programme_title_ur,
            cpd_hours=award.cpd_hours,
            issued_on=award.issued_on,
            expires_on=template.expiry_for(award.issued_on),
            issuer_en=template.issuer_en,
            issuer_ur=template.issuer_ur,
            supersedes=supersedes,
        )
        sign_certificate(certificate)
        certificate.save()
        CertificateEvent.objects.create(
            certificate=certificate,
            action=action,
            actor=actor,
            details={"replaces": supersedes.verification_code} if supersedes else {},
        )
    _after_commit_make_pdf(certificate.pk)
    return certificate


def _after_commit_make_pdf(certificate_id: int) -> None:
    from .tasks import make_certificate_pdf

    transaction.on_commit(lambda: make_certificate_pdf.enqueue(certificate_id))


def issue_course_certificate(enrolment) -> Certificate | None:
    """Issue the certificate for a completed enrolment, at most once.

    Runs inside the completion transaction (the ``course_completed`` signal is
    sent while the enrolment row is locked), so completion and certificate
    commit or roll back together.
    """
    existing = Certificate.objects.filter(
        user_id=enrolment.user_id, course_id=enrolment.course_id, is_current=True
    ).first()
    if existing is not None:
        return existing
    course = enrolment.course.specific
    programme = course.get_parent().specific
    course_titles = _titles_by_language(course)
    programme_titles = _titles_by_language(programme)
    profile = enrolment.user.profile
    award = Award(
        kind=Certificate.Kind.COURSE,
        holder_name_en=profile.certificate_name_en,
        holder_name_ur=profile.certificate_name_ur,
        course_title_en=course_titles.get("en", course.title),
        course_title_ur=course_titles.get("ur", ""),
        programme_title_en=programme_titles.get("en", programme.title),
        programme_title_ur=programme_titles.get("ur", ""),
        cpd_hours=course.cpd_hours,
        issued_on=timezone.localdate(enrolment.completed_at),
        template=template_for_programme(programme),
    )
    try:
        with transaction.atomic():
            return issue_certificate(
                award,
                user=enrolment.user,
                email=enrolment.user.email,
                course=enrolment.course,
            )
    except IntegrityError:
        # Only reachable if completion ran twice without the row lock.
        return Certificate.objects.get(
            user_id=enrolment.user_id, course_id=enrolment.course_id, is_current=True
        )


def _titles_by_language(page) -> dict[str, str]:
    """Live titles of a page and its translations, by language code."""
    translations = page.get_translations(inclusive=True).live().select_related("locale")
    titles = {item.locale.language_code: item.title for item in translations}
    titles.setdefault(page.locale.language_code, page.title)
    return titles


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
            from .rendering.pades import sign_pdf_pades

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


def certificate_facts(certificate: Certificate) -> rendering.CertificateFacts:
    name_en, name_ur = certificate.holder_name_en, certificate.holder_name_ur
    if not name_en:
        # An Urdu-only name is printed once, on the main name line.
        name_en, name_ur = name_ur, ""
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
        verification_url=verification_url(certificate),
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


def _image_bytes(image) -> bytes | None:
    if image is None:
        return None
    with image.open_file() as file:
        return file.read()


def revoke_certificate(certificate: Certificate, *, reason: str, actor) -> Certificate:
    """Mark a certificate revoked with a reason. It stays, and says so, forever."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking the certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise CertificateError(_("This certificate is already revoked."))
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.save(update_fields=["revoked_at", "revocation_reason"])
        CertificateEvent.objects.create(
            certificate=locked,
            action=CertificateEvent.Action.REVOKED,
            actor=actor,
            details={"reason": reason},
        )
        _after_commit_tell_holder(locked.pk, CertificateEvent.Action.REVOKED)
    return locked


def reissue_certificate(
    certificate: Certificate,
    *,
    actor,
    holder_name_en: str,
    holder_name_ur: str,
    reason: str,
) -> Certificate:
    """Replace a certificate with a corrected copy under a new code.

    The old one is revoked with the reason and links to its replacement.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Say why the certificate is being reissued."))
    return _replace(
        certificate,
        actor=actor,
        action=CertificateEvent.Action.REISSUED,
        changes={"holder_name_en": holder_name_en, "holder_name_ur": holder_name_ur},
        revoke_reason=reason,
    )


def renew_certificate(certificate: Certificate, *, actor) -> Certificate:
    """Issue a fresh copy with today's date and a new validity period."""
    if certificate.template is None or not certificate.template.validity_months:
        raise CertificateError(_("This certificate does not expire."))
    return _replace(
        certificate,
        actor=actor,
        action=CertificateEvent.Action.RENEWED,
        changes={"issued_on": timezone.localdate()},
        revoke_reason="",
    )


def _replace(
    certificate: Certificate, *, actor, action: str, changes: dict, revoke_reason: str
) -> Certificate:
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("template")
            .get(pk=certificate.pk)
        )
        if not old.is_current:
            raise CertificateError(
                _("This certificate has already been replaced; act on the newest one.")
            )
        if old.revoked_at is not None:
            raise CertificateError(_("A revoked certificate cannot be replaced."))
        old.is_current = False
        fields = ["is_current"]
        if revoke_reason:
            old.revoked_at = timezone.now()
            old.revocation_reason = revoke_reason
            fields += ["revoked_at", "revocation_reason"]
        old.save(update_fields=fields)
        award = Award(
            kind=old.kind,
            holder_name_en=changes.get("holder_name_en", old.holder_name_en),
            holder_name_ur=changes.get("holder_name_ur", old.holder_name_ur),
            course_title_en=old.course_title_en,
            course_title_ur=old.course_title_ur,
            programme_title_en=old.programme_title_en,
            programme_title_ur=old.programme_title_ur,
            cpd_hours=old.cpd_hours,
            issued_on=changes.get("issued_on", old.issued_on),
            template=old.template or template_for_programme(None),
        )
        new = issue_certificate(
            award,
            user=old.user,
            email=old.email,
            course=old.course,
            workshop=old.workshop,
            supersedes=old,
            actor=actor,
            action=action,
        )
        CertificateEvent.objects.create(
            certificate=old,
            action=CertificateEvent.Action.SUPERSEDED,
            actor=actor,
            details={"replaced_by": new.verification_code, "reason": revoke_reason},
        )
        _after_commit_tell_holder(new.pk, action)
    return new


def _after_commit_tell_holder(certificate_id: int, change: str) -> None:
    """E-mail the holder once the change has committed; never if it rolls back."""
    from .tasks import email_change_notice

    # robust: a notice that cannot be queued is logged, and must not turn a
    # change that has already committed into an error page.
    transaction.on_commit(
        lambda: email_change_notice.enqueue(certificate_id, str(change)), robust=True
    )
