"""Thin views: parse the request, call a service or a read, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from lms.rate_limits import rate_limit

from . import learning, services
from .catalogue import CatalogueFilters, catalogue, programme_choices
from .models import CoursePage, LessonPage


def catalogue_view(request: HttpRequest) -> HttpResponse:
    try:
        programme = int(request.GET.get("programme") or 0) or None
    except ValueError:
        programme = None
    filters = CatalogueFilters(
        programme=programme,
        language=request.GET.get("language", "")[:8],
        level=request.GET.get("level", "")[:16],
        query=request.GET.get("q", "")[:200],
    )
    page = catalogue(filters, request.GET.get("page", 1), get_language())
    return render(
        request,
        "courses/catalogue.html",
        {
            "page_obj": page,
            "filters": filters,
            "programmes": programme_choices(get_language()),
            "levels": CoursePage.Level.choices,
        },
    )


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "courses/dashboard.html",
        {"dashboard": learning.dashboard(request.user)},
    )


@require_POST
@login_required
@rate_limit("enrol")
def enrol_view(request: HttpRequest, course_id: int) -> HttpResponse:
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise Http404
    try:
        enrolment = services.enrol(request.user, course)
    except services.LearningError as error:
        messages.error(request, error.message)
        return redirect(course.url)
    target = learning.first_unfinished(
        list(course.lessons()), learning.done_lesson_ids(enrolment.user, course)
    )
    return redirect(target.url if target else course.url)


@require_POST
@login_required
def complete_lesson_view(request: HttpRequest, lesson_id: int) -> HttpResponse:
    try:
        result = services.record_lesson_complete(request.user, lesson_id)
    except services.LessonNotAvailable as error:
        messages.error(request, error.message)
        return render(
            request,
            "courses/not_available.html",
            {"message": error.message},
            status=404,
        )
    except services.NotEnrolled as error:
        messages.error(request, error.message)
        return render(
            request,
            "courses/not_available.html",
            {"message": error.message},
            status=403,
        )
    except services.LessonRequirementsNotMet as error:
        messages.error(request, error.message)
        return redirect(LessonPage.objects.get(pk=lesson_id).url)
    course = result.enrolment.course
    if result.course_completed_now:
        return redirect(f"{course.url}?completed=1")
    if result.next_lesson is not None:
        return redirect(result.next_lesson.url)
    return redirect(course.url)
