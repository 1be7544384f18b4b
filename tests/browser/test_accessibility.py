"""axe-core's WCAG 2.2 A and AA rules over every page we render ourselves, in
English, Urdu and Sindhi, on a phone (360x640) and on a desktop (1280x800).

The list of pages is ``PAGES`` (one line a page) and ``NOT_AUDITED`` (one line,
with the reason, for each address that serves no page of ours). A test walks the
project's URL patterns and Wagtail's page types: a new page that joins neither
list fails it, so new pages join the audit.

axe-core comes from npm (package.json) and is injected into the page under test
only: it is no static file of the site.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser]

AXE = settings.NODE_MODULES / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Rules switched off, each with the reason it does not apply. (None so far.)
RULES_OFF: dict[str, str] = {}
LANGUAGES = ["en", "ur", "sd"]
PASSWORD = "green-mango-tree-42"


@dataclass
class World:
    """What the audited pages show, built once per language through the services."""

    language: str
    learner: Any
    pages: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)

    def url(self, key: str) -> str:
        return self.pages[key].url

    def check_in(self, windows_ago: int = 0) -> str:
        """The check-in session's code as its screen shows it now (or as it
        showed it ``windows_ago`` windows back)."""
        from events.attendance import codes

        window = codes.current_window() + windows_ago
        return codes.rotating_token(self.ids["session"], window)

    def reverse(self, name: str, *args: Any) -> str:
        with translation.override(self.language):
            return reverse(name, args=args)


@dataclass(frozen=True)
class Audit:
    """One page to audit: the URL pattern (or page type, or error) it stands
    for, and how to reach it."""

    name: str
    path: Callable[[World], str]
    signed_in: bool = True
    note: str = ""


def _page(key: str) -> Callable[[World], str]:
    return lambda world: world.url(key)


def _named(name: str, *keys: str, query: str = "") -> Callable[[World], str]:
    return lambda world: world.reverse(name, *(world.ids[k] for k in keys)) + query


# Every page we serve, one line each. Pages of ours that need a signed-in
# learner come after the public ones (the audit logs in between).
PAGES = [
    Audit("page:home.HomePage", _page("home"), signed_in=False),
    Audit("page:courses.ProgrammePage", _page("programme"), signed_in=False),
    Audit("page:courses.CoursePage", _page("course"), signed_in=False),
    Audit("courses:catalogue", _named("courses:catalogue"), signed_in=False),
    Audit(
        "courses:catalogue",
        _named("courses:catalogue", query="?q=zzzz"),
        signed_in=False,
        note="no results",
    ),
    Audit("accessibility_statement", _named("accessibility_statement"), False),
    Audit("accounts:login", _named("accounts:login"), signed_in=False),
    Audit("accounts:register", _named("accounts:register"), signed_in=False),
    Audit("accounts:password_reset", _named("accounts:password_reset"), False),
    Audit(
        "accounts:password_reset_done", _named("accounts:password_reset_done"), False
    ),
    Audit(
        "accounts:password_reset_confirm",
        _named("accounts:password_reset_confirm", "uid", "token"),
        signed_in=False,
        note="the new-password form",
    ),
    Audit(
        "accounts:password_reset_confirm",
        _named("accounts:password_reset_confirm", "uid", "bad_token"),
        signed_in=False,
        note="an expired link",
    ),
    Audit(
        "accounts:password_reset_complete",
        _named("accounts:password_reset_complete"),
        signed_in=False,
    ),
    Audit("certificates:verify_start", _named("certificates:verify_start"), False),
    Audit("certificates:offline_check", _named("certificates:offline_check"), False),
    Audit("certificates:verify", _named("certificates:verify", "code"), False),
    Audit(
        "certificates:verify",
        _named("certificates:verify", "revoked_code"),
        signed_in=False,
        note="revoked",
    ),
    Audit(
        "certificates:verify",
        _named("certificates:verify", "unknown_code"),
        signed_in=False,
        note="not found (404)",
    ),
    Audit("offline:page", _named("offline:page"), signed_in=False),
    Audit(
        "certificates:shared_record",
        _named("certificates:shared_record", "record_token"),
        signed_in=False,
    ),
    Audit(
        "cohorts:unsubscribe",
        _named("cohorts:unsubscribe", "unsubscribe_token"),
        signed_in=False,
    ),
    Audit(
        "awards:recognition",
        _named("awards:recognition", "award_id"),
        signed_in=False,
        note="a public award page (the teacher consented)",
    ),
    Audit("events:list", _named("events:list"), signed_in=False),
    Audit(
        "events:list",
        _named("events:list", query="?district=999999"),
        signed_in=False,
        note="no results",
    ),
    Audit("events:detail", _named("events:detail", "event_slug"), False),
    Audit("error:404", lambda w: w.reverse("courses:catalogue") + "no-such/", False),
    Audit("error:500", lambda w: "/__audit__/500/", signed_in=False),
    Audit("error:429", lambda w: "/__audit__/429/", signed_in=False),
    Audit("error:403-csrf", lambda w: "/__audit__/403-csrf/", signed_in=False),
    Audit("error:403", lambda w: "/__audit__/403/", signed_in=False),
    Audit("error:400", lambda w: "/__audit__/400/", signed_in=False),
    Audit("page:courses.LessonPage", _page("lesson_with_image"), note="an image"),
    Audit(
        "page:courses.LessonPage",
        _page("lesson_with_media"),
        note="video, quiz, H5P, callout and document blocks",
    ),
    Audit("content:player", lambda w: w.ids["player_path"], note="the H5P player"),
    Audit("courses:dashboard", _named("courses:dashboard")),
    Audit("courses:quiz", _named("courses:quiz", "quiz")),
    Audit("courses:quiz_attempt", _named("courses:quiz_attempt", "open_attempt")),
    Audit("offline:paper", _named("offline:paper", "paper")),
    Audit("courses:quiz_result", _named("courses:quiz_result", "done_attempt")),
    Audit(
        "courses:complete_lesson",
        lambda w: "/__audit__/not-available/",
        note="its refusal page (courses/not_available.html)",
    ),
    Audit("certificates:mine", _named("certificates:mine")),
    Audit("certificates:my_record", _named("certificates:my_record")),
    Audit("cohorts:join", _named("cohorts:join")),
    Audit(
        "cohorts:join_with_code",
        _named("cohorts:join_with_code", "join_code"),
        note="a code in the link",
    ),
    Audit(
        "attendance:check_in",
        lambda w: w.reverse("attendance:check_in", w.ids["session"], w.check_in()),
        note="confirm a check-in",
    ),
    Audit(
        "attendance:check_in",
        lambda w: w.reverse("attendance:check_in", w.ids["session"], w.check_in(-3)),
        note="an expired code",
    ),
    Audit("attendance:join", _named("attendance:join", "join_token")),
    Audit(
        "attendance:session_code", _named("attendance:session_code", "online_session")
    ),
    Audit(
        "events:detail",
        _named("events:detail", "event_slug"),
        note="registered: the calendar link and the cancel button",
    ),
    Audit("accounts:profile", _named("accounts:profile")),
    Audit("accounts:password_change", _named("accounts:password_change")),
    Audit("accounts:logout", lambda w: "/__audit__/logged-out/", note="after log-out"),
]

# Addresses that serve no HTML page of ours, each with the reason.
NOT_AUDITED = {
    "healthz": "plain text for the load balancer",
    "set_language": "POST only; redirects back",
    "certificate_keys": "JSON",
    "wagtaildocs_serve": "document downloads",
    "wagtaildocs_authenticate_with_password": "Wagtail's own form; documents "
    "have no password restrictions here",
    "wagtailcore_authenticate_with_password": "Wagtail's own form; pages have "
    "no password restrictions here",
    "wagtailcore_login": "redirects to accounts:login",
    "content:activity_file": "an H5P activity's files, inside the player",
    "content:library_root": "no listing: an empty 404",
    "content:library_file": "H5P library files, inside the player",
    "lesson_activities:record_statement": "JSON endpoint",
    "lesson_activities:record_start_failure": "JSON endpoint",
    "certificates:verify_json": "JSON",
    "certificates:my_record_pdf": "the record's PDF (tested in certificates/tests)",
    "certificates:shared_record_pdf": "the record's PDF (tested in certificates)",
    "certificates:verifier_worker": "JavaScript (the checker's service worker)",
    "certificates:verifier_manifest": "JSON (the checker's web app manifest)",
    "certificates:verify_pdf": "the PDF (tested in certificates/tests)",
    "courses:enrol": "POST only; redirects to the first lesson",
    "courses:quiz_start": "POST only; redirects to the attempt",
    "courses:quiz_save": "POST only; JSON or a redirect to the attempt",
    "courses:quiz_submit": "POST only; redirects to the result",
    "development_media": "uploads, served as downloads (DEBUG only)",
    "page:courses.ModulePage": "redirects to its course",
    "certificates:shared_record_json": "JSON (a verifiable presentation)",
    "certificates:verify_credential": "JSON (the Open Badges credential)",
    "did_document": "JSON (the DID document)",
    "did_document_for_path": "JSON (the DID document)",
    "status_list": "JSON (the signed status list)",
    "offline:course_manifest": "JSON",
    "offline:prepare_quiz": "JSON",
    "offline:paper_submit": "POST only; redirects to the result",
    "offline:sync": "POST only; JSON",
    "offline:web_manifest": "JSON (the web app manifest)",
    "service_worker": "JavaScript",
    "awards:credential": "JSON (the award's Open Badges credential)",
    "awards:consent": "POST only; redirects to the CPD record",
    "attendance:screen": "a staff page: axe-audited (phone and laptop, English "
    "and Urdu) in tests/browser/test_event_attendance.py",
    "attendance:staff_sessions": "a staff page: audited in "
    "tests/browser/test_event_attendance.py",
    "attendance:event_certificates": "a staff page: audited in "
    "tests/browser/test_event_attendance.py",
    "attendance:screen_state": "JSON",
    "attendance:staff_record": "POST only; JSON or a redirect to the screen",
    "events:register": "POST only; redirects to the event",
    "events:cancel": "POST only; redirects to the event",
    "events:calendar": "the .ics calendar file",
}


# Staff pages whose content we render ourselves inside Wagtail's admin, audited
# in their main region (Wagtail's own menus and chrome are Wagtail's) at a laptop's
# width, as a programme manager. One line each: (URL name, what fills its ids).
STAFF_PAGES = [
    ("courses_quiz_report", "quiz"),
    ("courses_quiz_import", None),
    ("courses_package_import", None),
    ("certificates_admin:inspect", "certificate"),
    ("certificates_admin:workshop_issue", "workshop"),
    ("issued_awards:issue", None),
    ("issued_awards:inspect", "issued_award"),
    ("wagtailsnippets_content_h5pactivity:add", None),
    ("events_admin:inspect", "event"),
    ("reporting_events", None),
]
LAPTOP = {"width": 1280, "height": 800}


def _url_names(patterns, namespace: str = "", prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from _url_names(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern) and not route.startswith("admin/"):
            yield f"{namespace}{pattern.name}" if pattern.name else route


def served_names() -> set[str]:
    """Every non-admin URL pattern's name, with Wagtail's one page-serving
    pattern replaced by the page types it serves."""
    from wagtail.models import get_page_models

    names = set(_url_names(get_resolver().url_patterns)) - {"wagtail_serve"}
    names |= {
        f"page:{model._meta.app_label}.{model.__name__}"
        for model in get_page_models()
        if model._meta.app_label != "wagtailcore"
    }
    return names


def test_every_page_we_serve_is_audited_or_excluded_with_a_reason(settings):
    settings.DEBUG = False
    audited = {audit.name for audit in PAGES if not audit.name.startswith("error:")}
    missing = served_names() - audited - set(NOT_AUDITED)
    assert not missing, f"Add these to PAGES or NOT_AUDITED: {sorted(missing)}"
    stale = (audited | set(NOT_AUDITED)) - served_names() - {"development_media"}
    assert not stale, f"No longer served: {sorted(stale)}"
    assert all(reason for reason in NOT_AUDITED.values())
    assert not set(NOT_AUDITED) & audited


@dataclass
class Site:
    """The demo site, a lesson with every kind of block, and a revoked
    certificate: built once, through the same services the site uses."""

    quiz: Any
    course: Any
    programme: Any
    media_lesson: Any
    certificate: Any
    revoked: Any


def build_site() -> Site:
    from wagtail.documents.models import Document

    from certificates import services as certificates
    from certificates.models import Certificate
    from content.services import import_h5p_package
    from content.tests import h5p_builders
    from courses import authoring
    from courses.models import ProgrammePage, Quiz
    from lms.accounts.models import User

    call_command("seed_demo", stdout=io.StringIO())
    quiz = Quiz.objects.get()
    programme = ProgrammePage.objects.get(slug="nttp", locale__language_code="en")
    collection = authoring.programme_collection(programme)
    video = Document.objects.create(
        title="Classroom routines video",
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="routines.mp4"),
        collection=collection,
    )
    captions = Document.objects.create(
        title="Classroom routines captions",
        file=ContentFile(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n", name="c.vtt"),
        collection=collection,
    )
    activity = import_h5p_package(
        h5p_builders.build_activity_package(), programme=programme
    )
    media_lesson = authoring.create_lesson(
        quiz.course,
        "Routines in practice",
        "routines-in-practice",
        body=[
            ("text", "<p>Watch the video, then try the activity and the quiz.</p>"),
            (
                "video",
                {
                    "video_file": video,
                    "captions": captions,
                    "captions_language": "ur",
                    "title": "Routines",
                },
            ),
            ("h5p", {"activity": activity, "requirement": "completed"}),
            ("quiz", {"quiz": quiz, "heading": "", "intro": "Check yourself."}),
            ("callout", {"kind": "tip", "text": "<p>Start small.</p>"}),
        ],
    )
    certificate = Certificate.objects.filter(user__email="learner@example.org").first()
    revoked = Certificate.objects.exclude(pk=certificate.pk).first()
    manager = User.objects.get(email="manager@example.org")
    certificates.revoke_certificate(revoked, reason="Issued in error", actor=manager)
    return Site(quiz, quiz.course, programme, media_lesson, certificate, revoked)


def world_for(site: Site, language: str) -> World:
    """A learner of ``language`` with a failed quiz attempt and an open one, and
    the pages in that language."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from wagtail.models import Locale

    from certificates.services.cpd_records import set_cpd_record_sharing
    from cohorts.messages import unsubscribe_token
    from courses import authoring
    from courses import services as learning
    from courses.models import CoursePage
    from courses.quizzes import services as quizzes
    from courses.tests.conftest import right_answers
    from lms.home.models import HomePage
    from offline.models import OfflineQuizPaper

    locale = Locale.objects.get(language_code=language)
    course, media_lesson = site.course, site.media_lesson
    if language != "en":
        course = authoring.translate_page(course, language)
        media_lesson = authoring.translate_page(media_lesson, language)
    learner = _learner(language)
    learning.enrol(learner, course)
    attempt = quizzes.start_attempt(learner, site.quiz, language)
    answers = quizzes.answers_from_form(attempt, _Form(right_answers(attempt, False)))
    quizzes.submit_attempt(learner, attempt.pk, answers)
    open_attempt = quizzes.start_attempt(learner, site.quiz, language)
    paper = OfflineQuizPaper.objects.create(
        user=learner,
        quiz=site.quiz,
        language=language,
        questions=quizzes.draw_questions(learner, site.quiz, language),
        attempts_before=2,
    )

    world = World(language=language, learner=learner)
    world.pages = {
        "home": HomePage.objects.get(locale=locale),
        "programme": site.programme.get_translation(locale),
        "course": course,
        "lesson_with_image": next(
            lesson
            for lesson in CoursePage.objects.get(pk=course.pk).lessons()
            if any(block.block_type == "image" for block in lesson.specific.body)
        ),
        "lesson_with_media": media_lesson,
    }
    world.ids = {
        "quiz": site.quiz.pk,
        "open_attempt": open_attempt.pk,
        "done_attempt": attempt.pk,
        "paper": paper.pk,
        "code": site.certificate.verification_code,
        "revoked_code": site.revoked.verification_code,
        "unknown_code": "ABCD-EFGH-JKLM",
        "uid": urlsafe_base64_encode(force_bytes(learner.pk)),
        "token": default_token_generator.make_token(learner),
        "bad_token": "abc-0123456789abcdef",
        "record_token": set_cpd_record_sharing(learner, shared=True).token,
        "unsubscribe_token": unsubscribe_token(learner),
        "join_code": _cohort_with_code(site, language).join_code,
        "award_id": _consented_award(learner).public_id,
        **_event_sessions(site, learner),
        "event_slug": _registered_for_demo_event(learner),
    }
    return world


