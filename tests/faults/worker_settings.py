"""Settings of the worker process the fault-injection tests start: the test
settings, with the database queue and the test's own SMTP server and media
folder (``DATABASE_URL`` names the test database)."""

import os

from lms.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["FAULTS_SMTP_PORT"])
EMAIL_TIMEOUT = 5
MEDIA_ROOT = os.environ["FAULTS_MEDIA_ROOT"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
