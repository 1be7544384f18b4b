"""Certificates on pages the courses app renders (the learner's dashboard)."""

from django import template

from ..models import Certificate
from ..services import verification_url
from ..views import linkedin_add_url

register = template.Library()


@register.simple_tag
def current_certificates_by_course(user) -> dict[int, Certificate]:
    """The learner's current course certificates keyed by course id: one query."""
    if not user.is_authenticated:
        return {}
    found = {}
    for certificate in Certificate.objects.filter(
        user=user, is_current=True, course__isnull=False
    ):
        certificate.share_url = verification_url(certificate)
        certificate.linkedin_url = linkedin_add_url(certificate)
        found[certificate.course_id] = certificate
    return found


@register.filter
def for_course(certificates: dict, course_id: int):
    return certificates.get(course_id)


@register.filter
def ltr_isolate(text) -> str:
    """Keep a code or address left-to-right inside a right-to-left sentence."""
    return f"\u2066{text}\u2069"
