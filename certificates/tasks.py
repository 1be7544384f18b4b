"""Background work for certificates, run by the task worker."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from . import services, sharing, verification, workshops
from .models import Certificate, CertificateEvent


@task()
def make_certificate_pdf(certificate_id: int) -> str:
    """Render and store the PDF of a newly issued certificate."""
    certificate = services.make_pdf(certificate_id)
    return certificate.pdf.name


@task()
def flush_verification_counts() -> int:
    """Write the look-up counts waiting in Redis to the certificates."""
    return verification.flush_counts()


@task()
def email_certificate(certificate_id: int) -> str:
    """Send a workshop attendee the link to their certificate."""
    certificate = Certificate.objects.select_related("user__profile").get(
        pk=certificate_id
    )
    # The holder's own choice if they have an account; Urdu for an Urdu-only name.
    profile = getattr(certificate.user, "profile", None)
    if profile is not None:
        language = profile.preferred_language
    else:
        language = "en" if certificate.holder_name_en else "ur"
    with translation.override(language):
        context = {
            "certificate": certificate,
            "verification_url": sharing.verification_url(certificate),
            "pdf_url": sharing.pdf_url(certificate),
        }
        subject = render_to_string("certificates/email/issued_subject.txt", context)
        body = render_to_string("certificates/email/issued_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [certificate.email])
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateEvent.Action.EMAILED,
        details={"to": certificate.email},
    )
    return certificate.email


@task()
def run_workshop_issue(run_id: int) -> int:
    """Issue a workshop's uploaded attendee list; return how many were issued."""
    return workshops.run_issue(run_id).issued_count