def _consented_award(learner):
    from awards import services as awards
    from awards.models import Award
    from lms.accounts.models import User

    issued = awards.issue_award(
        Award.objects.get(year=2026, level="district"),
        learner,
        actor=User.objects.get(email="manager@example.org"),
        citation_en="Started reading corners in every classroom.",
        citation_ur="ہر جماعت میں مطالعے کے گوشے قائم کیے۔",
    ).issued_award
    return awards.set_award_page_consent(learner, issued.public_id, consented=True)


def _event_sessions(site, learner) -> dict[str, Any]:
    """A workshop session and an online one under way, the learner registered
    for both (their personal code then shows on My learning)."""
    import datetime

    from django.utils import timezone

    from events.attendance.codes import join_token
    from events.models import Event, EventSession, Registration

    sessions = {}
    for mode in (EventSession.Mode.IN_PERSON, EventSession.Mode.ONLINE):
        event = Event.objects.create(
            slug=f"audit-{mode}-{learner.pk}",
            title_en="Classroom management workshop",
            title_ur="کلاس روم مینجمنٹ ورکشاپ",
            programme=site.programme,
            capacity=30,
            status=Event.Status.PUBLISHED,
        )
        sessions[mode] = EventSession.objects.create(
            event=event,
            starts_at=timezone.now() - datetime.timedelta(minutes=10),
            ends_at=timezone.now() + datetime.timedelta(hours=3),
            mode=mode,
            venue="Government High School, Lahore",
            online_link="https://meet.example.org/audit",
        )
        Registration.objects.create(
            event=event, learner=learner, status=Registration.Status.REGISTERED
        )
    online = sessions[EventSession.Mode.ONLINE]
    return {
        "session": sessions[EventSession.Mode.IN_PERSON].pk,
        "online_session": online.pk,
        "join_token": join_token(online.pk, learner.pk),
    }


