"""Background work for certificates, run by the task worker.

Each task is safe to run twice (a PDF is stored once, an e-mail sent once, an
attendee issued once), so the worker may retry it after a passing failure
(``lms/background/retry.py``) or after its worker died."""

from django_tasks import task

from lms.background.retry import (
    DATABASE_FAULTS,
    NETWORK_FAULTS,
    STORAGE_FAULTS,
    retried,
)

from . import notifications, services, verification, workshops
from .rendering import FontsNotFoundError


# Fonts missing: the fix is an install (scripts/os-packages.sh), then a retry.
@retried(*DATABASE_FAULTS, *STORAGE_FAULTS, FontsNotFoundError)
@task()
def make_certificate_pdf(certificate_id: int) -> str:
    """Render and store the PDF of a newly issued certificate."""
    certificate = services.make_pdf(certificate_id)
    return certificate.pdf.name


@retried(*DATABASE_FAULTS)
@task()
def flush_verification_counts() -> int:
    """Write the look-up counts waiting in Redis to the certificates."""
    return verification.flush_counts()


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def email_certificate(certificate_id: int) -> str:
    """Send a workshop attendee the link to their certificate."""
    return notifications.send_issued_mail(certificate_id)


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def email_change_notice(certificate_id: int, change: str) -> str:
    """Tell the holder their certificate was revoked, reissued or renewed."""
    return notifications.send_change_notice(certificate_id, change)


@retried(*DATABASE_FAULTS)
@task()
def run_workshop_issue(run_id: int) -> int:
    """Issue a workshop's uploaded attendee list; return how many were issued."""
    return workshops.run_issue(run_id).issued_count
