"""Background work for certificates, run by the task worker.

Each task is declared beside the function it runs, so nothing imports this
module back; it names them all in one place (and keeps the paths of tasks
queued before they moved working). Each task is safe to run twice (a PDF is
stored once, an e-mail sent once, an attendee issued once), so the worker may
retry it after a passing failure (``lms/background/retry.py``) or after its
worker died."""

from .notifications import email_certificate, email_change_notice
from .services.documents import make_certificate_pdf
from .verification import flush_verification_counts
from .workshops import run_workshop_issue

__all__ = [
    "email_certificate",
    "email_change_notice",
    "flush_verification_counts",
    "make_certificate_pdf",
    "run_workshop_issue",
]
