"""An activity that does not start, in a real browser at 360x640: the learner
reads why instead of an empty frame (English and Urdu), and the failure is
recorded for the trainers."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from content.models import H5PStartFailure
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
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_an_activity_that_throws_shows_its_message_and_is_recorded(
    page,
    make_learner,
    lesson_with_activity,  # noqa: F811
):
    from courses.services import enrol

    activity = import_h5p_package(builders.build_behaviour_package("fails-to-start"))
    course, lesson = lesson_with_activity(activity, "completed")
    learner = make_learner(email="stuck@example.org", password=PASSWORD)
    enrol(learner, course)
    log_in(page, "stuck@example.org", PASSWORD)
    with page.expect_response(lambda answer: "/failures/" in answer.url) as report:
        page.goto(lesson.url)
    assert report.value.status == 200

    failure = page.locator("[data-h5p-failure]")
    failure.wait_for()
    assert "could not start on your device" in failure.inner_text()
    assert "Your trainer has been told" in failure.inner_text()
    assert page.locator("iframe[data-h5p-player]").is_hidden()
    failure.scroll_into_view_if_needed()
    screenshot(page, "h5p-start-failure-en")
    # The package's own error text is for the trainer, not the learner.
    assert "The activity could not start." not in page.inner_text("main")
    recorded = H5PStartFailure.objects.get()
    assert (recorded.activity, recorded.user) == (activity, learner)
    assert recorded.reason == "script-error"
    assert "could not start" in recorded.message


def test_an_activity_whose_scripts_never_run_times_out_with_its_message_in_urdu(
    page,
    lesson_with_activity,  # noqa: F811
    monkeypatch,
    settings,
):
    from content import views
    from courses import authoring

    settings.H5P_START_TIMEOUT_SECONDS = 2
    # As if the player's scripts never arrived: nothing runs in the frame.
    monkeypatch.setattr(
        views,
        "player_csp",
        lambda request, token, *media: "sandbox allow-scripts; script-src 'none'",
    )
    activity = import_h5p_package(builders.build_urdu_activity_package())
    _course, lesson = lesson_with_activity(activity, "none", open_lessons=True)
    urdu_lesson = authoring.translate_page(lesson, "ur")
    page.goto(urdu_lesson.url)

    failure = page.locator("[data-h5p-failure]")
    failure.wait_for()
    assert "یہ سرگرمی" in failure.inner_text()
    assert page.locator("iframe[data-h5p-player]").is_hidden()
    failure.scroll_into_view_if_needed()
    screenshot(page, "h5p-start-failure-ur")
    # Nobody is signed in: nothing to record.
    assert not H5PStartFailure.objects.exists()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_a_playing_activity_is_not_taken_for_a_failure(
    page,
    lesson_with_activity,  # noqa: F811
    settings,
    language,
):
    from courses import authoring

    settings.H5P_START_TIMEOUT_SECONDS = 2
    activity = import_h5p_package(builders.build_activity_package(language))
    _course, lesson = lesson_with_activity(activity, "none", open_lessons=True)
    if language != "en":
        lesson = authoring.translate_page(lesson, language)
    page.goto(lesson.url)

    frame = page.frame_locator("iframe[data-h5p-player]")
    frame.locator(".h5p-alliance-test-activity-complete").wait_for()
    page.wait_for_selector("iframe[data-h5p-started='true']", state="attached")
    page.wait_for_timeout(2500)  # past the start timeout: still playing
    assert page.locator("[data-h5p-failure]").is_hidden()
    assert page.locator("iframe[data-h5p-player]").is_visible()
    page.locator("iframe[data-h5p-player]").scroll_into_view_if_needed()
    screenshot(page, f"h5p-playing-{language}")
