"""The learner's CPD record, its share link, and the shared record."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lms.rate_limits import rate_limit

from .credential_views import signed_record
from .models import CpdRecordLink
from .services.cpd_records import (
    cpd_record,
    set_cpd_record_sharing,
    shared_record_owner,
)
from .services.record_documents import record_pdf

if TYPE_CHECKING:
    from .views import SignedInRequest

NOINDEX = "noindex, nofollow, noarchive"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("record_share", as_json=False)
def my_record(request: SignedInRequest) -> HttpResponse:
    """The learner's own record, and the switch for its share link."""
    if request.method == "POST":
        set_cpd_record_sharing(request.user, shared=request.POST.get("share") == "on")
        return redirect("certificates:my_record")
    link = CpdRecordLink.objects.filter(user=request.user, is_shared=True).first()
    share_url = (
        request.build_absolute_uri(
            reverse("certificates:shared_record", args=[link.token])
        )
        if link
        else None
    )
    context = {
        "record": cpd_record(request.user),
        "share_url": share_url,
        "show_award_controls": True,  # the teacher's own consent switches
    }
    return render(request, "certificates/my_record.html", context)


@never_cache
@require_GET
def shared_record(request: HttpRequest, token: str) -> HttpResponse:
    """What an employer sees through the learner's link (404 once off)."""
    owner = shared_record_owner(token)
    if owner is None:
        raise Http404()
    context = {
        "record": cpd_record(owner),
        "json_url": reverse("certificates:shared_record_json", args=[token]),
        "pdf_url": reverse("certificates:shared_record_pdf", args=[token]),
    }
    response = render(request, "certificates/shared_record.html", context)
    response["X-Robots-Tag"] = NOINDEX
    return response


@never_cache
@require_GET
def shared_record_json(request: HttpRequest, token: str) -> HttpResponse:
    """The record as a Verifiable Presentation of our signed Open Badges
    credentials, signed as a whole by us: verified at once."""
    owner = shared_record_owner(token)
    if owner is None:
        raise Http404()
    record = cpd_record(owner)
    record_url = request.build_absolute_uri(
        reverse("certificates:shared_record_json", args=[token])
    )
    presentation = signed_record(record_url, record.certificates, record.awards)
    response = HttpResponse(
        json.dumps(presentation, ensure_ascii=False, indent=2),
        content_type="application/vp+ld+json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Robots-Tag"] = NOINDEX
    return response


def _pdf(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Robots-Tag"] = NOINDEX
    return response


@never_cache
@login_required
@require_GET
def my_record_pdf(request: SignedInRequest) -> HttpResponse:
    """The learner's own record as a PDF (with the signed record's address
    when the share link is on)."""
    link = CpdRecordLink.objects.filter(user=request.user, is_shared=True).first()
    record_url = (
        request.build_absolute_uri(
            reverse("certificates:shared_record_json", args=[link.token])
        )
        if link
        else ""
    )
    pdf = record_pdf(request.user, cpd_record(request.user), record_url)
    return _pdf(pdf, "cpd-record.pdf")


@never_cache
@require_GET
def shared_record_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The shared record as a PDF (404 once the link is off)."""
    owner = shared_record_owner(token)
    if owner is None:
        raise Http404()
    record_url = request.build_absolute_uri(
        reverse("certificates:shared_record_json", args=[token])
    )
    return _pdf(record_pdf(owner, cpd_record(owner), record_url), "cpd-record.pdf")
