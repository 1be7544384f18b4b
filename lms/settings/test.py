"""The test suite: fast hashing, local-memory cache, tasks run at once."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-that-is-only-used-by-the-test-suite"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Each test gets its own MEDIA_ROOT and CERTIFICATE_KEY_DIR from the autouse
# fixtures in conftest.py; these defaults keep anything else out of the repository.
TEST_FILES_DIR = Path(tempfile.gettempdir()) / "alliance-lms-tests"
MEDIA_ROOT = TEST_FILES_DIR / "media"
AXES_VERBOSE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING"},
}
WHITENOISE_AUTOREFRESH = True
CERTIFICATE_KEY_DIR = TEST_FILES_DIR / "certificate-keys"
# The suite's many requests all come from 127.0.0.1 and reuse user ids, into
# one local-memory cache; tests of the limits set their own (lms/tests).
RATE_LIMITS = {
    action: {"learner": (1_000_000, 60), "address": (1_000_000, 60)}
    for action in RATE_LIMITS  # noqa: F405
}
