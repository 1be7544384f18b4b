"""Security headers: a strict CSP on every page with nothing inline to break it,
personal pages kept out of caches, uploads served as sandboxed downloads."""

from __future__ import annotations

import importlib
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import clear_url_caches, reverse

from certificates.models import Certificate
from content.player import player_url
from content.services import import_h5p_package
from content.tests import h5p_builders
from courses import services as learning
from courses.quizzes import services as quizzes

# Fixtures shared with the courses and content apps' tests.
from courses.tests.conftest import make_bank, make_quiz  # noqa: F401

pytestmark = pytest.mark.django_db

PERSONAL = "no-store"


class InlineCode(HTMLParser):
    """Collects what a strict CSP refuses: inline scripts, style attributes and
    elements, event-handler attributes and javascript: addresses."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script_src = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            if names.get("src"):
                self._in_script_src = True
            elif names.get("type") == "application/json":
                pass  # data for a script ({{ x|json_script }}), never run
            else:
                self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"{name} handler on <{tag}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: address on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script_src = False

    def handle_data(self, data):
        if self._in_script_src and data.strip():
            self.found.append("code inside a <script src>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.fixture
def site(make_learner, make_course, make_quiz, django_capture_on_commit_callbacks):  # noqa: F811
    """A learner with a certificate, a course in progress with a quiz attempt
    and a submitted one, and the addresses of every kind of page."""
    learner = make_learner()
    finished = make_course(lessons=1, title="Finished course")
    with django_capture_on_commit_callbacks(execute=True):
        learning.enrol(learner, finished)
        learning.record_lesson_complete(learner, finished.lessons().first().pk)
    certificate = Certificate.objects.get(user=learner)
    course = make_course(lessons=2, title="Course in progress")
    learning.enrol(learner, course)
    lesson = course.lessons().first()
    learning.record_lesson_complete(learner, lesson.pk)
    quiz = make_quiz(course, draw=2, max_attempts=3)
    submitted = quizzes.start_attempt(learner, quiz, "en")
    quizzes.submit_attempt(learner, submitted.pk, {})
    attempt = quizzes.start_attempt(learner, quiz, "en")
    code = certificate.verification_code
    personal = {
        "dashboard": reverse("courses:dashboard"),
        "my certificates": reverse("certificates:mine"),
        "profile": reverse("accounts:profile"),
        "password change": reverse("accounts:password_change"),
        "quiz": reverse("courses:quiz", args=[quiz.pk]),
        "quiz attempt": reverse("courses:quiz_attempt", args=[attempt.pk]),
        "quiz result": reverse("courses:quiz_result", args=[submitted.pk]),
        "course, signed in": course.url,
        "lesson, signed in": lesson.url,
    }
    public = {
        "home": "/",
        "catalogue": reverse("courses:catalogue"),
        "course": course.url,
        "programme": course.get_parent().url,
    }
    anonymous_accounts = {
        "login": reverse("accounts:login"),
        "registration": reverse("accounts:register"),
        "password reset": reverse("accounts:password_reset"),
    }
    verification = {
        "verification start": reverse("certificates:verify_start"),
        "verification": reverse("certificates:verify", args=[code]),
    }
    return {
        "learner": learner,
        "certificate": certificate,
        "personal": personal,
        "public": public,
        "accounts": anonymous_accounts,
        "verification": verification,
    }


def assert_strict_policy(response, label):
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"], label
    assert policy["style-src"] == ["'self'"], label
    assert policy["default-src"] == ["'self'"], label
    assert policy["object-src"] == ["'none'"], label
    assert policy["frame-ancestors"] == ["'none'"], label
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], label
    assert "'unsafe-eval'" not in response["Content-Security-Policy"], label


def test_every_page_has_the_strict_policy_and_nothing_inline(client, site):
    pages = {**site["accounts"], **site["verification"], **site["public"]}
    for label, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, label
        assert_strict_policy(response, label)
        assert inline_code(response.content.decode()) == [], label
    client.force_login(site["learner"])
    for label, url in site["personal"].items():
        response = client.get(url)
        assert response.status_code == 200, label
        assert_strict_policy(response, label)
        assert inline_code(response.content.decode()) == [], label


def test_urdu_pages_keep_their_prefix_in_every_site_link(client, site):
    client.force_login(site["learner"])
    for url in ("/ur/courses/", "/ur" + site["personal"]["dashboard"]):
        response = client.get(url)
        html = response.content.decode()
        assert_strict_policy(response, url)
        assert inline_code(html) == [], url
        # The footer's verification link.
        assert 'href="/ur/verify/"' in html, url
        assert 'href="/verify/"' not in html, url


def test_the_checker_finds_what_the_policy_would_refuse():
    html = (
        '<p style="color:red" onclick="x()">a</p><script>go()</script>'
        '<style>p{}</style><a href="javascript:go()">b</a>'
        '<script src="/static/ok.js"></script><script src="/a.js">b()</script>'
        '<script id="data" type="application/json">{"a": 1}</script>'
    )
    assert inline_code(html) == [
        "style attribute on <p>",
        "onclick handler on <p>",
        "inline <script>",
        "<style> element",
        "javascript: address on <a>",
        "code inside a <script src>",
    ]


def test_personal_pages_are_private_and_never_stored(client, site):
    for label, url in site["accounts"].items():
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and PERSONAL in cache_control, label
    client.force_login(site["learner"])
    for label, url in site["personal"].items():
        response = client.get(url)
        assert response.status_code == 200, label
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and PERSONAL in cache_control, label
        assert "public" not in cache_control, label


def test_public_pages_for_visitors_stay_cacheable(client, site):
    for label, url in site["public"].items():
        response = client.get(url)
        assert response.status_code == 200, label
        assert PERSONAL not in response.get("Cache-Control", ""), label
        assert "private" not in response.get("Cache-Control", ""), label
    keys = client.get(reverse("certificate_keys"))
    assert keys["Cache-Control"] == "public, max-age=3600"


def test_a_post_made_by_a_learner_is_not_stored(client, make_learner, make_course):
    learner, course = make_learner(), make_course(lessons=1)
    client.force_login(learner)
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert PERSONAL in response["Cache-Control"]


def test_the_admin_has_its_own_narrower_policy(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    # Wagtail's date choosers are inline scripts (see settings): allowed here
    # only, and still no eval, no plugins, nothing from elsewhere.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "gravatar" not in response.content.decode()


def test_the_h5p_player_keeps_its_own_sandboxed_policy(client, rf):
    activity = import_h5p_package(h5p_builders.build_activity_package())
    url = player_url(rf.get("/"), activity, "en")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox allow-scripts;")
    assert "frame-ancestors 'none'" not in response["Content-Security-Policy"]


def test_embedded_videos_are_responsive_without_an_inline_style(settings):
    from wagtail.embeds.models import Embed

    settings.WAGTAILEMBEDS_RESPONSIVE_HTML = True
    embed = Embed(
        url="https://www.youtube.com/watch?v=abc",
        html='<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>',
        width=640,
        height=360,
    )
    html = render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})
    assert 'class="responsive-object"' in html
    assert inline_code(html) == []


# Uploaded files -------------------------------------------------------------

HOSTILE_FILES = {
    "page.html": b"<!doctype html><script>fetch('/learning/')</script>",
    "drawing.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ),
    "notes.pdf": b"%PDF-1.4\n%hostile\n",
}


def upload_document(name: str, data: bytes):
    from wagtail.documents import get_document_model

    document = get_document_model()(title=name)
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document


def assert_download(response, filename: str):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert f'filename="{filename}"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.fixture
def development_urls(settings):
    """The URLs as ``runserver`` builds them (DEBUG on)."""
    import lms.urls

    settings.DEBUG = True
    importlib.reload(lms.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(lms.urls)
    clear_url_caches()


def test_documents_are_always_sandboxed_downloads(client):
    for name, data in HOSTILE_FILES.items():
        document = upload_document(name, data)
        response = client.get(document.url)
        assert document.url.startswith("/documents/")
        assert_download(response, document.filename)
        assert b"".join(response.streaming_content) == data


def test_a_restricted_documents_password_form_is_a_page_not_a_download(client):
    from wagtail.models import Collection, CollectionViewRestriction

    collection = Collection.get_first_root_node().add_child(name="Trainers only")
    CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="a-long-shared-password",
    )
    document = upload_document("page.html", HOSTILE_FILES["page.html"])
    document.collection = collection
    document.save()
    response = client.get(document.url)
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert_strict_policy(response, "password form")
    assert b"fetch('/learning/')" not in response.content


def test_development_media_are_served_as_production_serves_documents(
    client, development_urls
):
    for name, data in HOSTILE_FILES.items():
        document = upload_document(name, data)
        response = client.get(f"/media/{document.file.name}")
        assert_download(response, document.filename)
        assert b"".join(response.streaming_content) == data


def test_certificate_pdfs_are_reachable_only_through_verification(
    client, development_urls, site
):
    certificate = site["certificate"]
    name = certificate.pdf.name
    assert name.startswith("certificates/")
    for address in (
        f"/media/{name}",
        f"/media//{name}",
        f"/media/images/../{name}",
        f"/media/./{name}",
    ):
        assert client.get(address).status_code == 404, address
    response = client.get(
        reverse("certificates:verify_pdf", args=[certificate.verification_code])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_policy_names_the_s3_store_that_media_come_from():
    from lms.settings.environment import media_origins

    assert media_origins({}) == []
    bucket = {"AWS_STORAGE_BUCKET_NAME": "lms-media"}
    assert media_origins(bucket) == ["https://lms-media.s3.amazonaws.com"]
    assert media_origins({**bucket, "AWS_S3_REGION_NAME": "ap-south-1"}) == [
        "https://lms-media.s3.ap-south-1.amazonaws.com"
    ]
    assert media_origins(
        {**bucket, "AWS_S3_ENDPOINT_URL": "https://minio.example.org:9000/"}
    ) == ["https://minio.example.org:9000"]
    assert media_origins({**bucket, "AWS_S3_CUSTOM_DOMAIN": "media.example.org"}) == [
        "https://media.example.org"
    ]
