"""The strict Content-Security-Policy in Chromium: no page reports a violation,
and what the pages do with scripts (copy buttons, quiz autosave, the district
list, the language switcher, the H5P frame's height) still works."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from certificates.models import Certificate
from content.services import import_h5p_package
from content.tests import h5p_builders

# Fixtures shared with the content and courses apps' tests.
from content.tests.conftest import lesson_with_activity  # noqa: F401
from courses import services as learning
from courses.models import QuizAttempt
from courses.quizzes import services as quizzes
from courses.tests.conftest import make_bank, make_quiz  # noqa: F401

from .conftest import PHONE, log_in
from .driver import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "green-mango-tree-42"
# Where to keep the phone screenshots for a person to look at (not committed).
SCREENSHOTS = os.environ.get("SECURITY_SCREENSHOTS", "")

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " " + (event.blockedURI || "inline") + " " +
    (event.sourceFile || "") + ":" + event.lineNumber
  );
});
"""


@pytest.fixture
def watched(browser, live_server):
    """A phone-sized page that records CSP violations from events and console."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15000)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.console_violations = console
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.console_violations


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status < 400, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert violations(page) == [], url


def screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def learner_site(make_learner, make_course, make_quiz):  # noqa: F811
    learner = make_learner(email="csp@example.org", password=PASSWORD)
    finished = make_course(lessons=1, title="Finished course")
    learning.enrol(learner, finished)
    learning.record_lesson_complete(learner, finished.lessons().first().pk)
    course = make_course(lessons=2, title="Course in progress")
    learning.enrol(learner, course)
    learning.record_lesson_complete(learner, course.lessons().first().pk)
    quiz = make_quiz(course, draw=3, max_attempts=3)
    return learner, course, quiz


def test_learner_pages_report_no_violation_and_their_scripts_work(
    watched, learner_site
):
    page = watched
    learner, course, quiz = learner_site
    certificate = Certificate.objects.get(user=learner)

    for url in ("/", reverse("courses:catalogue"), course.url):
        visit(page, url)
    screenshot(page, "course-en-anonymous")
    # The watch sees what the policy refuses (a style attribute in new markup).
    page.evaluate(
        "() => document.body.insertAdjacentHTML('beforeend', "
        "'<p style=\"color: red\">refused</p>')"
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert "style-src" in violations(page)[0]
    page.evaluate("() => { window.__cspViolations = []; }")
    page.console_violations.clear()
    visit(page, reverse("accounts:register"))
    # The district list follows the province (static/js/district-filter.js).
    page.select_option("#id_province", label="Sindh")
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('#id_district optgroup'))"
        ".filter(function (g) { return !g.hidden; }).map(function (g) {"
        " return g.label; })"
    )
    assert shown == ["Sindh"]
    screenshot(page, "register-en")

    visit(page, reverse("accounts:login"))
    log_in(page, "csp@example.org", PASSWORD)
    page.wait_for_url("**/learning/")
    assert violations(page) == []
    screenshot(page, "dashboard-en")
    # The progress bar is drawn from the stylesheet, not an inline style.
    bar = page.locator("progress.progress").first
    assert bar.get_attribute("value") == "50"
    assert bar.bounding_box()["width"] > 200

    # The copy button appears and copies (certificates/js/copy-code.js).
    copy = page.locator(".copy-button").first
    copy.click()
    # The button says so once the clipboard has taken the text (a promise).
    expect(copy).to_have_text(copy.get_attribute("data-copied"))
    copied = page.evaluate("navigator.clipboard.readText()")
    assert certificate.verification_code in copied

    visit(page, reverse("certificates:mine"))
    visit(page, course.lessons().first().url)
    visit(page, reverse("certificates:verify_start"))
    visit(page, reverse("certificates:verify", args=[certificate.verification_code]))

    # The quiz saves answers as the learner goes (courses/js/quiz-autosave.js).
    visit(page, reverse("courses:quiz", args=[quiz.pk]))
    page.click("form[action$='/start/'] button")
    page.wait_for_url("**/learning/attempts/*/")
    assert violations(page) == []
    attempt = QuizAttempt.objects.get(user=learner)
    page.locator("input[type=radio]").first.check()
    # A function, not a string: Playwright would eval a string, which the
    # policy refuses.
    page.wait_for_function(
        "() => document.getElementById('quiz-save-status').textContent.length > 0"
    )
    attempt.refresh_from_db()
    assert len(attempt.answers) == 1
    assert violations(page) == []

    # The language switcher keeps the learner on the same page, in Urdu.
    visit(page, reverse("courses:dashboard"))
    page.click(".language-switcher [lang=ur]")
    page.wait_for_url("**/ur/learning/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("footer a", "href") == "/ur/verify/"
    assert violations(page) == []
    screenshot(page, "dashboard-ur")
    visit(page, "/ur" + reverse("certificates:verify_start"))
    screenshot(page, "verify-start-ur")


def test_a_submitted_quiz_result_reports_no_violation(watched, learner_site):
    page = watched
    learner, _course, quiz = learner_site
    attempt = quizzes.start_attempt(learner, quiz, "en")
    quizzes.submit_attempt(learner, attempt.pk, {})
    log_in(page, "csp@example.org", PASSWORD)
    page.wait_for_url("**/learning/")
    visit(page, reverse("courses:quiz_result", args=[attempt.pk]))


def test_the_h5p_frame_is_resized_under_the_site_policy(
    watched,
    make_learner,
    lesson_with_activity,  # noqa: F811
):
    page = watched
    activity = import_h5p_package(h5p_builders.build_activity_package())
    course, lesson = lesson_with_activity(activity, "completed")
    learning.enrol(make_learner(email="csp@example.org", password=PASSWORD), course)
    log_in(page, "csp@example.org", PASSWORD)
    page.wait_for_url("**/learning/")
    visit(page, lesson.url)
    frame = page.wait_for_selector("iframe[data-h5p-player]")
    page.frame_locator("iframe[data-h5p-player]").locator(
        ".h5p-alliance-test-activity"
    ).wait_for()
    # The lesson script sets the height the player reports (a CSSOM change,
    # which the policy allows, unlike a style attribute in the markup).
    page.wait_for_function(
        "() => document.querySelector('iframe[data-h5p-player]').style.height !== ''"
    )
    box = frame.bounding_box()
    assert box["width"] <= PHONE["width"]
    # The page's policy holds; the player's own sandboxed policy is not ours to
    # judge here, so only the lesson page's violations count.
    assert page.evaluate("window.__cspViolations") == []
    screenshot(page, "lesson-h5p-en")


def test_admin_pages_load_without_violations_under_their_policy(
    watched, django_user_model, home_page
):
    page = watched
    django_user_model.objects.create_superuser(
        email="admin@example.org", password=PASSWORD
    )
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto("/admin/login/")
    page.fill("#id_username", "admin@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    for url in (
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home_page.pk}/edit/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    assert violations(page) == []
