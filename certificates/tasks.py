"""Background work for certificates, run by the task worker."""

from django_tasks import task

from . import notifications, services, verification, workshops


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
    return notifications.send_issued_mail(certificate_id)


@task()
def email_change_notice(certificate_id: int, change: str) -> str:
    """Tell the holder their certificate was revoked, reissued or renewed."""
    return notifications.send_change_notice(certificate_id, change)


@task()
def run_workshop_issue(run_id: int) -> int:
    """Issue a workshop's uploaded attendee list; return how many were issued."""
    return workshops.run_issue(run_id).issued_count