def _registered_for_demo_event(learner) -> str:
    from events import services as events
    from events.demo import DEMO_EVENT_SLUG
    from events.models import Event

    events.register(Event.objects.get(slug=DEMO_EVENT_SLUG), learner)
    return DEMO_EVENT_SLUG


def _cohort_with_code(site, language: str):
    import datetime

    from cohorts.models import Cohort

    return Cohort.objects.create(
        name_en=f"Audit cohort {language}",
        name_ur="آڈٹ گروپ",
        programme=site.programme,
        starts_on=datetime.date(2026, 1, 1),
        deadline_days=42,
        join_code=f"AUDIT{language.upper()}",
    )


def _learner(language: str):
    from lms.accounts import services as accounts
    from lms.accounts.models import District, Province

    return accounts.register_learner(
        f"audit-{language}@example.org",
        PASSWORD,
        accounts.ProfileDetails(
            certificate_name_en="Muhammad Ali Khan",
            certificate_name_ur="محمد علی خان",
            role="teacher",
            sector="public",
            province=Province.objects.get(code="PB"),
            district=District.objects.get(code="PB-LHR"),
            institution="Government High School",
            preferred_language=language,
        ),
    )


class _Form(dict):
    def getlist(self, key):
        return self[key]


def rendered_pages(language: str) -> dict[str, tuple[int, str]]:
    """Pages no address shows on demand (a server error, a refusal), rendered by
    Django here and handed to the browser at made-up addresses of the site."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    with translation.override(language):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        request.LANGUAGE_CODE = language
        return {
            # Django renders the 500, 400 and CSRF pages without a request,
            # the 403 page with one: as here.
            "/__audit__/500/": (500, render_to_string("500.html")),
            "/__audit__/400/": (400, render_to_string("400.html")),
            "/__audit__/403-csrf/": (403, render_to_string("403_csrf.html")),
            "/__audit__/403/": (403, render_to_string("403.html", request=request)),
            "/__audit__/429/": (
                429,
                render_to_string(
                    "request_refused.html",
                    {"title": "Please wait", "message": "Try again in a minute."},
                    request=request,
                ),
            ),
            "/__audit__/not-available/": (
                404,
                render_to_string(
                    "courses/not_available.html",
                    {"message": "This lesson is not available."},
                    request=request,
                ),
            ),
        }


def run_axe(page, include: str | None = None) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": {rule: {"enabled": False} for rule in RULES_OFF},
        "resultTypes": ["violations"],
    }
    return page.evaluate(
        """async ([options, include]) => {
            // Let fades and slides end first: a colour read mid-transition
            // (a message fading in) is not the colour anyone reads.
            const settled = Promise.all(
                document.getAnimations().map(a => a.finished.catch(() => null)));
            await Promise.race([settled, new Promise(r => setTimeout(r, 2000))]);
            const context = include ? {include: [[include]]} : document;
            const results = await axe.run(context, options);
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(
                    n => [n.target.join(" "), n.failureSummary,
                          n.html.slice(0, 300)]),
            }));
        }""",
        [options, include],
    )


def test_the_audit_finds_what_it_looks_for(browser):
    """A page with known faults: the audit is not silently empty."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content("<html><title>x</title><img src='a.png'><a href='#'></a></html>")
    found = {violation["id"] for violation in run_axe(page)}
    context.close()
    assert {"html-has-lang", "image-alt", "link-name"} <= found


