"""E-mail to a certificate's holder: when it is issued, revoked, reissued or renewed.

Each function is run by a task after the change has committed, so a mail
server that is down fails the task and never the change itself; the task is
retried. Each mail is sent once: it is recorded as an EMAILED event in the same
transaction that holds the certificate's row lock while it is sent, and a
mail already recorded is not sent again.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from lms.background.retry import DATABASE_FAULTS, NETWORK_FAULTS, retried

from . import sharing
from .models import Certificate, CertificateEvent

# The changes a holder is told about, each with its own pair of templates
# (certificates/email/<change>_subject.txt and <change>_body.txt).
CHANGE_NOTICES = (
    CertificateEvent.Action.REVOKED,
    CertificateEvent.Action.REISSUED,
    CertificateEvent.Action.RENEWED,
)


def holder_language(certificate: Certificate) -> str:
    """The language to write to the holder in.

    The holder's own choice if they have an account; otherwise Urdu for an
    Urdu-only name, English for anyone whose name we have in English.
    """
    profile = getattr(certificate.user, "profile", None)
    if profile is not None:
        return profile.preferred_language
    return "en" if certificate.holder_name_en else "ur"


def holder_address(certificate: Certificate) -> str:
    """Where the holder reads mail: their account's address for a course
    certificate (it may have changed since the certificate was issued), the
    attendee list's address for a workshop one; "" when there is none."""
    if certificate.kind == Certificate.Kind.COURSE:
        return certificate.user.email if certificate.user is not None else ""
    return certificate.email


def send_issued_mail(certificate_id: int) -> str:
    """Send a workshop attendee the links to their new certificate."""
    certificate = _load(certificate_id)
    return _send(certificate, "issued", details={})


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def email_certificate(certificate_id: int) -> str:
    """Send a workshop attendee the link to their certificate."""
    return send_issued_mail(certificate_id)


def send_change_notice(certificate_id: int, change: str) -> str:
    """Tell the holder that ``certificate_id`` was revoked, or is the reissued
    or renewed copy of their old certificate. Returns the address written to,
    or "" when the holder has none."""
    if change not in CHANGE_NOTICES:
        raise ValueError(f"No notice is sent for {change!r}.")
    certificate = _load(certificate_id)
    replaced = certificate.supersedes
    extra = {}
    if replaced is not None:
        extra = {
            "replaced": replaced,
            "reason": replaced.revocation_reason,
        }
    return _send(certificate, change, details={"notice": change}, extra=extra)


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def email_change_notice(certificate_id: int, change: str) -> str:
    """Tell the holder their certificate was revoked, reissued or renewed."""
    return send_change_notice(certificate_id, change)


def _load(certificate_id: int) -> Certificate:
    return Certificate.objects.select_related("user__profile", "supersedes").get(
        pk=certificate_id
    )


def _already_sent(certificate: Certificate, details: dict) -> str | None:
    """The address a mail of this kind already went to, or None."""
    sent = CertificateEvent.objects.filter(
        certificate=certificate, action=CertificateEvent.Action.EMAILED
    )
    if "notice" in details:
        sent = sent.filter(details__notice=details["notice"])
    else:
        sent = sent.exclude(details__has_key="notice")
    event = sent.first()
    return None if event is None else event.details.get("to", "")


def _send(
    certificate: Certificate, name: str, *, details: dict, extra: dict | None = None
) -> str:
    address = holder_address(certificate)
    if not address:
        return ""
    with transaction.atomic():
        # The row lock keeps a second run of the task from sending meanwhile.
        Certificate.objects.select_for_update().only("pk").get(pk=certificate.pk)
        sent_to = _already_sent(certificate, details)
        if sent_to is not None:
            return sent_to
        _compose_and_send(certificate, name, address, details=details, extra=extra)
    return address


def _compose_and_send(
    certificate: Certificate,
    name: str,
    address: str,
    *,
    details: dict,
    extra: dict | None,
) -> None:
    language = holder_language(certificate)
    with translation.override(language):
        context = {
            "certificate": certificate,
            "holder_name": _in_language(
                language, certificate.holder_name_en, certificate.holder_name_ur
            ),
            "title": _in_language(
                language, certificate.course_title_en, certificate.course_title_ur
            ),
            "verification_url": sharing.verification_url(certificate),
            "pdf_url": sharing.pdf_url(certificate),
            **(extra or {}),
        }
        subject = render_to_string(f"certificates/email/{name}_subject.txt", context)
        body = render_to_string(f"certificates/email/{name}_body.txt", context)
    EmailMessage(
        " ".join(subject.split()),
        body,
        None,
        [address],
        headers={"Content-Language": language},
    ).send()
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateEvent.Action.EMAILED,
        details={"to": address, **details},
    )


def _in_language(language: str, english: str, urdu: str) -> str:
    """The Urdu text for an Urdu reader when there is one, else the other."""
    if language == "ur":
        return urdu or english
    return english or urdu
