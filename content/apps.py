from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_library_installation(sender, **kwargs) -> None:
    """Programme managers may install H5P libraries and their updates (trainers
    use what is installed). Idempotent; runs after every app's migrations, so
    whichever app's turn creates the permission, the group gets it."""
    from django.contrib.auth.models import Group, Permission

    from lms.accounts.services import PROGRAMME_MANAGERS_GROUP

    permissions = list(
        Permission.objects.filter(
            content_type__app_label="content",
            codename__in=["install_h5plibrary", "view_h5plibrary"],
        )
    )
    if permissions:
        group, _created = Group.objects.get_or_create(name=PROGRAMME_MANAGERS_GROUP)
        group.permissions.add(*permissions)


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content and languages")

    def ready(self):
        from courses.completion import (
            register_lesson_requirement_check,
            register_requirement_check,
        )

        from .lessons import (
            unmet_activity_requirements,
            unmet_course_activity_requirements,
        )

        post_migrate.connect(
            grant_library_installation, dispatch_uid="content_library_installation"
        )
        register_lesson_requirement_check(unmet_activity_requirements)
        register_requirement_check(unmet_course_activity_requirements)
