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


def acting_user(email: str):
    """The account a command acts for (``--user``): it may touch only what that
    account may touch in the admin."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise CommandError(f'No active account has the e-mail "{email}".')
    return user
