"""Fixtures for tests of the rate limits, imported by each app's limit tests.

Counts live in the cache, which the suite shares between tests (and user ids
repeat), so each test starts from an empty one: the local-memory cache cleared,
or Redis under a prefix of its own.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(params=["local-memory", "redis"])
def counting_cache(request, settings):
    """Run the test with the local-memory cache, then with real Redis."""
    if request.param == "redis":
        yield request.getfixturevalue("redis_cache")
        return
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def set_limit(settings):
    """Return a function setting one action's limits: (requests, seconds)."""

    def set_(action: str, *, learner=None, address=None) -> None:
        settings.RATE_LIMITS = {
            **settings.RATE_LIMITS,
            action: {"learner": learner, "address": address},
        }

    return set_
