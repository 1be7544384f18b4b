"""Trainer pages in the Wagtail admin: download a course package, upload one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.permission_policies.pages import PagePermissionPolicy

from ..models import CoursePage, ProgrammePage
from .errors import CoursePackageError
from .export import export_course
from .importer import import_course_package
from .reading import COURSE_PACKAGE_LIMITS


def can_export(user, course) -> bool:
    """Trainers of the course's programme: whoever may edit the course. Uses
    Wagtail's per-request permission cache, so listing buttons add no queries."""
    return course.permissions_for_user(user).can_edit()


def programmes_for_import(user):
    """Programmes ``user`` may add courses to."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    return ProgrammePage.objects.filter(pk__in=pages.values("pk")).order_by("title")


def export_view(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage, pk=course_id)
    if not can_export(request.user, course):
        raise PermissionDenied
    data = export_course(course)
    response = HttpResponse(data, content_type="application/zip")
    name = slugify(course.slug) or f"course-{course.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.course.zip"'
    return response


class ImportForm(forms.Form):
    programme = forms.ModelChoiceField(
        queryset=ProgrammePage.objects.none(),
        label=gettext_lazy("Programme"),
        help_text=gettext_lazy(
            "The course is added here as a draft, in every language."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Course package"),
        help_text=gettext_lazy("A .zip file exported from this platform."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes_for_import(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > COURSE_PACKAGE_LIMITS.max_total_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(COURSE_PACKAGE_LIMITS.max_total_bytes)}
            )
        return upload


def import_view(request: HttpRequest) -> TemplateResponse | HttpResponse:
    if not programmes_for_import(request.user).exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            course = import_course_package(
                form.cleaned_data["file"], form.cleaned_data["programme"], request.user
            )
        except CoursePackageError as error:
            form.add_error(
                "file",
                _("Nothing was imported. %(fault)s") % {"fault": error.message},
            )
        else:
            messages.success(
                request,
                _(
                    "%(course)s was imported as a draft. Review it, then submit it "
                    "for publishing."
                )
                % {"course": course.title},
            )
            return redirect("wagtailadmin_pages:edit", course.pk)
    return TemplateResponse(
        request,
        "courses/admin/course_package_import.html",
        {"form": form, "header_title": _("Import a course package")},
    )
