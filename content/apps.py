from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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

        register_lesson_requirement_check(unmet_activity_requirements)
        register_requirement_check(unmet_course_activity_requirements)
