"""Middleware of our own."""

from __future__ import annotations

import functools
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from wagtail.contrib.redirects.middleware import (
    RedirectMiddleware as WagtailRedirectMiddleware,
)

# Account pages are personal even before anyone has signed in: a password reset
# link carries its token, and a form its CSRF token.
PERSONAL_URL_NAMESPACES = frozenset({"accounts"})


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the site's policy on every page and the
    narrower admin policy (``ADMIN_CONTENT_SECURITY_POLICY``) under the Wagtail
    admin. A response that already carries a policy (the H5P player, uploaded
    files) keeps its own."""

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponse,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and _is_admin(request):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


def _is_admin(request: HttpRequest) -> bool:
    return request.path.startswith(_admin_prefix())


@functools.cache
def _admin_prefix() -> str:
    # The admin's address is fixed by the URL conf: reverse it once, not per page.
    return reverse("wagtailadmin_home")


class PersonalPagesMiddleware:
    """``Cache-Control: private, no-store`` on every response made for a
    signed-in person, and on the account pages.

    A page that shows someone's own records (the dashboard, certificates,
    profile, quiz attempts and results, a course or lesson with their progress)
    must read who is signed in, so the rule is: the session was read and holds a
    signed-in user. Such pages must stay out of shared caches and off the disk of
    a phone that the next teacher at a workshop may use. Pages made for anonymous
    visitors keep their ordinary caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def is_personal(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace in PERSONAL_URL_NAMESPACES:
        return True
    session = getattr(request, "session", None)
    # Only a response that read the session can depend on who is signed in;
    # checking the user of one that did not would mark it "Vary: Cookie".
    return bool(
        session is not None and session.accessed and request.user.is_authenticated
    )


class RedirectMiddleware(WagtailRedirectMiddleware):
    """Wagtail's editor-managed redirects, for addresses no view of ours answers.

    Wagtail looks up a redirect (two queries) for every 404. A 404 from one of
    our own views is that view's answer, not a moved page: an unknown
    certificate code, say, which employers and guessers send in bursts. So
    redirects are looked up only when no address matched or Wagtail's page
    serving found no page.
    """

    def process_response(self, request, response):
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code == 404
            and match is not None
            and match.url_name != "wagtail_serve"
        ):
            return response
        return super().process_response(request, response)
