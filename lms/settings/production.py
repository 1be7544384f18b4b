"""Production: gunicorn behind a TLS-terminating proxy or load balancer."""

from . import environment
from .base import *  # noqa: F403
from .base import ENV

DEBUG = environment.read_bool(ENV, "DEBUG", False)
SECRET_KEY = ENV.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise environment.ConfigurationError(
        "DJANGO_SECRET_KEY must be set to at least 50 random characters in "
        "production (for example: python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )

SECURE_SSL_REDIRECT = environment.read_bool(ENV, "SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = environment.read_int(
    ENV, "SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = environment.read_bool(
    ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS", True
)
SECURE_HSTS_PRELOAD = environment.read_bool(ENV, "SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = environment.read_bool(ENV, "SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = environment.read_bool(ENV, "CSRF_COOKIE_SECURE", True)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
