"""Certificates on pages the courses app renders (the learner's dashboard)."""

from django import template

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
