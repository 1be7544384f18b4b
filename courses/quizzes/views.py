"""Thin views for learners taking quizzes: parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lms.rate_limits import rate_limit

from ..models import Quiz, QuizAttempt
from . import reads, services


def _quiz(quiz_id: int) -> Quiz:
    quiz = Quiz.objects.select_related("course").filter(pk=quiz_id).first()
    if quiz is None or not quiz.course.live:
        raise Http404
    return quiz


def _own_attempt(request: HttpRequest, attempt_id: int) -> QuizAttempt:
    return get_object_or_404(
        QuizAttempt.objects.select_related("quiz", "quiz__course"),
        pk=attempt_id,
        user=request.user,
    )


def _refused(request: HttpRequest, error: services.LearningError, status: int):
    return render(
        request, "courses/not_available.html", {"message": error.message}, status=status
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _essay_too_long(
    request: HttpRequest, attempt: QuizAttempt, error: services.EssayTooLong
) -> HttpResponse:
    """Nothing is saved; the learner is told why and keeps the page."""
    if _wants_json(request):
        return JsonResponse({"saved": False, "error": str(error.message)}, status=413)
    messages.error(request, error.message)
    return redirect("courses:quiz_attempt", attempt_id=attempt.pk)


@login_required
@never_cache
def quiz_view(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz(quiz_id)
    status = reads.quiz_status(request.user, quiz)
    course = (
        quiz.course.get_translation_or_none(quiz.course.locale.get_active())
        or quiz.course
    )
    return render(
        request,
        "courses/quiz.html",
        {"quiz": quiz, "status": status, "course": course},
    )


@require_POST
@login_required
def start_view(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz(quiz_id)
    try:
        attempt = services.start_attempt(request.user, quiz, get_language())
    except services.NotEnrolled as error:
        return _refused(request, error, 403)
    except services.LearningError as error:
        messages.error(request, error.message)
        return redirect("courses:quiz", quiz_id=quiz.pk)
    return redirect("courses:quiz_attempt", attempt_id=attempt.pk)


@login_required
@never_cache
def attempt_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open and services.past_deadline(attempt):
        # Time ran out while the learner was away. A GET never grades: the page
        # says so and offers to submit what was saved in time.
        return render(
            request,
            "courses/quiz_time_up.html",
            {
                "attempt": attempt,
                "title": reads.quiz_title(
                    attempt.quiz, reads.localized_course(attempt.quiz)
                ),
            },
        )
    if not attempt.is_open:
        return redirect("courses:quiz_result", attempt_id=attempt.pk)
    return render(
        request,
        "courses/quiz_attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "title": reads.quiz_title(
                attempt.quiz, reads.localized_course(attempt.quiz)
            ),
            "questions": reads.attempt_questions(attempt),
            "essay_limit": services.MAX_ESSAY_ANSWER,
        },
    )


@require_POST
@login_required
@rate_limit("quiz_save")
def save_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    try:
        saved = services.save_answers(
            request.user, attempt.pk, services.answers_from_form(attempt, request.POST)
        )
    except services.EssayTooLong as error:
        return _essay_too_long(request, attempt, error)
    except services.LearningError as error:
        if _wants_json(request):
            return JsonResponse(
                {"saved": False, "error": str(error.message)}, status=409
            )
        messages.error(request, error.message)
        return redirect("courses:quiz_result", attempt_id=attempt.pk)
    if _wants_json(request):
        return JsonResponse({"saved": True, "saved_at": saved.answers_saved_at})
    messages.success(request, _("Your answers are saved."))
    return redirect("courses:quiz_attempt", attempt_id=attempt.pk)


@require_POST
@login_required
@rate_limit("quiz_submit")
def submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    try:
        answers = services.answers_from_form(attempt, request.POST)
    except services.EssayTooLong as error:
        return _essay_too_long(request, attempt, error)
    try:
        submission = services.submit_attempt(request.user, attempt.pk, answers)
    except services.LearningError as error:
        return _refused(request, error, 404)
    if submission.late:
        messages.warning(
            request,
            _(
                "Time was up before this was sent; the answers saved in time "
                "were marked."
            ),
        )
    elif not submission.graded_now:
        messages.info(request, _("This attempt was already submitted."))
    url = reverse("courses:quiz_result", kwargs={"attempt_id": attempt.pk})
    return redirect(url + ("?completed=1" if submission.course_completed_now else ""))


@login_required
@never_cache
def result_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("courses:quiz_attempt", attempt_id=attempt.pk)
    status = reads.quiz_status(request.user, attempt.quiz)
    show_answers = reads.may_show_answers(attempt, status)
    course = reads.localized_course(attempt.quiz)
    return render(
        request,
        "courses/quiz_result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "title": reads.quiz_title(attempt.quiz, course),
            "status": status,
            "course": course,
            "show_answers": show_answers,
            "questions": reads.graded_questions(attempt, show_answers),
        },
    )
