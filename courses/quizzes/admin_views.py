"""Trainer pages in the Wagtail admin: quiz report, CSV, bank import and export."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from ..models import CoursePage, QuestionCategory, Quiz
from ..quiz_formats import CSV_TEMPLATE, QuestionFormatError
from . import access, analysis, authoring, banks

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


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
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            banks.format_for(upload.name)
        except QuestionFormatError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


def import_view(request: HttpRequest) -> HttpResponse:
    if not access.editable_courses(request.user).exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        upload = form.cleaned_data["file"]
        try:
            parsed = banks.parse_file(upload.name, upload.read())
            category = None
            if form.cleaned_data["category"].strip():
                category = authoring.category_for(
                    course, "", form.cleaned_data["category"].strip()
                )
            saved = authoring.import_questions(
                course, parsed, category, form.cleaned_data["language"]
            )
        except QuestionFormatError as error:
            form.add_error(
                "file",
                _("Nothing was imported. %(fault)s") % {"fault": str(error)},
            )
        else:
            messages.success(
                request,
                _("%(count)d questions imported into %(course)s.")
                % {"count": len(saved), "course": course.title},
            )
            return redirect("courses_quiz_import")
    return TemplateResponse(
        request,
        "courses/admin/question_import.html",
        {"form": form, "header_title": _("Import questions")},
    )


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
