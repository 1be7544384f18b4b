"""Site-wide views that belong to no domain app."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """What the site supports for disabled people, its known limits, and how to
    report a barrier."""
    return render(
        request,
        "accessibility_statement.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )
