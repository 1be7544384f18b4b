from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Programmes and courses")

    def ready(self):
        from .completion import register_requirement_check
        from .quizzes.services import unmet_quiz_requirements

        register_requirement_check(unmet_quiz_requirements)

        from content.blocks import register_reporting_urls
        from content.signals import statement_recorded

        from .activities import (
            recheck_completion,
            reporting_urls,
            unmet_activity_requirements,
            unmet_course_activity_requirements,
        )
        from .completion import register_lesson_requirement_check

        register_lesson_requirement_check(unmet_activity_requirements)
        register_requirement_check(unmet_course_activity_requirements)
        register_reporting_urls(reporting_urls)
        statement_recorded.connect(
            recheck_completion, dispatch_uid="courses.recheck_completion"
        )

        from content.scoping import register_programme_pages

        from .authoring import programme_pages

        register_programme_pages(programme_pages)
