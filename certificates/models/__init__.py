"""Certificates, the templates they are printed with, workshops and the audit log.

A certificate row is never deleted: revoking, reissuing and renewing add rows
and events. What was signed is kept verbatim in ``signed_payload`` so anyone
can re-check the signature years later, whatever happens to the code.
"""

from .cpd_records import CpdRecordLink
from .records import Certificate, CertificateEvent
from .status_lists import StatusList
from .templates import CertificateTemplate, Signatory, add_months, validate_wording
from .workshops import Workshop, WorkshopIssueRun

__all__ = [
    "Certificate",
    "CertificateEvent",
    "CertificateTemplate",
    "CpdRecordLink",
    "Signatory",
    "StatusList",
    "Workshop",
    "WorkshopIssueRun",
    "add_months",
    "validate_wording",
]
