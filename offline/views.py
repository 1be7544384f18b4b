"""Thin views for learning offline: the manifest, the sync endpoint, the
service worker, the web app manifest and the offline page."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from courses.models import CoursePage, Quiz, QuizAttempt
from courses.quizzes import reads as quiz_reads
from courses.quizzes.services import MAX_ESSAY_ANSWER
from courses.services import LearningError
from languages.served import script_stylesheet
from lms.rate_limits import rate_limit
from lms.request_limits import JsonLimits, JsonRefused, parse_json

from . import reads, services
from .models import OfflineQuizPaper

# A queue of at most 20 actions per request; an essay answer may be 10,000
# characters, so strings are allowed that long.
SYNC_LIMITS = JsonLimits(
    max_bytes=96 * 1024, max_depth=6, max_items=100, max_values=3000, max_string=10_000
)
MAX_ITEMS_PER_SYNC = 20


def _json_login_required(request: HttpRequest) -> JsonResponse | None:
    if request.user.is_authenticated:
        return None
    return JsonResponse(
        {
            "error": _("Log in to send what you did offline."),
            "login_url": reverse("accounts:login"),
        },
        status=401,
    )


@never_cache
@require_GET
def course_manifest_view(request: HttpRequest, course_id: int) -> HttpResponse:
    refused = _json_login_required(request)
    if refused:
        return refused
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise Http404
    if not reads.is_enrolled(request.user, course):
        return JsonResponse(
            {"error": _("Enrol in the course to save it for offline.")}, status=403
        )
    if request.GET.get("versions"):
        return JsonResponse(reads.lesson_versions(course))
    return JsonResponse(reads.course_offline_manifest(request, course))


@require_http_methods(["POST"])
@rate_limit("quiz_submit")
def prepare_quiz_view(request: HttpRequest, quiz_id: int) -> HttpResponse:
    refused = _json_login_required(request)
    if refused:
        return refused
    quiz = Quiz.objects.select_related("course").filter(pk=quiz_id).first()
    if quiz is None or not quiz.course.live:
        raise Http404
    try:
        prepared = services.prepare_offline_quiz(request.user, quiz, get_language())
    except LearningError as error:
        return JsonResponse({"error": str(error.message)}, status=409)
    # The page the phone keeps in place of the quiz page: the attempt she
    # started, or a paper (saving uses no attempt).
    if prepared.paper is not None:
        url = reverse("offline:paper", kwargs={"paper_id": prepared.paper.pk})
    else:
        attempt_id = prepared.attempt.pk if prepared.attempt else None
        url = reverse("courses:quiz_attempt", kwargs={"attempt_id": attempt_id})
    return JsonResponse({"page_url": url})


def _own_paper(request: HttpRequest, paper_id: int) -> OfflineQuizPaper:
    return get_object_or_404(
        OfflineQuizPaper.objects.select_related("quiz", "quiz__course"),
        pk=paper_id,
        user=request.user,
        quiz__course__live=True,
    )


@login_required
@never_cache
@require_GET
def paper_view(request: HttpRequest, paper_id: int) -> HttpResponse:
    """The questions of a paper saved for offline, as an attempt shows them."""
    paper = _own_paper(request, paper_id)
    if paper.attempt_id is not None:
        return redirect("courses:quiz_attempt", attempt_id=paper.attempt_id)
    quiz = paper.quiz
    # Never saved: it only carries the drawn questions to the page's reads.
    unsaved = QuizAttempt(quiz=quiz, questions=paper.questions, answers={})
    return render(
        request,
        "offline/quiz_paper.html",
        {
            "paper": paper,
            "quiz": quiz,
            "title": quiz_reads.quiz_title(quiz, quiz_reads.localized_course(quiz)),
            "questions": quiz_reads.attempt_questions(unsaved),
            "essay_limit": MAX_ESSAY_ANSWER,
        },
    )


@login_required
@require_http_methods(["POST"])
@rate_limit("quiz_submit")
def paper_submit_view(request: HttpRequest, paper_id: int) -> HttpResponse:
    """A paper submitted while online: the attempt is made and graded now."""
    paper = _own_paper(request, paper_id)
    try:
        result = services.submit_paper(
            request.user, paper.pk, dict(request.POST.lists())
        )
    except LearningError as error:
        messages.error(request, error.message)
        return redirect("courses:quiz", quiz_id=paper.quiz_id)
    completed = "?completed=1" if result["course_completed"] else ""
    return redirect(result["result_url"] + completed)


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("offline_sync")
def sync_view(request: HttpRequest) -> HttpResponse:
    """GET: who is signed in and a fresh CSRF token (the queue may be older than
    the session). POST: apply the queued actions, each once."""
    refused = _json_login_required(request)
    if refused:
        return refused
    if request.method == "GET":
        return JsonResponse({"user": request.user.pk, "csrf": get_token(request)})
    try:
        document = parse_json(request.body, SYNC_LIMITS)
    except JsonRefused as error:
        return JsonResponse({"error": str(error.message)}, status=error.status)
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list) or len(items) > MAX_ITEMS_PER_SYNC:
        return JsonResponse({"error": str(services.NOT_VALID)}, status=400)
    results = [services.apply_queued_action(request.user, item) for item in items]
    return JsonResponse(
        {
            "results": [
                {"id": r.client_id, "status": r.status, **r.result} for r in results
            ]
        }
    )


def _worker_source() -> str:
    path = finders.find("offline/js/service-worker.js")
    if not isinstance(path, str):  # pragma: no cover - the file ships with the app
        raise Http404
    with open(path, encoding="utf-8") as source:
        return source.read()


@require_GET
def service_worker_view(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so its scope covers every
    language's learner pages (``/…`` and ``/ur/…``) without a
    ``Service-Worker-Allowed`` header. Its settings come first: the static
    addresses (hashed in production) it keeps for the offline shell."""
    shell = [
        static("offline/js/offline-queue.js"),
        static("offline/js/offline.js"),
        static("css/site.css"),
    ]
    for language in ("en", "ur"):
        stylesheet = script_stylesheet(language)
        if stylesheet:
            shell.append(static(stylesheet))
    offline_pages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            offline_pages[code] = reverse("offline:page")
    settings_line = json.dumps(
        {"shell": shell, "offlinePages": offline_pages, "queueScript": shell[0]}
    )
    source = f"self.OFFLINE_SETTINGS = {settings_line};\n{_worker_source()}"
    # A new version whenever the worker or a shell file changes (in development
    # static names carry no hash), so the shell cache is refreshed.
    digest = hashlib.sha256(source.encode())
    for name in (
        "offline/js/offline-queue.js",
        "offline/js/offline.js",
        "css/site.css",
    ):
        found = finders.find(name)
        if isinstance(found, str):
            with open(found, "rb") as shell_file:
                digest.update(shell_file.read())
    version = digest.hexdigest()[:12]
    source = source.replace("__VERSION__", version)
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker at most daily; no-cache makes every check
    # reach the server, so a fixed worker reaches phones at once.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_manifest_view(request: HttpRequest) -> HttpResponse:
    """The installable app's manifest in the language of its address."""
    manifest = {
        "name": _("Alliance Learning"),
        "short_name": _("Alliance"),
        "description": _(
            "Courses and verifiable certificates for the teachers and lecturers "
            "of the Alliance Forums."
        ),
        "lang": get_language(),
        "dir": "rtl" if get_language() == "ur" else "ltr",
        "start_url": reverse("courses:dashboard"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d3b",
        "icons": [
            {
                "src": static(f"offline/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def offline_page_view(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows for an address not saved on the phone.
    It reads no session, so it is the same for everyone and may be cached."""
    return render(request, "offline/offline_page.html")
