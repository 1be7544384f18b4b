"""What common hub content types need from the player, in a real browser at
360x640: templates compiled at run time, their own library files read, sounds
played and library images read back from a canvas, all inside the sandbox."""

from __future__ import annotations

import pytest

from content.services import import_h5p_package
from content.tests import h5p_builders as builders

# A fixture shared with the content app's tests (imported so pytest finds it).
from content.tests.conftest import lesson_with_activity  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def open_activity(page, lesson_with_activity, behaviour):  # noqa: F811
    activity = import_h5p_package(builders.build_behaviour_package(behaviour))
    _course, lesson = lesson_with_activity(activity, "none", open_lessons=True)
    page.goto(lesson.url)
    return page.frame_locator("iframe[data-h5p-player]")


def outcome(frame) -> dict[str, str | None]:
    box = frame.locator(".h5p-alliance-behaviour")
    box.locator(
        "xpath=self::*[@data-alliance-played or @data-alliance-failed]"
    ).wait_for(state="attached")
    return {
        "played": box.get_attribute("data-alliance-played"),
        "failed": box.get_attribute("data-alliance-failed"),
    }


def test_a_content_type_that_compiles_templates_plays(page, lesson_with_activity):  # noqa: F811
    frame = open_activity(page, lesson_with_activity, "evaluates-template")

    assert outcome(frame) == {"played": "template rendered", "failed": None}


def test_a_content_type_that_reads_its_own_library_json_plays(
    page,
    lesson_with_activity,  # noqa: F811
):
    frame = open_activity(page, lesson_with_activity, "reads-library-json")

    assert outcome(frame) == {
        "played": builders.behaviour_machine_name("reads-library-json"),
        "failed": None,
    }


def test_a_content_type_plays_its_librarys_sound(page, lesson_with_activity):  # noqa: F811
    frame = open_activity(page, lesson_with_activity, "plays-sound")
    frame.locator(".h5p-alliance-behaviour-play").click()

    assert outcome(frame) == {"played": "sound playing", "failed": None}


def test_a_content_type_reads_back_a_library_image_from_a_canvas(
    page,
    lesson_with_activity,  # noqa: F811
):
    frame = open_activity(page, lesson_with_activity, "reads-canvas")

    red, green, blue = builders.MARKER_RGB
    assert outcome(frame) == {"played": f"rgb({red},{green},{blue})", "failed": None}
