"""Certificate figures: PDFs per second (unsigned and PAdES-signed), bytes per
PDF, 10,000 signed certificates on every core, and bulk-issuing 1,000 workshop
certificates end to end."""

from __future__ import annotations

import datetime
import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

from .results import Metric

UNSIGNED_COUNT = 300
SIGNED_COUNT = 100
PARALLEL_COUNT = 1000
BULK_COUNT = 1000


def _facts(number: int):
    from certificates.rendering import CertificateFacts

    return CertificateFacts(
        holder_name_en=f"Muhammad Ali Khan {number}",
        holder_name_ur="محمد علی خان",
        course_title_en="Classroom management",
        course_title_ur="کمرۂ جماعت کا نظم و ضبط",
        programme_title_en="National Teachers Training Program",
        programme_title_ur="قومی تربیتِ اساتذہ پروگرام",
        cpd_hours=Decimal("6"),
        issued_on=datetime.date(2026, 11, 25),
        expires_on=None,
        issuer_en="Alliance Teachers Forum",
        issuer_ur="الائنس ٹیچرز فورم",
        verification_code="K7QM-3XD9-P2RT-W8HC",
        verification_url="https://learn.example.org/verify/K7QM-3XD9-P2RT-W8HC/",
    )


def _render(number: int, pkcs12: str | None = None) -> int:
    from certificates.rendering import CertificateStyle, render_certificate_pdf

    pdf = render_certificate_pdf(_facts(number), CertificateStyle())
    if pkcs12:
        from certificates.rendering.pades import sign_pdf_pades

        pdf = sign_pdf_pades(pdf, pkcs12, "bench")
    return len(pdf)


def _signing_certificate(folder: Path) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        pkcs12,
    )
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench signer")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path = folder / "signer.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"bench", key, certificate, None, BestAvailableEncryption(b"bench")
        )
    )
    return str(path)


def _rate(count: int, work) -> tuple[float, list[int]]:
    work(0)  # fonts and images are loaded once per process, as on a server
    started = time.perf_counter()
    sizes = [work(number) for number in range(1, count + 1)]
    return count / (time.perf_counter() - started), sizes


def run() -> list[Metric]:
    metrics: list[Metric] = []
    unsigned_rate, sizes = _rate(UNSIGNED_COUNT, _render)
    metrics.append(
        Metric(
            "certificate PDFs per second, unsigned, one process",
            unsigned_rate,
            "PDF/s",
            40,
            "min",
        )
    )
    metrics.append(Metric("bytes per certificate PDF", statistics.mean(sizes), "bytes"))
    with tempfile.TemporaryDirectory() as folder:
        pkcs12 = _signing_certificate(Path(folder))
        signed_rate, _sizes = _rate(SIGNED_COUNT, lambda n: _render(n, pkcs12))
        metrics.append(
            Metric(
                "certificate PDFs per second, PAdES-signed, one process",
                signed_rate,
                "PDF/s",
            )
        )
        workers = os.cpu_count() or 1
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_render, range(workers), [pkcs12] * workers))  # warm up
            started = time.perf_counter()
            list(
                pool.map(
                    _render,
                    range(PARALLEL_COUNT),
                    [pkcs12] * PARALLEL_COUNT,
                    chunksize=25,
                )
            )
            parallel_rate = PARALLEL_COUNT / (time.perf_counter() - started)
        metrics.append(
            Metric(
                f"signed PDFs per second on {workers} processes", parallel_rate, "PDF/s"
            )
        )
        metrics.append(
            Metric(
                "10,000 signed certificates (projected from the run above)",
                10_000 / parallel_rate,
                "s",
                300,
            )
        )
    metrics.append(_bulk_issue())
    return metrics


def _bulk_issue() -> Metric:
    """Issue 1,000 workshop certificates end to end in one process: records,
    Ed25519 signatures, PDFs drawn and stored, e-mails queued."""
    from .django_setup import setup

    setup()
    from certificates.models import Certificate, CertificateTemplate, Workshop
    from certificates.workshops import issue_workshop_certificates

    workshop = Workshop.objects.create(
        slug=f"bench-{time.time_ns()}",
        title_en="Benchmark workshop",
        title_ur="بینچ مارک ورکشاپ",
        held_on=datetime.date(2026, 11, 25),
        cpd_hours=Decimal("6"),
        template=CertificateTemplate.objects.get(name="Default"),
    )
    rows = ["name_en,name_ur,email"] + [
        f"Attendee {number},شرکت کنندہ {number},attendee{number}@example.org"
        for number in range(BULK_COUNT)
    ]
    started = time.perf_counter()
    issue_workshop_certificates(workshop, "\n".join(rows) + "\n")
    elapsed = time.perf_counter() - started
    made = Certificate.objects.filter(workshop=workshop).exclude(pdf="").count()
    if made != BULK_COUNT:
        raise RuntimeError(f"bulk issue made {made} PDFs, expected {BULK_COUNT}")
    return Metric(
        "bulk-issue 1,000 workshop certificates with PDFs, one process", elapsed, "s"
    )
