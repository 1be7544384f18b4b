"""Fixtures for the tests of lms (accounts, settings, the limits)."""

from lms.tests.limit_fixtures import counting_cache, set_limit  # noqa: F401
