"""Factory fixtures shared by every app's tests.

Tests build only the pages and people they need, through the same services
and authoring functions the site uses.
"""

from __future__ import annotations

import io
import itertools
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command

from lms.accounts import services as accounts
from lms.accounts.models import District, Province

PASSWORD = "a-long-test-password-42"
_emails = itertools.count(1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _certificate_keys(settings, tmp_path):
    """Each test signs with keys of its own, made in its own folder (never in
    the repository's var/)."""
    settings.CERTIFICATE_KEY_DIR = tmp_path / "certificate-keys"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty local-memory cache: cached fragments,
    Wagtail's site root paths and rate-limit counts of one test never reach the
    next. (A Redis cache is the ``redis_cache`` fixture's, under its own prefix.)"""
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for alias in settings.CACHES:
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to /ur/ activates
    Urdu for the thread, and nothing switches it back until the next request."""
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture
def redis_cache(settings):
    """Make the default cache a real Redis (``TEST_REDIS_URL``, database 15 by
    default) under a prefix of this test's own. Skips where no Redis answers,
    unless ``TEST_REDIS_REQUIRED`` is set (CI sets it)."""
    import os

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("TEST_REDIS_REQUIRED"):
            raise
        pytest.skip(f"needs Redis at {url}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    from django.core.cache import cache

    yield cache
    client = cache.redis_client()
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def home_page(db):
    from lms.home.models import HomePage

    return HomePage.objects.get(locale__language_code="en")


@pytest.fixture
def make_learner(db):
    """Return a function that registers a learner through the real service."""

    def make(email: str | None = None, password: str = PASSWORD, **profile):
        punjab = Province.objects.get(code="PB")
        details = {
            "certificate_name_en": "Muhammad Ali Khan",
            "certificate_name_ur": "محمد علی خان",
            "role": "teacher",
            "sector": "public",
            "province": punjab,
            "district": District.objects.get(code="PB-LHR"),
            "institution": "Government High School",
            "preferred_language": "en",
            **profile,
        }
        return accounts.register_learner(
            email or f"learner{next(_emails)}@example.org",
            password,
            accounts.ProfileDetails(**details),
        )

    return make


@pytest.fixture
def make_course(home_page):
    """Return a function that builds a published programme+course with N lessons."""
    from courses import authoring
    from courses.models import ProgrammePage

    counter = itertools.count(1)

    def make(lessons: int = 3, programme=None, **fields):
        number = next(counter)
        if programme is None:
            programme = ProgrammePage.objects.filter(slug="test-programme").first()
            if programme is None:
                programme = authoring.create_programme(
                    home_page,
                    "Test programme",
                    "test-programme",
                    audience=ProgrammePage.Audience.TEACHERS,
                )
        fields.setdefault("cpd_hours", Decimal("6"))
        course = authoring.create_course(
            programme,
            fields.pop("title", f"Course {number}"),
            fields.pop("slug", f"course-{number}"),
            summary="A course for the tests.",
            **fields,
        )
        for index in range(1, lessons + 1):
            authoring.create_lesson(
                course,
                f"Lesson {index}",
                f"lesson-{index}",
                body=[("text", f"<p>Text of lesson {index}.</p>")],
            )
        return course

    return make


@pytest.fixture
def demo_site(db):
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-speaking server on loopback (moto's standalone mode)."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket="lms-media")
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """Files go to the S3 test server, under a folder of this test's own."""
    location = f"test-{uuid.uuid4().hex}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "lms-media",
                "endpoint_url": s3_server,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
                "location": location,
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    from django.core.files.storage import default_storage

    return default_storage
