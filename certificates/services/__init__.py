"""Every write to certificates: issue, make the PDF, revoke, reissue, renew.

A certificate is never deleted or edited in place: its signed content is fixed
at issue, and corrections make a new certificate that replaces the old one.
Every action adds a CertificateEvent naming who did it.

``signed``: what a certificate's signature covers; ``issuing``: new
certificates; ``documents``: their PDFs; ``changes``: revoke, reissue, renew.
"""

from .changes import reissue_certificate, renew_certificate, revoke_certificate
from .documents import certificate_facts, certificate_style, make_pdf
from .issuing import (
    DEFAULT_TEMPLATE_NAME,
    Award,
    CertificateError,
    issue_certificate,
    issue_course_certificate,
    template_for_programme,
)
from .signed import PAYLOAD_VERSION, keyring, sign_certificate, signed_content

__all__ = [
    "DEFAULT_TEMPLATE_NAME",
    "PAYLOAD_VERSION",
    "Award",
    "CertificateError",
    "certificate_facts",
    "certificate_style",
    "issue_certificate",
    "issue_course_certificate",
    "keyring",
    "make_pdf",
    "reissue_certificate",
    "renew_certificate",
    "revoke_certificate",
    "sign_certificate",
    "signed_content",
    "template_for_programme",
]
