"""What axe-core cannot check: where focus goes, what is announced, the keyboard
order, and Nastaliq text that must not run into what stands above it."""

from __future__ import annotations

import pytest

from content.services import import_h5p_package
from content.tests import h5p_builders

# A fixture shared with the content app's tests (imported so pytest finds it).
from content.tests.conftest import lesson_with_activity  # noqa: F401
from courses import services
from courses.models import CoursePage, Quiz, QuizAttempt

from .conftest import PHONE, log_in
from .test_quiz import answer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "green-mango-tree-42"
# A phone of 360 CSS pixels at 200% zoom lays pages out 180 pixels wide.
ZOOMED = {"width": 180, "height": 320}

# How far a heading's ink climbs above its line box, compared with what stands
# above the heading: Nastaliq ink reaches far past the font's ascent, so the
# canvas measures the ink of the heading's own text in its own font.
INK_CLEARANCE = """() => {
    const heading = document.querySelector("main h1");
    const range = document.createRange();
    range.selectNodeContents(heading);
    const style = getComputedStyle(heading);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontSize} ${style.fontFamily}`;
    const ink = context.measureText(heading.textContent.trim());
    const inkTop = range.getBoundingClientRect().top
        + ink.fontBoundingBoxAscent - ink.actualBoundingBoxAscent;
    const header = document.querySelector(".site-header").getBoundingClientRect();
    return inkTop - header.bottom;
}"""


def _urdu_quiz_attempt(page, make_learner):
    learner = make_learner(email="quiz@example.org", password=PASSWORD)
    quiz = Quiz.objects.get()
    course = CoursePage.objects.get(
        locale__language_code="ur", translation_key=quiz.course.translation_key
    )
    services.enrol(learner, course)
    log_in(page, "quiz@example.org", PASSWORD, "/ur")
    page.goto(course.url)
    page.click(".quiz-card form[action$='/start/'] button")
    page.wait_for_url("**/ur/learning/attempts/*/")
    return QuizAttempt.objects.get(user=learner)


@pytest.mark.parametrize(
    "viewport,root_font_size",
    [(PHONE, "100%"), (ZOOMED, "100%"), (PHONE, "200%")],
    ids=["360px", "200%-zoom", "large-system-font"],
)
def test_urdu_heading_ink_clears_the_header_and_nothing_is_wider_than_the_phone(
    browser, live_server, demo_site, make_learner, viewport, root_font_size
):
    make_learner(email="reader@example.org", password=PASSWORD)
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    log_in(page, "reader@example.org", PASSWORD, "/ur")
    page.wait_for_load_state()
    for path in ["/ur/learning/", "/ur/learning/certificates/", "/ur/courses/"]:
        page.goto(path)
        # Android's large text scales the root font; the pages size in rem.
        page.evaluate(
            "size => document.documentElement.style.fontSize = size", root_font_size
        )
        page.evaluate("document.fonts.ready.then(() => true)")
        assert page.evaluate("document.fonts.check('16px \"Noto Nastaliq Urdu\"')")
        assert page.evaluate(INK_CLEARANCE) >= 4, path
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        ), path
    context.close()


def test_focus_moves_to_the_list_of_errors_when_a_form_comes_back(page, db):
    page.goto("/ur/accounts/login/")
    page.fill("#id_username", "nobody@example.org")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_attribute("#error-summary", "role") == "alert"