@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_wcag_22_aa_in_english_urdu_and_sindhi(
    browser, live_server
):
    """One site, one browser and one tab for all pages, languages and widths."""
    site = build_site()
    # The site's CSP refuses injected scripts, axe-core's too: the browser is
    # told to set it aside for the audit (the CSP has tests of its own).
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    fixed: dict[str, tuple[int, str]] = {}

    def fulfil(route):
        status, body = fixed[route.request.url.removeprefix(live_server.url)]
        route.fulfill(status=status, body=body, content_type="text/html")

    page.route("**/__audit__/**", fulfil)
    failures: dict[str, Any] = {}
    audited = 0
    for language in LANGUAGES:
        world = world_for(site, language)
        fixed.update(rendered_pages(language))
        prefix = "" if language == "en" else f"/{language}"
        signed_in = False
        for audit in PAGES:
            if audit.signed_in and not signed_in:
                log_in(page, world.learner.email, PASSWORD, prefix)
                page.wait_for_url(f"**{world.reverse('courses:dashboard')}")
                world.ids["player_path"] = _player_path(page, world)
                signed_in = True
            if audit.name == "accounts:logout":
                page.goto(world.reverse("courses:dashboard"))
                page.click(".site-nav button[type=submit]")
                page.wait_for_load_state()
            else:
                page.goto(audit.path(world))
            where = f"{language} {audit.name} {audit.note} ({page.url})"
            assert page.evaluate("document.documentElement.lang"), where
            for viewport in (PHONE, DESKTOP):
                page.set_viewport_size(viewport)
                audited += 1
                violations = run_axe(page)
                if violations:
                    failures[f"{where} at {viewport['width']}px"] = violations
            page.set_viewport_size(PHONE)
    context.close()
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)
    assert audited == len(PAGES) * len(LANGUAGES) * 2


