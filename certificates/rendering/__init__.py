"""Certificate PDFs: bilingual layout, shaped Urdu, vector QR code, PAdES signing.

Pure Python over ReportLab; nothing here touches Django, so the certificates
app passes in plain facts and style and stores the bytes that come back.
"""

from .content import (
    CertificateFacts,
    CertificateStyle,
    Signatory,
    check_wording,
    format_date,
    format_hours,
)
from .fonts import DEFAULT_FONT_DIRS, FontsNotFoundError, register_fonts
from .layout import render_certificate_pdf

__all__ = [
    "DEFAULT_FONT_DIRS",
    "CertificateFacts",
    "CertificateStyle",
    "FontsNotFoundError",
    "Signatory",
    "check_wording",
    "format_date",
    "format_hours",
    "register_fonts",
    "render_certificate_pdf",
]
