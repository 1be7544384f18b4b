"""Certificates on pages the courses app renders (the learner's dashboard)."""

import json

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ..models import Certificate
from ..sharing import add_share_links
from ..verification import with_pending_counts

register = template.Library()


@register.simple_tag
def current_certificates_by_course(user) -> dict[int, Certificate]:
    """The learner's current course certificates keyed by course id: one query."""
    if not user.is_authenticated:
        return {}
    certificates = list(
        Certificate.objects.filter(user=user, is_current=True, course__isnull=False)
    )
    add_share_links(certificates)
    with_pending_counts(certificates)
    return {certificate.course_id: certificate for certificate in certificates}


@register.filter
def for_course(certificates: dict, course_id: int):
    return certificates.get(course_id)


@register.filter
def ltr_isolate(text) -> str:
    """Keep a code or address left-to-right inside a right-to-left sentence."""
    return f"\u2066{text}\u2069"


@register.simple_tag
def verifier_workers() -> str:
    """The checker's workers to register, as JSON [[script, scope], ...]: the
    default language's (where the QR codes point) and this page's language's.
    Each keeps its own copy of the page, so not every language's."""
    languages = dict.fromkeys([settings.LANGUAGE_CODE, translation.get_language()])
    workers = []
    for code in languages:
        with translation.override(code):
            workers.append(
                [
                    reverse("certificates:verifier_worker"),
                    reverse("certificates:verify_start"),
                ]
            )
    return json.dumps(workers)
