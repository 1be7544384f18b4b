"""Public event pages and a learner's own registration: thin views over
``reads`` and ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.catalogue import programme_choices
from lms.rate_limits import rate_limit

from . import reads, services
from .messages import calendar_file
from .models import Event, Registration


def _number(value: str) -> int | None:
    try:
        return int(value) or None
    except ValueError:
        return None


def event_list(request: HttpRequest) -> HttpResponse:
    filters = reads.EventFilters(
        programme=_number(request.GET.get("programme", "")[:12]),
        district=_number(request.GET.get("district", "")[:12]),
    )
    page = reads.events_page(filters, request.GET.get("page", 1))
    reads.with_programme_titles(page.object_list, get_language() or "en")
    return render(
        request,
        "events/event_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "programmes": programme_choices(get_language()),
            "districts": reads.district_choices(),
        },
    )


def _public_event(slug: str) -> Event:
    """Published events, and cancelled ones (which say so); never drafts."""
    return get_object_or_404(
        Event.objects.select_related("programme", "district", "course"),
        slug=slug,
        status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    return render(
        request,
        "events/event_detail.html",
        {"view": reads.event_view(event, request.user), "event": event},
    )


@require_POST
@login_required
@rate_limit("event_register", as_json=False)
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    try:
        registration = services.register(event, request.user)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(
                request,
                _("You are registered. We have e-mailed you the details."),
            )
        else:
            messages.info(
                request,
                _(
                    "The event is full, so you are on the waiting list. We will "
                    "e-mail you if a place comes free."
                ),
            )
    return redirect("events:detail", slug=event.slug)


@require_POST
@login_required
@rate_limit("event_register", as_json=False)
def cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    # Only the signed-in learner's own registration can be named here.
    registration = Registration.objects.filter(
        event=event, learner=request.user
    ).first()
    if registration is None:
        raise Http404
    try:
        services.cancel(registration, by=request.user)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", slug=event.slug)


@login_required
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    registration = Registration.objects.filter(
        event=event, learner=request.user, status=Registration.Status.REGISTERED
    ).first()
    if registration is None:
        raise Http404
    response = HttpResponse(
        calendar_file(registration, get_language() or "en"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
