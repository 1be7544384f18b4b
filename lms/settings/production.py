"""Production: gunicorn behind a TLS-terminating proxy or load balancer."""

from . import environment
from .base import *  # noqa: F403
from .base import ENV, env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = ENV.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise environment.ConfigurationError(
        "DJANGO_SECRET_KEY must be set to at least 50 random characters in "
        "production (for example: python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
