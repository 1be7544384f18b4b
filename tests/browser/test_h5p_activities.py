"""H5P activities in a real browser: played in a lesson, results recorded, and
hostile package code kept away from the learner's session."""

from __future__ import annotations

import json

import pytest

from content.models import XAPIStatement
from content.player import player_csp
from content.services import import_h5p_package
from content.tests import h5p_builders as builders

# A fixture shared with the content app's tests (imported so pytest finds it).
from content.tests.conftest import lesson_with_activity  # noqa: F401

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "green-mango-tree-42"


def enrolled_learner(make_learner, course, email):
    from courses.services import enrol

    learner = make_learner(email=email, password=PASSWORD)
    enrol(learner, course)
    return learner


def test_learner_completes_the_activity_and_then_the_lesson(
    page,
    make_learner,
    lesson_with_activity,  # noqa: F811
):
    activity = import_h5p_package(builders.build_activity_package())
    course, lesson = lesson_with_activity(activity, "completed")
    learner = enrolled_learner(make_learner, course, "player@example.org")
    log_in(page, "player@example.org", PASSWORD)
    page.goto(lesson.url)

    # Marking the lesson done before the activity is refused, with the reason.
    # Once the activity has started (the frame grows as it draws, so a click
    # by position could land on it instead), press the button from the
    # keyboard; the refusal comes back to the same address, so wait for the
    # navigation itself (waiting for the URL returns at once).
    frame = page.frame_locator("iframe[data-h5p-player]")
    frame.locator(".h5p-alliance-test-activity-complete").wait_for()
    with page.expect_navigation(url=f"**{lesson.url}"):
        page.locator("button:has-text('Mark complete and finish')").press("Enter")
    assert "complete the activity" in page.inner_text(".messages")

    frame.locator(".h5p-alliance-test-activity-complete").click()
    status = frame.locator(".h5p-alliance-test-activity-status")
    assert "Well done" in status.inner_text()
    page.wait_for_selector(".h5p-activity[data-h5p-done='true']")
    assert "mark this lesson complete" in page.inner_text("[data-h5p-status]")

    finish = page.locator("button:has-text('Mark complete and finish')")
    # Scroll first: a click that scrolls the page while focus is still inside
    # the player's (out-of-process) frame can be lost in headless Chromium.
    finish.scroll_into_view_if_needed()
    finish.click()
    page.wait_for_url(f"**{course.url}?completed=1")
    page.goto(lesson.url)
    assert "You have completed this lesson." in page.inner_text("main")

    statement = XAPIStatement.objects.get(verb="completed")
    assert statement.user == learner
    assert statement.activity == activity
    assert (statement.score_raw, statement.score_max, statement.score_scaled) == (
        1.0,
        1.0,
        1.0,
    )
    assert statement.self_reported is True
    assert statement.statement["actor"]["account"]["name"] == str(learner.pk)


def test_the_player_fits_a_phone_and_plays_urdu_right_to_left(
    page,
    make_learner,
    lesson_with_activity,  # noqa: F811
):
    from courses import authoring

    activity = import_h5p_package(builders.build_urdu_activity_package())
    # Open lessons: the Urdu course is a page of its own, with its own enrolment.
    _course, lesson = lesson_with_activity(activity, "none", open_lessons=True)
    urdu_lesson = authoring.translate_page(lesson, "ur")
    page.goto(urdu_lesson.url)
    assert page.get_attribute("html", "dir") == "rtl"

    frame_element = page.wait_for_selector("iframe[data-h5p-player]")
    assert "lang=ur" in frame_element.get_attribute("src")
    frame = page.frame_locator("iframe[data-h5p-player]")
    activity_box = frame.locator(".h5p-alliance-test-activity")
    activity_box.wait_for()
    assert frame.locator("html").get_attribute("dir") == "rtl"
    assert activity_box.get_attribute("dir") == "rtl"
    box = frame_element.bounding_box()
    assert box["width"] <= 360
    assert box["height"] >= 120


@pytest.mark.parametrize("connect_src", ["activity files only", "whole site"])
def test_hostile_package_code_gets_neither_the_cookie_nor_an_authenticated_answer(
    page,
    make_learner,
    lesson_with_activity,  # noqa: F811
    live_server,
    monkeypatch,
    connect_src,
):
    target = f"{live_server.url}/learning/"
    if connect_src == "whole site":
        # Take away the first wall (CSP's connect-src) to test the second: the
        # opaque origin sends no session cookie and may not read the answer.
        from content import views

        def whole_site_policy(request, token, *media_origins):
            policy = player_csp(request, token, *media_origins)
            return policy.replace("connect-src ", f"connect-src {live_server.url} ")

        monkeypatch.setattr(views, "player_csp", whole_site_policy)
    activity = import_h5p_package(builders.build_cookie_probe_package(target))
    course, lesson = lesson_with_activity(activity, "none")
    enrolled_learner(make_learner, course, "probe@example.org")
    log_in(page, "probe@example.org", PASSWORD)
    session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    requests_to_target = []
    page.on(
        "request",
        lambda request: (
            requests_to_target.append(request.all_headers())
            if request.url == target
            else None
        ),
    )

    page.goto(lesson.url)
    frame = page.frame_locator("iframe[data-h5p-player]")
    frame.locator("[data-probe-report='done']").wait_for()
    report = json.loads(frame.locator("[data-probe-report]").inner_text())

    # location.origin names the address; the document's own origin is opaque.
    assert "sandboxed" in report["cookieError"]
    assert report["cookie"] is None and report["cookieError"]
    assert report["parentCookie"] is None and report["parentError"]
    assert report["fetchStatus"] is None and report["fetchBody"] is None
    assert report["fetchError"]
    assert session["value"] not in json.dumps(report)
    assert "probe@example.org" not in json.dumps(report)
    # If the request left the browser at all, it went without the session.
    assert len(requests_to_target) == (1 if connect_src == "whole site" else 0)
    for headers in requests_to_target:
        assert session["value"] not in headers.get("cookie", "")
    # The learner's own page is still signed in: the session was there to steal.
    page.goto("/learning/")
    assert "/accounts/login/" not in page.url
