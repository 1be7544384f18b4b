"""What a certificate says: the facts of one award and the style of its template.

Both are plain dataclasses so rendering needs no database; the certificates app
builds them from its models.
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from content.text import format_date as format_site_date

ImageSource = bytes | str | os.PathLike

PLACEHOLDERS = (
    "holder_name",
    "course_title",
    "programme_title",
    "cpd_hours",
    "issued_on",
    "expires_on",
    "issuer",
    "verification_code",
)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


@dataclass(frozen=True)
class CertificateFacts:
    holder_name_en: str
    holder_name_ur: str
    course_title_en: str
    course_title_ur: str
    programme_title_en: str
    programme_title_ur: str
    cpd_hours: Decimal
    issued_on: date
    expires_on: date | None
    issuer_en: str
    issuer_ur: str
    verification_code: str
    verification_url: str
    # What the QR code holds, when more than the address: the address with
    # the signed facts in its fragment (certificates/qr_facts.py).
    qr_data: str = ""
    # Printed in red across the page when this copy is no longer the valid one,
    # e.g. "Superseded by K7QM-3XD9-P2RT-W8HC".
    status_en: str = ""
    status_ur: str = ""


@dataclass(frozen=True)
class Signatory:
    name_en: str
    name_ur: str = ""
    title_en: str = ""
    title_ur: str = ""
    signature: ImageSource | None = None


@dataclass(frozen=True)
class CertificateStyle:
    primary_colour: str = "#0b4f3a"
    accent_colour: str = "#b08d3c"
    logo: ImageSource | None = None
    title_en: str = "Certificate of Completion"
    title_ur: str = "سندِ تکمیل"
    presented_en: str = "This certificate is awarded to"
    presented_ur: str = "یہ سند عطا کی جاتی ہے"
    wording_en: str = (
        "for successfully completing the course {course_title} of the "
        "{programme_title}, earning {cpd_hours} hours of continuing "
        "professional development."
    )
    wording_ur: str = (
        "{programme_title} کے کورس {course_title} کی کامیاب تکمیل پر، جس سے "
        "پیشہ ورانہ ترقی کے {cpd_hours} گھنٹے حاصل ہوئے۔"
    )
    signatories: tuple[Signatory, ...] = ()
    validity_en: str = ""
    validity_ur: str = ""


def check_wording(template: str) -> None:
    """Raise ValueError if ``template`` names a placeholder that does not exist.

    Trainers write wordings in the admin; call this when they save one.
    """
    unknown = sorted(set(_PLACEHOLDER.findall(template)) - set(PLACEHOLDERS))
    if unknown:
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise ValueError(
            f"Unknown placeholder {{{unknown[0]}}} in the wording; use {known}."
        )


def fill_wording(template: str, values: Mapping[str, str]) -> list[tuple[str, bool]]:
    """Split ``template`` into ``(text, is_value)`` pieces with placeholders filled.

    Values are marked so the layout can set them in bold. Only the names in
    PLACEHOLDERS are replaced (no ``str.format``, which would let a template
    reach into Python attributes).
    """
    check_wording(template)
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            pieces.append((template[position : match.start()], False))
        pieces.append((values[match.group(1)], True))
        position = match.end()
    if position < len(template):
        pieces.append((template[position:], False))
    return [(text, is_value) for text, is_value in pieces if text]


def wording_values(facts: CertificateFacts, language: str) -> dict[str, str]:
    """The placeholder values in ``language`` ("en" or "ur")."""
    urdu = language == "ur"

    def pick(english: str, urdu_text: str) -> str:
        return (urdu_text or english) if urdu else english

    return {
        "holder_name": pick(facts.holder_name_en, facts.holder_name_ur),
        "course_title": pick(facts.course_title_en, facts.course_title_ur),
        "programme_title": pick(facts.programme_title_en, facts.programme_title_ur),
        "cpd_hours": format_hours(facts.cpd_hours),
        "issued_on": format_date(facts.issued_on, language),
        "expires_on": (
            format_date(facts.expires_on, language) if facts.expires_on else ""
        ),
        "issuer": pick(facts.issuer_en, facts.issuer_ur),
        "verification_code": facts.verification_code,
    }


def format_hours(hours: Decimal) -> str:
    """Write CPD hours without trailing zeros: 12.50 -> "12.5", 10.0 -> "10"."""
    hours = Decimal(hours)
    if not hours.is_finite() or hours < 0:
        raise ValueError(f"CPD hours must be a non-negative number, not {hours}")
    text = format(hours.normalize(), "f")
    return text


def format_date(day: date, language: str = "en") -> str:
    """Write a date as "14 March 2025", or "14 مارچ 2025" in Urdu: the site's
    date format, with the Latin digits the certificate prints in both languages."""
    return format_site_date(day, language, latin_digits=True)
