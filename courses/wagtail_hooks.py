"""Wagtail admin: question banks and quizzes as snippets, reports, import."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from content.scoped_admin import ScopedSnippetViewSet

from . import content_checks
from .models import CoursePage, Question, QuestionCategory, Quiz, QuizAttempt
from .packages import admin_views as package_views
from .quizzes import access, admin_views
from .quizzes.marking import MarkingPolicy, MarkingViewSet


class QuestionCategoryViewSet(ScopedSnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-1"
    menu_label = _("Question categories")
    list_display = ["name", "course", "programme"]


class QuestionViewSet(ScopedSnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["name", "kind", "category", "locale"]
    list_filter = ["kind", "category"]
    search_fields = ["name", "text"]


class QuizViewSet(ScopedSnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    list_display = ["title", "course", "pass_mark"]
    list_filter = ["course"]


class QuizzesGroup(SnippetViewSetGroup):
    items = (QuizViewSet, QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "tasks"
    menu_label = _("Quizzes")
    menu_name = "quizzes"


for _model in (Quiz, Question, QuestionCategory):
    register_permission_policy(_model, access.ProgrammeScopedPolicy(_model))
register_snippet(QuizzesGroup)
register_permission_policy(QuizAttempt, MarkingPolicy(QuizAttempt))


@hooks.register("register_admin_viewset")
def register_marking_queue():
    return MarkingViewSet("courses_marking")


@hooks.register("register_admin_urls")
def quiz_admin_urls():
    return [
        path(
            "quiz-reports/<int:quiz_id>/",
            admin_views.report_view,
            name="courses_quiz_report",
        ),
        path(
            "quiz-reports/<int:quiz_id>/csv/",
            admin_views.report_csv_view,
            name="courses_quiz_report_csv",
        ),
        path("question-import/", admin_views.import_view, name="courses_quiz_import"),
        path(
            "question-import/<uuid:held_id>/confirm/",
            admin_views.import_confirm_view,
            name="courses_quiz_import_confirm",
        ),
        path(
            "question-import/template.csv",
            admin_views.csv_template_view,
            name="courses_quiz_csv_template",
        ),
        path(
            "question-export/<int:category_id>/<str:file_format>/",
            admin_views.export_view,
            name="courses_quiz_export",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.editable_courses(request.user).exists()


@hooks.register("register_admin_menu_item")
def question_import_menu_item():
    return ImportMenuItem(
        _("Import questions"),
        reverse("courses_quiz_import"),
        icon_name="upload",
        order=310,
    )


@hooks.register("register_snippet_listing_buttons")
def quiz_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Quiz):
        yield ListingButton(
            _("Report"),
            reverse("courses_quiz_report", args=[snippet.pk]),
            icon_name="table",
            priority=5,
        )
    elif isinstance(snippet, QuestionCategory):
        for label, file_format in (
            (_("Export GIFT"), "gift"),
            (_("Export XML"), "xml"),
        ):
            yield ListingButton(
                label,
                reverse("courses_quiz_export", args=[snippet.pk, file_format]),
                icon_name="download",
                priority=50,
            )


# Course packages ----------------------------------------------------------------


@hooks.register("register_admin_urls")
def course_package_admin_urls():
    return [
        path(
            "course-packages/export/<int:course_id>/",
            package_views.export_view,
            name="courses_package_export",
        ),
        path(
            "course-packages/import/",
            package_views.import_view,
            name="courses_package_import",
        ),
    ]


class PackageImportMenuItem(MenuItem):
    def is_shown(self, request):
        return package_views.programmes_for_import(request.user).exists()


@hooks.register("register_admin_menu_item")
def course_package_import_menu_item():
    return PackageImportMenuItem(
        _("Import a course"),
        reverse("courses_package_import"),
        icon_name="upload",
        order=320,
    )


def _export_button(page, user, priority: int):
    page_class = page.specific_class or type(page)
    if issubclass(page_class, CoursePage) and package_views.can_export(user, page):
        yield Button(
            _("Export as a package"),
            reverse("courses_package_export", args=[page.pk]),
            icon_name="download",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def course_package_header_button(page, user, view_name=None, next_url=None):
    yield from _export_button(page, user, priority=80)


@hooks.register("register_page_listing_more_buttons")
def course_package_listing_button(page, user, next_url=None):
    yield from _export_button(page, user, priority=80)


hooks.register("construct_wagtail_userbar", content_checks.use_lesson_content_checks)
