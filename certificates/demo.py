"""Demo certificate templates and the NTTP demo workshop (used by seed_demo)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from .models import CertificateTemplate, Signatory, Workshop
from .workshops import issue_workshop_certificates

DEMO_WORKSHOP_SLUG = "nttp-demo-workshop"
DEMO_ATTENDEES = (
    "name_en,name_ur,email\n"
    "Ayesha Siddiqui,عائشہ صدیقی,learner@example.org\n"
    "Muhammad Ali Khan,محمد علی خان,ali.khan@example.org\n"
    ",زینب بی بی,zainab@example.org\n"
)


def seed_certificates(nttp, lecturers) -> Workshop:
    """Templates for both programmes, and the demo workshop with its attendees."""
    nttp_template = _template(
        "NTTP certificate",
        nttp,
        issuer_en="Alliance Teachers Forum",
        issuer_ur="الائنس ٹیچرز فورم",
        signatory=("Dr. Nasreen Akhtar", "ڈاکٹر نسرین اختر", "Programme Director"),
    )
    _template(
        "Lecturer PD certificate",
        lecturers,
        issuer_en="Alliance Lecturers Forum",
        issuer_ur="الائنس لیکچررز فورم",
        signatory=(
            "Prof. Kamran Haider",
            "پروفیسر کامران حیدر",
            "Chair, Academic Board",
        ),
        primary_colour="#1d3f72",
    )
    workshop, _created = Workshop.objects.get_or_create(
        slug=DEMO_WORKSHOP_SLUG,
        defaults={
            "title_en": "Active learning in large classes",
            "title_ur": "بڑی جماعتوں میں فعال تدریس",
            "programme": nttp,
            "held_on": datetime.date(2026, 11, 14),
            "mode": Workshop.Mode.IN_PERSON,
            "cpd_hours": Decimal("6"),
            "template": nttp_template,
        },
    )
    issue_workshop_certificates(workshop, DEMO_ATTENDEES)
    return workshop


def _template(name, programme, *, issuer_en, issuer_ur, signatory, **style):
    template = CertificateTemplate.objects.filter(name=name).first()
    if template is not None:
        return template
    template = CertificateTemplate.objects.create(
        name=name,
        programme=programme,
        issuer_en=issuer_en,
        issuer_ur=issuer_ur,
        **style,
    )
    name_en, name_ur, title_en = signatory
    Signatory.objects.create(
        template=template, name_en=name_en, name_ur=name_ur, title_en=title_en
    )
    return template
