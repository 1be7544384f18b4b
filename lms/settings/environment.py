"""Turn environment variables into Django settings.

Each function takes the environment as a mapping so tests can check every
branch without touching ``os.environ``. Every value has a safe default for one
machine; setting the variable is how the platform scales out (see README).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ

FALSE_WORDS = {"0", "false", "no", "off", "n", ""}


class ConfigurationError(Exception):
    """A required environment variable is missing or malformed."""


class Env(environ.Env):
    """django-environ's reader over a mapping (``os.environ``, or a dict in tests).

    Its parsing is django-environ's (``bool``, ``int``, ``list``, ``db_url``,
    ``cache_url``, ``email_url``); on top, a refusal names the variable, a
    boolean that is neither true nor false is refused rather than read as false,
    and a number or address set to nothing counts as unset (an empty list stays
    empty: ``CSP_EMBED_SOURCES=`` allows no players). Plain strings, secrets
    included, are read from the mapping itself: django-environ would read a
    value starting with ``$`` as the name of another variable.
    """

    def __init__(self, environ_map: Mapping[str, str]) -> None:
        super().__init__()
        self.ENVIRON = environ_map

    def get_value(
        self,
        var: str,
        cast: Any = None,
        default: Any = environ.Env.NOTSET,
        parse_default: bool = False,
    ) -> Any:
        raw = self.ENVIRON.get(var)
        if raw is not None:
            if cast is bool:
                word = raw.strip().lower()
                if word not in FALSE_WORDS and word not in self.BOOLEAN_TRUE_STRINGS:
                    raise ConfigurationError(
                        f"{var} must be true or false, not {raw!r}."
                    )
            elif (
                not raw.strip()
                and default is not self.NOTSET
                and cast is not list
                and not isinstance(cast, list)
            ):
                return default
        try:
            return super().get_value(
                var, cast=cast, default=default, parse_default=parse_default
            )
        except ValueError as error:
            raise ConfigurationError(f"{var} cannot be read: {raw!r}.") from error

    def list(
        self, var: str, cast: Any = None, default: Any = environ.Env.NOTSET
    ) -> Any:
        """Comma-separated, each item stripped of spaces, empty items dropped."""
        items = super().list(var, cast=cast or str.strip, default=default)
        return [item for item in items if item != ""]


def development_secret_key(key_file: Path) -> str:
    """A secret key generated once per checkout and kept out of the repository."""
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def databases(environ_map: Mapping[str, str], sqlite_path: Path) -> dict[str, Any]:
    env = Env(environ_map)
    config = env.db_url("DATABASE_URL", default=f"sqlite:///{sqlite_path}")
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        # WAL lets the task worker write while the web process reads, and the
        # timeout waits out the worker's short write locks instead of failing.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif engine == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
    return {"default": config}


def storages(environ_map: Mapping[str, str]) -> dict[str, Any]:
    """Local files by default; any S3-compatible store when a bucket is named."""
    static_backend = environ_map.get(
        "DJANGO_STATICFILES_STORAGE",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    )
    bucket = environ_map.get("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    else:
        options: dict[str, Any] = {
            "bucket_name": bucket,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        }
        for env_name, option in [
            ("AWS_S3_ENDPOINT_URL", "endpoint_url"),
            ("AWS_S3_REGION_NAME", "region_name"),
            ("AWS_ACCESS_KEY_ID", "access_key"),
            ("AWS_SECRET_ACCESS_KEY", "secret_key"),
            ("AWS_S3_CUSTOM_DOMAIN", "custom_domain"),
            ("AWS_LOCATION", "location"),
        ]:
            if environ_map.get(env_name):
                options[option] = environ_map[env_name]
        default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    return {"default": default, "staticfiles": {"BACKEND": static_backend}}


def media_origins(environ_map: Mapping[str, str]) -> list[str]:
    """Where uploaded images and videos are fetched from, for the CSP: nowhere but
    this site with local files; the S3 store's own address otherwise."""
    bucket = environ_map.get("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return []
    if environ_map.get("AWS_S3_CUSTOM_DOMAIN"):
        return [f"https://{environ_map['AWS_S3_CUSTOM_DOMAIN']}"]
    if environ_map.get("AWS_S3_ENDPOINT_URL"):
        parts = urlsplit(environ_map["AWS_S3_ENDPOINT_URL"])
        return [f"{parts.scheme}://{parts.netloc}"]
    region = environ_map.get("AWS_S3_REGION_NAME")
    if region:
        return [f"https://{bucket}.s3.{region}.amazonaws.com"]
    return [f"https://{bucket}.s3.amazonaws.com"]


def caches(environ_map: Mapping[str, str]) -> dict[str, Any]:
    config = Env(environ_map).cache_url("CACHE_URL", default="locmemcache://lms")
    if config["BACKEND"] in (
        "django_redis.cache.RedisCache",
        "django.core.cache.backends.redis.RedisCache",
    ):
        # django-environ names django-redis; we use Django's own Redis backend,
        # which needs only redis-py, keeping its clients (lms/cache.py).
        config["BACKEND"] = "lms.cache.RedisCache"
        config.pop("OPTIONS", None)
    return {"default": config}


def email(environ_map: Mapping[str, str]) -> dict[str, Any]:
    config = Env(environ_map).email_url("EMAIL_URL", default="consolemail://")
    return {key: value for key, value in config.items() if value not in (None, "")}


# Learner writes: (per learner, per client address), each "requests/seconds".
# Address limits are ten times the learner's or more, because a school's wifi or
# a mobile operator's NAT puts many honest learners behind one address.
RATE_LIMIT_DEFAULTS: dict[str, tuple[str | None, str]] = {
    "statement": ("60/60", "600/60"),
    "quiz_save": ("60/60", "600/60"),
    "quiz_submit": ("10/60", "120/60"),
    "enrol": ("20/3600", "300/3600"),
    "register": ("3/3600", "60/3600"),
    "password_reset": ("3/3600", "60/3600"),
    "pdf_check": ("20/600", "60/600"),
    "record_share": ("20/3600", "120/3600"),
    "cohort_join": ("10/3600", "100/3600"),
    "award_consent": ("20/3600", "200/3600"),
    # Programme managers' award files (admin), counted per account.
    "award_upload": ("30/3600", "300/3600"),
    # Registering for an event or cancelling, each a write with an e-mail.
    "event_register": ("20/3600", "300/3600"),
    # One request carries up to 20 queued actions.
    "offline_sync": ("30/60", "300/60"),
    # A hall of attendees shares one wifi: the address limit is generous.
    "check_in": ("20/60", "600/60"),
    # A trainer's phone sends its queue, up to 50 check-ins a request.
    "check_in_sync": ("60/60", "600/60"),
}


def rate_limits(
    environ_map: Mapping[str, str],
) -> dict[str, dict[str, tuple[int, int] | None]]:
    """``RATE_LIMIT_<ACTION>_LEARNER`` and ``…_ADDRESS`` as ``N/SECONDS``, read
    as ``(N, SECONDS)``; an empty value turns that limit off."""
    limits: dict[str, dict[str, tuple[int, int] | None]] = {}
    for action, defaults in RATE_LIMIT_DEFAULTS.items():
        limits[action] = {}
        for scope, default in zip(("learner", "address"), defaults, strict=True):
            name = f"RATE_LIMIT_{action.upper()}_{scope.upper()}"
            raw = environ_map.get(name, default)
            if not raw:
                limits[action][scope] = None
                continue
            limit, _slash, window = raw.strip().partition("/")
            try:
                limits[action][scope] = (int(limit), int(window))
            except ValueError as error:
                raise ConfigurationError(
                    f"{name} must be requests/seconds, such as 60/60, not {raw!r}."
                ) from error
            if min(limits[action][scope]) < 1:
                raise ConfigurationError(f"{name} must count at least 1 in 1 s.")
    return limits
