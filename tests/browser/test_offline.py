"""A learner saves a course in Urdu, learns with no connection, and the phone
sends what she did when the connection returns, each action once."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from certificates.models import Certificate
from courses import services
from courses.models import CoursePage, Enrolment, LessonProgress, Quiz, QuizAttempt
from lms.accounts.models import User
from offline.models import OfflineAction, OfflineQuizPaper

from .conftest import PHONE, log_in
from .driver import expect
from .test_quiz import answer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SHOTS = Path("/tmp/shots-offline2")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _urdu(text: str) -> str:
    with translation.override("ur"):
        return gettext(text)


def test_learner_saves_a_course_in_urdu_learns_offline_and_syncs_once(
    browser, live_server, demo_site, make_learner
):
    learner = make_learner(email="offline@example.org", password="green-mango-tree-42")
    quiz = Quiz.objects.get()
    course = CoursePage.objects.get(
        locale__language_code="ur", translation_key=quiz.course.translation_key
    )
    services.enrol(learner, course)
    lessons = list(course.lessons())
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, "offline@example.org", "green-mango-tree-42", "/ur")

    # Save for offline: the size is shown before anything is downloaded.
    page.goto(course.url)
    page.click("#offline-save button")
    page.wait_for_selector(f"#offline-save button:has-text('{_urdu('Download')}')")
    assert "KB" in page.inner_text("#offline-save") or "کے بی" in page.inner_text(
        "#offline-save"
    )
    _shot(page, "save-offer-ur")
    page.click(f"#offline-save button:has-text('{_urdu('Download')}')")
    page.wait_for_selector(f"#offline-save h2:has-text('{_urdu('Saved for offline')}')")
    page.wait_for_selector(".outline .offline-saved")
    assert page.locator(".outline .offline-saved").count() == len(lessons)
    _shot(page, "saved-ur")
    # Saving kept a paper of the untimed quiz's questions: no attempt is used.
    paper = OfflineQuizPaper.objects.get(user=learner)
    assert not QuizAttempt.objects.filter(user=learner).exists()
    # New navigations go through the active worker.
    assert page.evaluate("() => navigator.serviceWorker.ready.then(r => !!r.active)")

    context.set_offline(True)
    page.goto(lessons[0].url)
    for lesson in lessons[1:]:
        page.click(f"button:has-text('{_urdu('Mark complete and continue')}')")
        page.wait_for_url(f"**{lesson.url}")
    page.click(f"button:has-text('{_urdu('Mark complete and finish')}')")
    page.wait_for_url(f"**{course.url}")
    assert not LessonProgress.objects.filter(user=learner).exists()

    page.goto(f"/ur/learning/quizzes/{quiz.pk}/")
    answer(page, paper, right=True)
    _shot(page, "quiz-paper-ur")
    page.click("#quiz-submit")
    page.wait_for_selector(f"text={_urdu('Waiting to send: %(what)s').split('%')[0]}")
    _shot(page, "quiz-queued-ur")
    assert not QuizAttempt.objects.filter(user=learner).exists()

    # A page that was not saved: our offline page, listing what is saved.
    page.goto("/ur/courses/")
    assert page.inner_text("h1") == _urdu("You are offline")
    page.wait_for_selector(f"#offline-saved a:has-text('{course.title}')")
    _shot(page, "offline-page-ur")

    # Close the page; open the saved course later, and the connection returns.
    page.close()
    page = context.new_page()
    page.goto(course.url)
    waiting = page.locator(".offline-status .offline-waiting")
    expect(waiting).to_have_count(len(lessons) + 1)
    _shot(page, "waiting-ur")
    context.set_offline(False)
    page.wait_for_selector(".offline-status .offline-sent")
    page.wait_for_function(
        "() => !document.querySelector('.offline-status .offline-waiting')"
    )
    # The page reloads with the server's state once the queue is in.
    expect(page.locator(".outline .status-done")).to_have_count(len(lessons))
    _shot(page, "sent-ur")
    assert LessonProgress.objects.filter(user=learner).count() == len(lessons)
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.submitted_at is not None and attempt.passed
    assert attempt.questions == paper.questions
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert Enrolment.objects.get(user=learner).is_complete
    assert Certificate.objects.filter(user=learner).count() == 1
    assert OfflineAction.objects.filter(user=learner).count() == len(lessons) + 1
    assert "٪" in page.inner_text(".offline-status") or "%" in page.inner_text(
        ".offline-status"
    )

    # The same queue replayed twice records nothing twice.
    for _replay in range(2):
        statuses = page.evaluate(
            """async () => {
                const items = await OfflineQueue.all("queue");
                for (const item of items) {
                    item.state = "waiting";
                    await OfflineQueue.put("queue", item);
                }
                await OfflineQueue.send();
                return (await OfflineQueue.all("queue")).map(i => i.result.status);
            }"""
        )
        assert statuses == ["duplicate"] * (len(lessons) + 1)
    assert LessonProgress.objects.filter(user=learner).count() == len(lessons)
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert Certificate.objects.filter(user=learner).count() == 1
    assert OfflineAction.objects.filter(user=learner).count() == len(lessons) + 1

    page.goto("/ur/learning/")
    assert page.locator(".completed-course").count() == 1
    context.close()


# The browser's account of the connection (Chromium on Linux tells no type).
CONNECTION = """Object.defineProperty(Navigator.prototype, "connection", {
    configurable: true, get: () => (%s)});"""
CELLULAR = "{type: 'cellular', effectiveType: '4g', saveData: false}"
WIFI = "{type: 'wifi', effectiveType: '4g', saveData: false}"


def _saved_copy(page, url: str) -> str:
    return page.evaluate(
        "url => caches.match(url, {ignoreVary: true}).then(r => r ? r.text() : '')",
        url,
    )


def _revise(lesson, title: str) -> None:
    lesson = lesson.specific
    lesson.title = title
    lesson.save_revision().publish()


def _save_course(page, course) -> None:
    page.goto(course.url)
    page.click("#offline-save button")
    page.click("#offline-save button:has-text('Download')")
    page.wait_for_selector("#offline-save h2:has-text('Saved for offline')")


@pytest.mark.parametrize("connection", [CELLULAR, WIFI], ids=["cellular", "wifi"])
def test_a_changed_lesson_is_refreshed_on_request_or_by_itself_on_wifi(
    browser, live_server, demo_site, make_learner, connection
):
    make_learner(email="update@example.org", password="green-mango-tree-42")
    quiz = Quiz.objects.get()
    course = CoursePage.objects.get(
        locale__language_code="en", translation_key=quiz.course.translation_key
    )
    services.enrol(User.objects.get(email="update@example.org"), course)
    first, second = list(course.lessons())[:2]
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    context.add_init_script(CONNECTION % connection)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, "update@example.org", "green-mango-tree-42")
    _save_course(page, course)
    assert first.title in _saved_copy(page, first.url)

    _revise(first, "Revised on the server")
    page.reload()
    if connection == CELLULAR:
        # On mobile data the learner is asked; nothing is fetched before.
        page.wait_for_selector("#offline-save .offline-update")
        assert "Revised on the server" not in _saved_copy(page, first.url)
        _shot(page, "update-available-en")
        page.click("#offline-save button:has-text('Update')")
    page.wait_for_selector("text=Updated: the saved lessons on this phone")
    _shot(page, f"updated-{'asked' if connection == CELLULAR else 'wifi'}-en")
    assert "Revised on the server" in _saved_copy(page, first.url)

    context.set_offline(True)
    page.goto(first.url)
    assert page.inner_text("h1") == "Revised on the server"
    context.set_offline(False)
    page.goto(course.url)
    page.wait_for_selector("#offline-save h2:has-text('Saved for offline')")
    page.wait_for_load_state("networkidle")
    assert page.locator("#offline-save .offline-update").count() == 0

    if connection == WIFI:
        # On Wi-Fi any learner page refreshes the saved courses (at most
        # hourly each; the test makes the last check old).
        _revise(second, "Also revised")
        page.evaluate(
            """async () => {
                for (const course of await OfflineQueue.all("courses")) {
                    course.checkedAt = 0;
                    await OfflineQueue.put("courses", course);
                }
            }"""
        )
        page.goto("/learning/")
        page.wait_for_function(
            """url => caches.match(url, {ignoreVary: true})
                .then(r => r && r.text())
                .then(t => !!t && t.includes("Also revised"))""",
            arg=second.url,
        )
    context.close()
