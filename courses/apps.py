from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Programmes and courses")

    def ready(self):
        from .completion import register_requirement_check
        from .quizzes.services import unmet_quiz_requirements

        register_requirement_check(unmet_quiz_requirements)

        from content.scoping import register_programme_pages

        from .authoring import programme_pages

        register_programme_pages(programme_pages)
