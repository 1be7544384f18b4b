"""The CPD record as a PDF, rendered on request and kept for a day."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from ..rendering.record import (
    RecordAwardEntry,
    RecordEntry,
    RecordFacts,
    RecordYear,
    render_record_pdf,
)
from ..sharing import verification_url
from .cpd_records import CpdRecord
from .templates import template_for_programme

_KEPT = 24 * 60 * 60


def record_facts(user: Any, record: CpdRecord, record_url: str) -> RecordFacts:
    newest = record.certificates[0] if record.certificates else None
    issuer = newest or template_for_programme(None)
    return RecordFacts(
        holder_en=newest.holder_name_en if newest else user.get_full_name(),
        holder_ur=newest.holder_name_ur if newest else "",
        issuer_en=issuer.issuer_en,
        issuer_ur=issuer.issuer_ur,
        total_hours=record.total_hours,
        years=[
            RecordYear(year.year, year.hours, year.certificates)
            for year in record.years
        ],
        entries=[
            RecordEntry(
                course_en=certificate.course_title_en,
                course_ur=certificate.course_title_ur,
                issued_on=certificate.issued_on,
                expires_on=certificate.expires_on,
                cpd_hours=certificate.cpd_hours,
                code=certificate.verification_code,
                verification_url=verification_url(certificate),
            )
            for certificate in record.certificates
        ],
        record_url=record_url,
        printed_on=timezone.localdate(),
        # Awards come from the app above (see cpd_records.add_award_provider).
        awards=[
            RecordAwardEntry(award.title_en, award.title_ur, award.issued_on)
            for award in record.awards
        ],
    )


def record_pdf(user: Any, record: CpdRecord, record_url: str = "") -> bytes:
    """The record's PDF; the same record on the same day gives the same file
    (rendering shapes every Urdu line, so it is not redone on each visit)."""
    codes = ",".join(
        [c.verification_code for c in record.certificates]
        + [f"award:{award.identifier}" for award in record.awards]
    )
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256(f"{user.pk}|{codes}|{record_url}|{day}".encode())
    key = f"cpd-record-pdf:{digest.hexdigest()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_record_pdf(record_facts(user, record, record_url))
        cache.set(key, pdf, _KEPT)
    return pdf
