"""Playwright's sync API, driven from a thread of its own.

Playwright's sync API keeps an asyncio event loop marked as running in the
thread that started it, between calls too. In the test thread that loop would
make Django refuse the test's own database calls (or, with the async-unsafe
flag, hand out other connection objects) and break code that calls
``asyncio.run()``, such as pyHanko's PAdES signing. So one thread owns
``sync_playwright``, and tests use its objects through ``Remote`` proxies that
run every call there. A test reads the same as with Playwright's own objects:
``page.goto(...)``, ``page.locator(...).first.click()``,
``with page.expect_download() as info:``.

Callbacks (``page.on``, ``page.route``) run in the Playwright thread and get
Playwright's own objects; they must not use the database. Playwright's
``expect`` needs its own objects: use ``expect`` from this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any


class PlaywrightThread:
    """One thread that starts Playwright and makes every call into it."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="playwright"
        )
        self._ident = self._executor.submit(threading.get_ident).result()

    def start(self) -> Remote:
        """Start Playwright in the thread; return its (proxied) entry object."""
        from playwright.sync_api import sync_playwright

        return self.call(lambda: sync_playwright().start())

    def call(self, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Run ``function`` in the Playwright thread and return what it returns,
        with Playwright's objects proxied. Its exceptions are raised here."""
        args, kwargs = _unwrap(args), _unwrap(kwargs)
        if threading.get_ident() == self._ident:  # a callback, already there
            return self.wrap(function(*args, **kwargs))
        return self.wrap(self._executor.submit(function, *args, **kwargs).result())

    def wrap(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.wrap(item) for item in value]
        if isinstance(value, tuple):
            return tuple(self.wrap(item) for item in value)
        if type(value).__module__.startswith("playwright."):
            return Remote(value, self)
        return value

    def stop(self) -> None:
        self._executor.shutdown(wait=True)


def _unwrap(value: Any) -> Any:
    if isinstance(value, Remote):
        return value._target
    if isinstance(value, list):
        return [_unwrap(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_unwrap(item) for item in value)
    if isinstance(value, dict):
        return {key: _unwrap(item) for key, item in value.items()}
    return value


class Remote:
    """A Playwright object that lives in the Playwright thread."""

    __slots__ = ("_target", "_thread")

    def __init__(self, target: Any, thread: PlaywrightThread) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_thread", thread)

    def __getattr__(self, name: str) -> Any:
        # Properties (page.url, locator.first) may call Playwright too.
        value = self._thread.call(getattr, self._target, name)
        if callable(value) and not isinstance(value, Remote):
            return _RemoteMethod(value, self._thread)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        self._thread.call(setattr, self._target, name, value)

    def __enter__(self) -> Any:
        return self._thread.call(self._target.__enter__)

    def __exit__(self, *exc_info: Any) -> Any:
        return self._thread.call(self._target.__exit__, *exc_info)

    def __eq__(self, other: object) -> bool:
        return self._target == _unwrap(other)

    def __hash__(self) -> int:
        return hash(self._target)

    def __repr__(self) -> str:
        return f"Remote({self._target!r})"


class _RemoteMethod:
    __slots__ = ("_method", "_thread")

    def __init__(self, method: Callable[..., Any], thread: PlaywrightThread) -> None:
        self._method = method
        self._thread = thread

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._thread.call(self._method, *args, **kwargs)


def expect(actual: Remote, message: str | None = None) -> Any:
    """Playwright's ``expect``, for a proxied page, locator or response."""
    from playwright.sync_api import expect as playwright_expect

    return actual._thread.call(playwright_expect, actual, message)
