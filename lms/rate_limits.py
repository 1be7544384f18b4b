"""Rate limits on learner writes, counted in the cache.

Each action (``statement``, ``quiz_save``, …) has a limit per learner and a
limit per client address, each "so many requests per so many seconds"
(``settings.RATE_LIMITS``, read from the environment). A request is counted
for both; over either limit it is answered 429 with ``Retry-After`` before the
view reads its body or writes anything.

The counts live in Django's cache, so they are only as shared as the cache: with
the local-memory default each process counts on its own, which is why
production needs Redis (``CACHE_URL``) or a single process (the deploy check in
``lms.checks``). Windows are fixed (the count starts again every ``window``
seconds, on the clock), which keeps a check to one ``add`` and one ``incr``
and tells the client exactly when to come back.

We keep this small module rather than django-ratelimit: that library answers
403 without ``Retry-After`` unless wrapped, finds the client address without
our proxy count, and knows nothing of the JSON or HTML answer each endpoint
speaks; what remains of it is the dozen lines below.
"""

from __future__ import annotations

import functools
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` requests in each ``window`` seconds."""

    limit: int
    window: int


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused and when the client may try again."""

    action: str
    scope: str  # "learner" or "address"
    retry_after: int  # seconds


def client_address(request: HttpRequest) -> str:
    """The client's address, trusting ``CLIENT_IP_PROXY_COUNT`` proxies."""
    proxies = settings.CLIENT_IP_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def signed_in_learner(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    return f"user:{user.pk}" if user is not None and user.is_authenticated else None


def _count(action: str, scope: str, identity: str, rate: Rate) -> int | None:
    """Count one request; return seconds to wait if it is over the limit."""
    now = time.time()
    bucket = int(now // rate.window)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = f"rate:{action}:{scope}:{digest}:{bucket}"
    if cache.add(key, 1, timeout=rate.window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(key, 1, timeout=rate.window + 1)
            count = 1
    if count <= rate.limit:
        return None
    return max(1, math.ceil((bucket + 1) * rate.window - now))


def check(
    request: HttpRequest, action: str, learner: str | None = None
) -> Refusal | None:
    """Count this request for ``action``, by ``learner`` (when given) and by
    address; return a refusal when either is over its limit."""
    rates = settings.RATE_LIMITS[action]
    identities = [("address", client_address(request))]
    if learner:
        identities.insert(0, ("learner", learner))
    for scope, identity in identities:
        if rates.get(scope) is None:
            continue
        wait = _count(action, scope, identity, Rate(*rates[scope]))
        if wait is not None:
            return Refusal(action, scope, wait)
    return None


def refusal_message(refusal: Refusal) -> str:
    minutes = math.ceil(refusal.retry_after / 60)
    return ngettext(
        "You have done this too often. Please wait %(minutes)d minute and try "
        "again; nothing was saved this time.",
        "You have done this too often. Please wait %(minutes)d minutes and try "
        "again; nothing was saved this time.",
        minutes,
    ) % {"minutes": minutes}


def too_many_requests(
    request: HttpRequest, refusal: Refusal, *, as_json: bool
) -> HttpResponse:
    """The 429 answer, as JSON or as a page, with ``Retry-After``."""
    message = refusal_message(refusal)
    if as_json:
        response: HttpResponse = JsonResponse(
            {"error": message, "retry_after": refusal.retry_after}, status=429
        )
    else:
        response = render(
            request,
            "request_refused.html",
            {"title": _("Please wait"), "message": message},
            status=429,
        )
    response["Retry-After"] = str(refusal.retry_after)
    return response


def wants_json(request: HttpRequest) -> bool:
    return (
        "application/json" in request.headers.get("Accept", "")
        or request.content_type == "application/json"
    )


def rate_limit(
    action: str,
    *,
    learner: Callable[[HttpRequest], str | None] = signed_in_learner,
    methods: tuple[str, ...] = ("POST",),
    as_json: bool | Callable[[HttpRequest], bool] = wants_json,
):
    """Refuse a view's ``methods`` over the limits of ``action`` (see ``check``).

    ``learner`` names who is counted besides the address: by default the
    signed-in account; an anonymous form may name the e-mail it was given.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                refusal = check(request, action, learner(request))
                if refusal is not None:
                    json_answer = as_json(request) if callable(as_json) else as_json
                    return too_many_requests(request, refusal, as_json=json_answer)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def submitted_email(request: HttpRequest) -> str | None:
    """The e-mail a registration or reset form names, so mails to one address
    are limited whoever asks; falls back to the signed-in account."""
    email = request.POST.get("email", "").strip().lower()[:254]
    return f"email:{email}" if email else signed_in_learner(request)
