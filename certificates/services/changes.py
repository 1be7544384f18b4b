"""Revoking, reissuing and renewing: the old certificate stays, and says so."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.background.services import enqueue_with_change

from ..models import Certificate, CertificateEvent
from ..notifications import email_change_notice
from .issuing import Award, CertificateError, issue_certificate, template_for_programme
from .status import mark_revoked_in_status_list

if TYPE_CHECKING:
    from lms.accounts.models import User


def revoke_certificate(
    certificate: Certificate, *, reason: str, actor: User
) -> Certificate:
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
        mark_revoked_in_status_list(locked)
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
    actor: User,
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


def renew_certificate(certificate: Certificate, *, actor: User) -> Certificate:
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
    certificate: Certificate,
    *,
    actor: User,
    action: str,
    changes: dict[str, Any],
    revoke_reason: str,
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
        if revoke_reason:
            mark_revoked_in_status_list(old)
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
    # robust: a notice that cannot be queued after commit is logged, and must
    # not turn a change that has already committed into an error page.
    enqueue_with_change(email_change_notice, certificate_id, str(change), robust=True)
