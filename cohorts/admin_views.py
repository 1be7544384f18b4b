"""Admin pages beyond Wagtail's generic ones: enrolling a file of learners, its
progress, and an announcement to a cohort. Each finds the cohort or run through
``scoping`` first, so another area's id is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import scoping
from .bulk import enrolment
from .bulk.reading import LearnerFileError, problem_message
from .forms import AnnouncementForm, LearnerFileForm
from .messages import announce as announce_to_cohort
from .models import BulkEnrolmentRun, Cohort


def _cohort(request: HttpRequest, pk: int) -> Cohort:
    cohort = scoping.cohorts_in_scope(request.user).filter(pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


@permission_required("cohorts.add_bulkenrolmentrun", raise_exception=True)
def upload_learners(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    form = LearnerFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, data = form.cleaned_data["learners"]
        try:
            run = enrolment.start_enrolment_run(cohort, name, data, actor=request.user)
        except LearnerFileError as error:
            form.add_error("learners", str(error.message))
        else:
            return redirect("cohorts_admin:run", run.pk)
    return render(
        request,
        "cohorts/admin/upload.html",
        {
            "page_title": _("Enrol learners: %(cohort)s") % {"cohort": cohort.name},
            "header_icon": "group",
            "cohort": cohort,
            "form": form,
            "runs": cohort.enrolment_runs.all()[:10],
        },
    )


@permission_required("cohorts.view_bulkenrolmentrun", raise_exception=True)
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = (
        BulkEnrolmentRun.objects.filter(
            cohort__in=scoping.cohorts_in_scope(request.user)
        )
        .select_related("cohort")
        .filter(pk=pk)
        .first()
    )
    if run is None:
        raise Http404
    problems = [
        {"line": problem.get("line"), "message": problem_message(problem)}
        for problem in run.problems
    ]
    return render(
        request,
        "cohorts/admin/run.html",
        {
            "page_title": _("Enrolling into %(cohort)s") % {"cohort": run.cohort.name},
            "header_icon": "group",
            "run": run,
            "problems": problems,
        },
    )


@permission_required("cohorts.add_announcement", raise_exception=True)
def announce(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        announcement = announce_to_cohort(
            cohort,
            form.cleaned_data["subject"],
            form.cleaned_data["body"],
            request.user,
        )
        messages.success(
            request,
            _("The announcement is on its way to %(count)s members.")
            % {"count": announcement.recipient_count},
        )
        return redirect("cohorts_admin:inspect", cohort.pk)
    return render(
        request,
        "cohorts/admin/announce.html",
        {
            "page_title": _("Announcement to %(cohort)s") % {"cohort": cohort.name},
            "header_icon": "mail",
            "cohort": cohort,
            "form": form,
        },
    )
