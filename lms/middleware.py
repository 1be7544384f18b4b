"""Middleware of our own."""

from __future__ import annotations

from wagtail.contrib.redirects.middleware import (
    RedirectMiddleware as WagtailRedirectMiddleware,
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
