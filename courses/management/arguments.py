"""Reading what the courses app's management commands are given."""

from __future__ import annotations

from django.core.management.base import CommandError
from wagtail.models import Locale

from courses.models import CoursePage


def course_by_slug(slug: str) -> CoursePage:
    """The course with this slug, in the default language when it is translated."""
    courses = list(CoursePage.objects.filter(slug=slug).select_related("locale"))
    if not courses:
        raise CommandError(f'No course has the slug "{slug}".')
    default = Locale.get_default()
    originals = [c for c in courses if c.locale_id == default.pk] or courses
    if len({c.translation_key for c in originals}) > 1:
        raise CommandError(f'Several courses have the slug "{slug}".')
    return originals[0]