def test_answers_saving_is_announced_and_focus_moves_to_the_result(
    page, demo_site, make_learner
):
    attempt = _urdu_quiz_attempt(page, make_learner)
    status = page.locator("#quiz-save-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    answer(page, attempt, right=True)
    page.wait_for_function(
        "() => document.getElementById('quiz-save-status').textContent.length > 0"
    )
    page.click("#quiz-submit")
    page.wait_for_url("**/result/**")
    assert page.evaluate("document.activeElement.id") == "quiz-result"
    assert "100%" in page.evaluate("document.activeElement.textContent")


def test_a_learners_progress_bar_is_labelled_with_its_value(
    page, demo_site, make_learner
):
    learner = make_learner(email="progress@example.org", password=PASSWORD)
    course = CoursePage.objects.get(
        locale__language_code="ur",
        translation_key=Quiz.objects.get().course.translation_key,
    )
    services.enrol(learner, course)
    services.record_lesson_complete(learner, course.lessons().first().pk)
    log_in(page, "progress@example.org", PASSWORD, "/ur")
    page.wait_for_load_state()
    page.goto("/ur/learning/")
    bar = page.locator("progress.progress").first
    assert bar.get_attribute("aria-label")
    assert int(bar.get_attribute("value")) > 0


def test_the_h5p_frame_has_a_title(page, make_learner, lesson_with_activity):  # noqa: F811
    activity = import_h5p_package(h5p_builders.build_activity_package())
    course, lesson = lesson_with_activity(activity, "completed")
    learner = make_learner(email="player@example.org", password=PASSWORD)
    services.enrol(learner, course)
    log_in(page, "player@example.org", PASSWORD)
    page.goto(lesson.url)
    title = page.get_attribute("iframe[data-h5p-player]", "title")
    assert title and title == activity.title


def test_the_copy_button_announces_that_the_link_was_copied(
    browser, live_server, demo_site
):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    log_in(page, "learner@example.org", "alliance-demo-2026", "/ur")
    page.goto("/ur/learning/certificates/")
    page.locator(".copy-button").first.click()
    status = page.locator(".copy-row .copy-status[role=status]").first
    page.wait_for_function(
        "() => document.querySelector('.copy-status').textContent.length > 0"
    )
    assert status.inner_text() == page.locator(".copy-button").first.inner_text()
    context.close()


def test_keyboard_order_runs_right_to_left_in_urdu_with_a_visible_focus(page, db):
    page.goto("/ur/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    stops = []
    for _ in range(6):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                """() => {
                    const element = document.activeElement;
                    const box = element.getBoundingClientRect();
                    const style = getComputedStyle(element);
                    return {
                        text: element.textContent.trim(),
                        right: box.right, top: box.top, bottom: box.bottom,
                        outline: style.outlineStyle, colour: style.outlineColor,
                        header: !!element.closest(".site-header"),
                    };
                }"""
            )
        )
    header = [stop for stop in stops if stop["header"]]
    assert len(header) >= 4
    for stop in header:
        assert stop["outline"] != "none"
        assert stop["colour"] == "rgb(255, 255, 255)"  # white on the green band
    # Each row of the header is visited from right to left, rows top to bottom.
    for earlier, later in zip(header, header[1:], strict=False):
        same_row = earlier["top"] < later["bottom"] and later["top"] < earlier["bottom"]
        if same_row:
            assert earlier["right"] > later["right"], (earlier, later)
        else:
            assert later["top"] >= earlier["bottom"] - 1, (earlier, later)


def test_reduced_motion_switches_transitions_off(browser, live_server, db):
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto("/ur/")
    duration = page.evaluate(
        "getComputedStyle(document.querySelector('.button')).transitionDuration"
    )
    assert float(duration.removesuffix("s")) < 0.001
    context.close()


def test_names_are_marked_with_their_language_on_pages_of_the_other(page, make_learner):
    make_learner(email="names@example.org", password=PASSWORD)
    log_in(page, "names@example.org", PASSWORD, "/ur")
    page.wait_for_load_state()
    page.goto("/ur/accounts/profile/")
    english = page.locator("#id_certificate_name_en")
    assert (english.get_attribute("lang"), english.get_attribute("dir")) == (
        "en",
        "ltr",
    )
    urdu = page.locator("#id_certificate_name_ur")
    assert (urdu.get_attribute("lang"), urdu.get_attribute("dir")) == ("ur", "rtl")
    # Addresses are typed left to right on a right-to-left page.
    page.context.clear_cookies()
    page.goto("/ur/accounts/login/")
    assert page.evaluate(
        "getComputedStyle(document.getElementById('id_username')).direction"
    ) == ("ltr")
