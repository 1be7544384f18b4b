"""System checks of our own (registered by lms.accounts on start-up)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches whose counts live inside one process.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, Tags.caches, deploy=True)
def check_limits_are_shared(app_configs=None, **kwargs) -> list[Error]:
    """Rate limits and the verification miss limit count in the cache; with a
    cache of one process, each web process would count on its own (with four
    workers, four times the limit gets through)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES or settings.WEB_CONCURRENCY == 1:
        return []
    return [
        Error(
            "Rate limits are counted in a cache of one process "
            f"({backend.rsplit('.', 1)[-1]}), so each web process would count "
            "them on its own.",
            hint=(
                "Set CACHE_URL to a shared cache such as redis://host:6379/1, or, "
                "if this site truly runs one web process, WEB_CONCURRENCY=1."
            ),
            id="lms.E001",
        )
    ]
