"""New certificates: one per completed course, or per workshop attendee."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.background.services import enqueue_with_change

from ..codes import generate_verification_code
from ..models import Certificate, CertificateEvent, CertificateTemplate, Workshop
from .documents import make_certificate_pdf
from .errors import CertificateError
from .signed import sign_certificate
from .status import allocate_status_entry
from .templates import DEFAULT_TEMPLATE_NAME, template_for_programme

if TYPE_CHECKING:
    from wagtail.models import Page

    from courses.models import CoursePage, Enrolment
    from lms.accounts.models import User

__all__ = [
    "DEFAULT_TEMPLATE_NAME",
    "Award",
    "CertificateError",
    "issue_certificate",
    "issue_course_certificate",
    "template_for_programme",
]


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


def issue_certificate(
    award: Award,
    *,
    user: User | None = None,
    email: str = "",
    course: CoursePage | None = None,
    workshop: Workshop | None = None,
    supersedes: Certificate | None = None,
    actor: User | None = None,
    action: str = CertificateEvent.Action.ISSUED,
    details: dict | None = None,
) -> Certificate:
    """Create and sign one certificate; its PDF is made by a task after commit.

    The caller holds the transaction and the locks that make "exactly once"
    true; the unique constraints on current certificates back that up.
    ``details`` go into the audit log's entry (say, why staff issued it).
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
        allocate_status_entry(certificate)
        certificate.save()
        CertificateEvent.objects.create(
            certificate=certificate,
            action=action,
            actor=actor,
            details={
                **({"replaces": supersedes.verification_code} if supersedes else {}),
                **(details or {}),
            },
        )
    _after_commit_make_pdf(certificate.pk)
    return certificate


def _after_commit_make_pdf(certificate_id: int) -> None:
    enqueue_with_change(make_certificate_pdf, certificate_id)


def issue_course_certificate(enrolment: Enrolment) -> Certificate | None:
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


def _titles_by_language(page: Page) -> dict[str, str]:
    """Live titles of a page and its translations, by language code."""
    translations = page.get_translations(inclusive=True).live().select_related("locale")
    titles = {item.locale.language_code: item.title for item in translations}
    titles.setdefault(page.locale.language_code, page.title)
    return titles
