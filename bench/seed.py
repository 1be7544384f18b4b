"""Bulk data for benchmarks, written with bulk inserts (run inside Django)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from certificates import services
from certificates.codes import generate_verification_code
from certificates.models import Certificate, CertificateTemplate, Workshop


def seed_certificates(count: int, codes_path: str, unknown_share: float = 0.1) -> None:
    """Issue ``count`` signed workshop certificates; write a mix of their codes
    and unknown codes (``unknown_share`` of the lines) to ``codes_path``."""
    template = CertificateTemplate.objects.get(name="Default")
    workshop, _ = Workshop.objects.get_or_create(
        slug="bench-workshop",
        defaults={
            "title_en": "Benchmark workshop",
            "title_ur": "بینچ مارک ورکشاپ",
            "held_on": datetime.date(2026, 11, 1),
            "cpd_hours": Decimal("6"),
            "template": template,
        },
    )
    rows = []
    for number in range(count):
        certificate = Certificate(
            verification_code=generate_verification_code(),
            kind=Certificate.Kind.WORKSHOP,
            email=f"attendee{number}@example.org",
            workshop=workshop,
            template=template,
            holder_name_en=f"Attendee {number}",
            holder_name_ur=f"شرکت کنندہ {number}",
            course_title_en=workshop.title_en,
            course_title_ur=workshop.title_ur,
            programme_title_en="National Teachers Training Program",
            programme_title_ur="قومی تربیتِ اساتذہ پروگرام",
            cpd_hours=workshop.cpd_hours,
            issued_on=workshop.held_on,
            issuer_en=template.issuer_en,
            issuer_ur=template.issuer_ur,
        )
        services.sign_certificate(certificate)
        rows.append(certificate)
    with transaction.atomic():
        Certificate.objects.bulk_create(rows, batch_size=2000)
    known = [row.verification_code for row in rows]
    unknown_count = int(len(known) * unknown_share / (1 - unknown_share))
    unknown = [generate_verification_code() for _ in range(unknown_count)]
    with open(codes_path, "w") as file:
        file.write("\n".join(known + unknown) + "\n")
