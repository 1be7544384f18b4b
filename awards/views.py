"""The public recognition page of an issued award, its credential, and the
teacher's consent switch. Thin: reads here, writes in ``services``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lms.rate_limits import rate_limit

from . import services
from .credentials import signed_award_credential
from .models import IssuedAward
from .record import award_detail

if TYPE_CHECKING:
    from lms.accounts.models import User

    class SignedInRequest(HttpRequest):
        user: User


NOINDEX = "noindex, nofollow, noarchive"


def _visible_award(request: HttpRequest, public_id: str) -> IssuedAward:
    """The award if this visitor may see it: anyone once the teacher has
    consented, else the teacher alone. Others get 404, as for no award."""
    issued = (
        IssuedAward.objects.select_related("award", "photo")
        .filter(public_id=public_id, revoked_at__isnull=True)
        .first()
    )
    if issued is None:
        raise Http404()
    if not issued.page_is_public and issued.user_id != request.user.pk:
        raise Http404()
    return issued


@never_cache
@require_GET
def recognition(request: HttpRequest, public_id: str) -> HttpResponse:
    issued = _visible_award(request, public_id)
    context = {
        "issued": issued,
        "award": issued.award,
        "detail": award_detail(issued.award),
        "is_owner": issued.user_id == request.user.pk,
    }
    response = render(request, "awards/recognition.html", context)
    if not issued.page_is_public:
        response["X-Robots-Tag"] = NOINDEX
    return response


@never_cache
@require_GET
def credential(request: HttpRequest, public_id: str) -> HttpResponse:
    """The award as a signed OpenBadgeCredential (.json)."""
    issued = _visible_award(request, public_id)
    body = signed_award_credential(issued)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/vc+ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="award-{public_id}.json"'
    response["X-Robots-Tag"] = NOINDEX
    return response


@login_required
@require_POST
@rate_limit("award_consent", as_json=False)
def consent(request: SignedInRequest, public_id: str) -> HttpResponse:
    """The teacher's own switch: her award's page public, or hers alone."""
    consented = request.POST.get("public") == "on"
    try:
        services.set_award_page_consent(request.user, public_id, consented=consented)
    except IssuedAward.DoesNotExist:
        raise Http404() from None
    except services.AwardError as error:
        messages.error(request, str(error.message))
        return redirect("certificates:my_record")
    if consented:
        messages.success(request, _("Your award's page is now public."))
    else:
        messages.success(request, _("Your award's page is now private."))
    return redirect("certificates:my_record")
