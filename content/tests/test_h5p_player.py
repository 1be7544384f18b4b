"""The player document and the package's files: sandboxed, scoped, cookie-free."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from content.player import player_token

from . import h5p_builders as builders

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, _space, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def test_the_player_document_is_sandboxed_and_may_only_reach_its_own_files(
    client, import_activity
):
    activity = import_activity()
    token = player_token(activity)

    response = client.get(reverse("content:player", args=[token]))

    assert response.status_code == 200
    csp = csp_directives(response)
    assert csp["sandbox"] == "allow-scripts"
    assert "allow-same-origin" not in response["Content-Security-Policy"]
    assert csp["default-src"] == "'none'"
    assert csp["connect-src"].split() == [
        f"http://testserver/h5p/play/{token}/",
        "http://testserver/h5p/libraries/",
    ]
    assert csp["frame-ancestors"] == "http://testserver"
    assert "'unsafe-inline'" not in csp["script-src"]
    # H5P's EmbeddedJS compiles templates at run time; the opaque origin, not
    # CSP, is what keeps package code from the learner's session.
    assert "'unsafe-eval'" in csp["script-src"].split()
    assert csp["media-src"].split() == [
        f"http://testserver/h5p/play/{token}/",
        "http://testserver/h5p/libraries/",
        "blob:",
    ]
    assert csp["form-action"] == "'none'"
    assert csp["base-uri"] == f"http://testserver/h5p/play/{token}/"
    assert csp["frame-src"] == "'none'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    html = response.content.decode()
    assert "h5p-standalone/main.bundle.js" in html
    config = json.loads(
        html.split('id="h5p-player-config" type="application/json">')[1].split(
            "</script>"
        )[0]
    )
    assert config["objectId"] == activity.xapi_object_id
    assert config["h5pJsonPath"] == f"http://testserver/h5p/play/{token}"
    assert config["crossOriginPrefixes"] == [
        f"http://testserver/h5p/play/{token}/",
        "http://testserver/h5p/libraries/",
    ]


def test_the_player_plays_urdu_right_to_left(client, import_activity):
    activity = import_activity(builders.build_urdu_activity_package())
    url = reverse("content:player", args=[player_token(activity)])

    urdu = client.get(f"{url}?lang=ur").content.decode()
    english = client.get(f"{url}?lang=en").content.decode()
    unknown = client.get(f"{url}?lang=xx").content.decode()

    assert '<html lang="ur" dir="rtl">' in urdu
    assert '<html lang="en" dir="ltr">' in english
    assert '<html lang="en" dir="ltr">' in unknown
    # The player's own messages follow the lesson's language (a real Timeline
    # package in an Urdu lesson told of its blocked images in English).
    assert "یہ سرگرمی کسی دوسری ویب سائٹ سے میڈیا چلاتی ہے" in urdu
    assert "This activity plays media from another website" not in urdu
    assert "This activity plays media from another website" in english


def container_tag(html: str) -> str:
    return html.split('<div id="h5p-container"')[1].split(">")[0]


def test_an_editor_made_english_package_reads_left_to_right_in_an_urdu_lesson(
    client, import_activity
):
    # H5P's editor writes language "und" and the author's in defaultLanguage.
    activity = import_activity(builders.build_editor_written_package("en", "en"))
    url = reverse("content:player", args=[player_token(activity)])

    urdu = client.get(f"{url}?lang=ur").content.decode()

    # The player's own messages follow the learner; the activity its own text.
    assert '<html lang="ur" dir="rtl">' in urdu
    assert container_tag(urdu) == ' lang="en" dir="ltr"'


def test_an_editor_made_urdu_package_reads_right_to_left_in_an_english_lesson(
    client, import_activity
):
    activity = import_activity(builders.build_editor_written_package("ur", "ur"))
    url = reverse("content:player", args=[player_token(activity)])

    english = client.get(f"{url}?lang=en").content.decode()

    assert '<html lang="en" dir="ltr">' in english
    assert container_tag(english) == ' lang="ur" dir="rtl"'


def test_a_package_that_names_no_language_follows_the_lesson(client, import_activity):
    activity = import_activity(builders.build_editor_written_package("en", None))
    url = reverse("content:player", args=[player_token(activity)])

    urdu = client.get(f"{url}?lang=ur").content.decode()
    english = client.get(f"{url}?lang=en").content.decode()

    assert container_tag(urdu) == ' lang="ur" dir="rtl"'
    assert container_tag(english) == ' lang="en" dir="ltr"'


def test_a_forged_or_expired_player_address_is_not_found(
    client, import_activity, settings
):
    activity = import_activity()
    token = player_token(activity)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    assert client.get(reverse("content:player", args=[forged])).status_code == 404
    assert (
        client.get(
            reverse("content:activity_file", args=[forged, "h5p.json"])
        ).status_code
        == 404
    )
    settings.SECRET_KEY = "another-secret-key-so-every-old-token-is-invalid"
    assert client.get(reverse("content:player", args=[token])).status_code == 404


def test_package_files_are_served_sandboxed_to_any_origin_without_credentials(
    client, import_activity
):
    activity = import_activity()
    token = player_token(activity)

    content = client.get(
        reverse("content:activity_file", args=[token, "content/content.json"])
    )
    script = client.get(
        reverse("content:library_file", args=[builders.ACTIVITY_FOLDER, "activity.js"])
    )

    for response in (content, script):
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert response["Content-Security-Policy"].startswith("sandbox;")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert json.loads(b"".join(content.streaming_content))["maxScore"] == 1
    assert script["Content-Type"] in ("text/javascript", "application/javascript")
    assert b"".join(script.streaming_content) == builders.ACTIVITY_JS.encode()


def test_a_cors_preflight_for_package_files_is_answered_without_credentials(
    client, import_activity
):
    activity = import_activity()
    urls = [
        reverse("content:activity_file", args=[player_token(activity), "h5p.json"]),
        reverse(
            "content:library_file", args=[builders.ACTIVITY_FOLDER, "library.json"]
        ),
    ]

    for url in urls:
        response = client.options(
            url,
            headers={
                "Origin": "null",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "x-requested-with",
            },
        )
        assert response.status_code == 204
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "x-requested-with" in response["Access-Control-Allow-Headers"].lower()
        assert "Access-Control-Allow-Credentials" not in response
        assert response.content == b""
        assert client.post(url).status_code == 405


def test_the_players_fonts_are_readable_from_the_opaque_origin(settings):
    from django.templatetags.static import static
    from django.test import Client

    # WhiteNoise serves static files in production (from STATIC_ROOT); here it
    # reads them from the finders, and a new client loads the middleware again.
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get(static("h5p-standalone/fonts/h5p-core-30.woff2"))

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "content/../h5p.json",
        "../content/content.json",
        "H5P.AllianceTestActivity-1.0/activity.js",
        "content/missing.png",
        "content/./content.json",
    ],
)
def test_only_the_activitys_own_content_files_are_served(client, import_activity, path):
    activity = import_activity()
    url = reverse("content:player", args=[player_token(activity)]) + path

    assert client.get(url).status_code == 404


def test_an_unknown_library_or_path_outside_it_is_not_found(client, import_activity):
    import_activity()
    for folder, path in [
        ("H5P.Unknown-1.0", "library.json"),
        ("not-a-library", "library.json"),
        (builders.ACTIVITY_FOLDER, "../../content/content.json"),
    ]:
        url = f"/h5p/libraries/{folder}/{path}"
        assert client.get(url).status_code == 404, url


def test_a_lesson_page_with_many_activities_costs_the_same_queries(
    client,
    import_activity,
    lesson_with_activity,
    make_learner,
    django_assert_max_num_queries,
):
    from courses import authoring
    from courses.services import enrol

    first = import_activity()
    course, lesson = lesson_with_activity(first, "completed")
    learner = make_learner()
    enrol(learner, course)
    client.force_login(learner)
    client.get(lesson.url)
    with django_assert_max_num_queries(40) as one_activity:
        response = client.get(lesson.url)
    assert response.content.decode().count("data-h5p-player") == 1
    # Read now: the next request clears the connection's query log.
    one_activity_queries = len(one_activity.captured_queries)

    more = [import_activity() for _ in range(4)]
    crowded = authoring.create_lesson(
        course,
        "Five activities",
        "five",
        body=[
            ("h5p", {"activity": a, "requirement": "completed"}) for a in [first, *more]
        ],
    )
    client.get(crowded.url)
    with django_assert_max_num_queries(one_activity_queries):
        response = client.get(crowded.url)
    assert response.content.decode().count("data-h5p-player") == 5


def test_package_files_are_served_from_s3_too(client, s3_storage, import_activity):
    activity = import_activity()
    token = player_token(activity)

    content = client.get(
        reverse("content:activity_file", args=[token, "content/content.json"])
    )
    script = client.get(
        reverse("content:library_file", args=[builders.ACTIVITY_FOLDER, "activity.js"])
    )

    assert json.loads(b"".join(content.streaming_content))["maxScore"] == 1
    assert b"".join(script.streaming_content) == builders.ACTIVITY_JS.encode()
    assert s3_storage.exists(f"{activity.storage_prefix}h5p.json")


def test_remote_video_sites_the_trainer_allows_join_the_players_policy(
    client, import_activity
):
    activity = import_activity()
    activity.remote_media_origins = (
        "https://www.youtube.com/\nhttps://Videos.Example.org"
    )
    activity.full_clean()
    activity.save()
    token = player_token(activity)

    csp = csp_directives(client.get(reverse("content:player", args=[token])))

    allowed = ["https://www.youtube.com", "https://videos.example.org"]
    assert csp["frame-src"].split() == allowed
    for directive in ("media-src", "img-src"):
        assert set(allowed) <= set(csp[directive].split())
    # YouTube's player is a script of its own; another host's is not.
    assert "https://www.youtube.com" in csp["script-src"].split()
    assert "https://videos.example.org" not in csp["script-src"]
    # Nothing may be sent there, and other activities are unchanged.
    assert "youtube" not in csp["connect-src"]
    other = import_activity()
    other_csp = csp_directives(
        client.get(reverse("content:player", args=[player_token(other)]))
    )
    assert other_csp["frame-src"] == "'none'"
    assert "youtube" not in other_csp["media-src"]


@pytest.mark.parametrize(
    "origins",
    [
        "www.youtube.com",
        "https://www.youtube.com/watch?v=x",
        "javascript:alert(1)",
        "https://example.org; script-src *",
        "https://*.example.org",
    ],
)
def test_a_remote_media_entry_that_is_not_a_website_address_is_refused(
    import_activity, origins
):
    from django.core.exceptions import ValidationError

    activity = import_activity()
    activity.remote_media_origins = origins

    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert "remote_media_origins" in refused.value.message_dict
