"""Benchmark settings: production-like code paths, tasks run in process, no e-mail."""

import os

from lms.settings.base import *  # noqa: F403

SECRET_KEY = "benchmark-only-secret-key-not-used-anywhere-else-0123456789"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Tasks run in process, unless a suite queues them as production does.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "BENCH_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
