"""Development on one machine: `make run`."""

from . import environment
from .base import *  # noqa: F403
from .base import ENV, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = ENV.get("DJANGO_SECRET_KEY") or environment.development_secret_key(
    VAR_DIR / "dev-secret-key"
)
# runserver serves static files itself; the manifest needs collectstatic.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
