"""Trainer pages in the Wagtail admin: quiz report, CSV, bank import and export."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from ..models import CoursePage, QuestionCategory, Quiz
from ..quiz_formats import CSV_TEMPLATE, QuestionFormatError
from ..quiz_formats.embedded_files import MAX_FILE_BYTES
from . import access, analysis, bank_import, banks

# Moodle XML carries its images inside (see quiz_formats.embedded_files).
MAX_UPLOAD_BYTES = MAX_FILE_BYTES


def _quiz_for_trainer(request: HttpRequest, quiz_id: int) -> Quiz:
    quiz = get_object_or_404(Quiz.objects.select_related("course"), pk=quiz_id)
    if not access.can_manage_quiz(request.user, quiz):
        raise PermissionDenied
    return quiz


def report_view(request: HttpRequest, quiz_id: int) -> TemplateResponse:
    quiz = _quiz_for_trainer(request, quiz_id)
    return TemplateResponse(
        request,
        "courses/admin/quiz_report.html",
        {
            "quiz": quiz,
            "report": analysis.quiz_report(quiz),
            "header_title": quiz.title,
        },
    )


def report_csv_view(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_for_trainer(request, quiz_id)
    body = analysis.report_csv(analysis.quiz_report(quiz))
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    name = slugify(quiz.title) or f"quiz-{quiz.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-report.csv"'
    return response


class ImportForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.none(), label=gettext_lazy("Course")
    )
    category = forms.CharField(
        label=gettext_lazy("Category"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Leave empty to use the categories named in the file."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the questions"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Moodle GIFT (.gift), Moodle XML (.xml) or CSV (.csv)."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = access.editable_courses(user).order_by("title")
        self.fields["language"].choices = [
            (locale.language_code, locale.get_display_name())
            for locale in Locale.objects.order_by("language_code")
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.")
                % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        try:
            banks.format_for(upload.name)
        except QuestionFormatError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a file and see what it holds; nothing is written until confirmed."""
    if not access.editable_courses(request.user).exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        upload = form.cleaned_data["file"]
        data = upload.read()
        choices = {
            "category": form.cleaned_data["category"].strip(),
            "language": form.cleaned_data["language"],
        }
        try:
            preview = bank_import.preview_bank(course, upload.name, data, **choices)
        except QuestionFormatError as error:
            form.add_error(
                "file",
                _("Nothing was imported. %(fault)s") % {"fault": str(error)},
            )
        else:
            held = bank_import.hold_upload(
                request.user, course, upload.name, data, **choices
            )
            return TemplateResponse(
                request,
                "courses/admin/question_import_preview.html",
                {
                    "preview": preview,
                    "held": held,
                    "header_title": _("Import questions"),
                },
            )
    return TemplateResponse(
        request,
        "courses/admin/question_import.html",
        {"form": form, "header_title": _("Import questions")},
    )


@require_POST
def import_confirm_view(request: HttpRequest, held_id: UUID) -> HttpResponse:
    held = bank_import.held_upload(request.user, str(held_id))
    if held is None:
        messages.error(
            request, _("That upload has expired or was imported. Upload it again.")
        )
        return redirect("courses_quiz_import")
    if not access.editable_courses(request.user).filter(pk=held.course_id).exists():
        raise PermissionDenied
    course_title = held.course.title
    try:
        result = bank_import.import_held_upload(held)
    except QuestionFormatError as error:
        messages.error(
            request, _("Nothing was imported. %(fault)s") % {"fault": str(error)}
        )
    else:
        messages.success(
            request,
            _("%(count)d questions imported into %(course)s.")
            % {"count": len(result.saved), "course": course_title},
        )
    return redirect("courses_quiz_import")


def csv_template_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "\ufeff" + CSV_TEMPLATE, content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="questions-template.csv"'
    return response


def export_view(request: HttpRequest, category_id: int, file_format: str):
    if file_format not in ("gift", "xml"):
        raise Http404
    category = get_object_or_404(QuestionCategory, pk=category_id)
    if not access.scoped(
        request.user, QuestionCategory.objects.filter(pk=category.pk)
    ).exists():
        raise PermissionDenied
    language = request.GET.get("language") or None
    try:
        data = banks.export_bank(banks.bank_questions(category, language), file_format)
    except QuestionFormatError as error:
        messages.error(request, str(error))
        return redirect("courses_quiz_import")
    extension = "gift" if file_format == "gift" else "xml"
    content_type = "text/plain" if extension == "gift" else "application/xml"
    response = HttpResponse(data, content_type=f"{content_type}; charset=utf-8")
    name = slugify(category.name) or f"category-{category.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
