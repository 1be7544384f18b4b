"""Playwright runs in a thread of its own: the test's thread keeps no event loop."""

import asyncio
import os

import pytest
from django.db import connection
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from lms.accounts.models import User

from .driver import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_tests_thread_keeps_the_orm_and_asyncio_run_while_a_page_is_open(
    page, make_learner
):
    connection.ensure_connection()
    before = connection.connection
    page.goto("/accounts/login/")
    expect(page.locator("#id_username")).to_be_visible()

    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
    make_learner(email="thread@example.org")  # the ORM, with no async-unsafe flag
    assert User.objects.filter(email="thread@example.org").exists()
    assert connection.connection is before  # the same connection throughout
    assert asyncio.run(asyncio.sleep(0, result="ran")) == "ran"  # as pyHanko does


def test_the_browsers_errors_are_raised_in_the_test(page):
    page.goto("/accounts/login/")
    with pytest.raises(PlaywrightTimeoutError):
        page.click("#no-such-button", timeout=200)
    # Waiting for an event: the predicate runs in Playwright's thread.
    with page.expect_response(lambda answer: "/accounts/login/" in answer.url) as info:
        page.reload()
    assert info.value.status == 200
    # Proxied objects compare like Playwright's own.
    assert page.main_frame == page.frames[0]
    assert page.locator("#id_username").first.get_attribute("name") == "username"