def _player_path(page, world: World) -> str:
    page.goto(world.url("lesson_with_media"))
    source = page.get_attribute("iframe[data-h5p-player]", "src")
    return source.removeprefix(
        page.url.split("/", 3)[0] + "//" + page.url.split("/")[2]
    )


@pytest.mark.django_db(transaction=True)
def test_staff_pages_we_render_pass_axe_wcag_22_aa(browser, live_server, demo_site):
    from awards.models import IssuedAward
    from certificates.models import Certificate, Workshop
    from courses.models import Quiz
    from events.demo import DEMO_EVENT_SLUG
    from events.models import Event

    ids = {
        "event": Event.objects.get(slug=DEMO_EVENT_SLUG).pk,
        "quiz": Quiz.objects.get().pk,
        "certificate": Certificate.objects.first().pk,
        "workshop": Workshop.objects.get().pk,
        "issued_award": IssuedAward.objects.first().pk,
    }
    context = browser.new_context(
        viewport=LAPTOP, base_url=live_server.url, bypass_csp=True
    )
    page = context.new_page()
    page.goto(reverse("wagtailadmin_login"))
    page.fill("#id_username", "manager@example.org")
    page.fill("#id_password", "alliance-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    failures = {}
    for name, key in STAFF_PAGES:
        path = reverse(name, args=[ids[key]] if key else [])
        response = page.goto(path)
        assert response.status == 200, path
        violations = run_axe(page, include="main")
        if violations:
            failures[path] = violations
    context.close()
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)
