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
    pytest.mark.django_db(transaction=True),
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


def test_a_content_type_loads_a_content_image_as_a_webgl_texture(
    page,
    lesson_with_activity,  # noqa: F811
):
    # As Virtual Tour's 360 scenes: WebGL refuses an image the frame's opaque
    # origin may not read, so the panorama would stay black.
    activity = import_h5p_package(
        builders.build_behaviour_package(
            "loads-webgl-texture",
            content={"scene": {"path": "images/scene.png", "mime": "image/png"}},
            content_files={"images/scene.png": builders.png_bytes()},
        )
    )
    _course, lesson = lesson_with_activity(activity, "none", open_lessons=True)
    page.goto(lesson.url)

    red, green, blue = builders.MARKER_RGB
    assert outcome(page.frame_locator("iframe[data-h5p-player]")) == {
        "played": f"rgb({red},{green},{blue})",
        "failed": None,
    }


def test_a_content_type_that_parses_html_as_jquery_does_keeps_its_base_address(
    page,
    lesson_with_activity,  # noqa: F811
):
    frame = open_activity(page, lesson_with_activity, "parses-html")

    assert outcome(frame) == {"played": "base kept", "failed": None}


def test_the_player_reads_a_librarys_files_under_its_full_version(
    page,
    lesson_with_activity,  # noqa: F811
):
    frame = open_activity(page, lesson_with_activity, "reports-library-addresses")

    folder = builders.behaviour_machine_name("reports-library-addresses") + "-1.0"
    library_path, script = outcome(frame)["played"].split(" ")
    # Both H5P core's path and h5p-standalone's script address carry the patch.
    assert library_path.endswith(f"/h5p/libraries/{folder}.0")
    assert script.endswith(f"/h5p/libraries/{folder}.0/behaviour.js")


def remote_media_activity(live_server):
    """An activity playing a sound from another origin: the same test server
    reached as 127.0.0.1 instead of localhost (a different website to the
    browser). Returns (activity, that origin)."""
    port = live_server.url.rsplit(":", 1)[1]
    remote_origin = f"http://127.0.0.1:{port}"
    # Any media file the other origin serves will do: a library's own sound.
    sound = import_h5p_package(builders.build_behaviour_package("plays-sound"))
    folder = f"{sound.main_library.folder_name}"
    activity = import_h5p_package(
        builders.build_behaviour_package(
            "plays-remote-media",
            content={
                "mediaUrl": f"{remote_origin}/h5p/libraries/{folder}/"
                "sounds/right-answer.wav"
            },
        )
    )
    return activity, remote_origin


def test_remote_media_the_trainer_has_not_allowed_says_why_it_cannot_play(
    page,
    lesson_with_activity,  # noqa: F811
    live_server,
):
    activity, remote_origin = remote_media_activity(live_server)
    _course, lesson = lesson_with_activity(activity, "none", open_lessons=True)
    page.goto(lesson.url)
    frame = page.frame_locator("iframe[data-h5p-player]")

    notice = frame.locator("#h5p-player-blocked-media")
    notice.wait_for()
    assert "has not allowed" in notice.inner_text()
    assert remote_origin in notice.inner_text()
    assert outcome(frame)["played"] is None


def test_remote_media_plays_once_the_trainer_allows_its_website(
    page,
    lesson_with_activity,  # noqa: F811
    live_server,
):
    activity, remote_origin = remote_media_activity(live_server)
    activity.remote_media_origins = f"{remote_origin}/\n"
    activity.full_clean()
    activity.save(update_fields=["remote_media_origins"])
    _course, lesson = lesson_with_activity(activity, "none", open_lessons=True)
    page.goto(lesson.url)
    frame = page.frame_locator("iframe[data-h5p-player]")

    assert outcome(frame) == {"played": "remote media loaded", "failed": None}
    assert frame.locator("#h5p-player-blocked-media").is_hidden()


def test_a_content_type_runs_a_worker_that_cannot_read_the_site(
    page,
    lesson_with_activity,  # noqa: F811
    live_server,
):
    # As Audio Recorder encodes in a worker made from a blob: address. The
    # worker lives in the frame's opaque origin, under the frame's policy.
    activity = import_h5p_package(
        builders.build_behaviour_package(
            "runs-worker", content={"target": f"{live_server.url}/learning/"}
        )
    )
    _course, lesson = lesson_with_activity(activity, "none", open_lessons=True)
    page.goto(lesson.url)

    frame = page.frame_locator("iframe[data-h5p-player]")
    assert outcome(frame) == {
        "played": "worker ran; site not readable",
        "failed": None,
    }
