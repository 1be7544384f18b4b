"""Admin actions beyond Wagtail's generic views: registering a walk-in and
cancelling a place. Each finds the event or registration through ``scoping``
first, so another area's id is a 404; the services check the learner's place
again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.models import User

from . import scoping, services
from .forms import WalkInForm
from .models import Registration


@require_POST
@permission_required("events.add_registration", raise_exception=True)
def register_walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = scoping.events_in_scope(request.user).filter(pk=pk).first()
    if event is None:
        raise Http404
    form = WalkInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the e-mail address of a learner."))
        return redirect("events_admin:inspect", event.pk)
    learner = (
        User.objects.select_related("profile")
        .filter(email__iexact=form.cleaned_data["email"])
        .first()
    )
    if learner is None:
        messages.error(
            request,
            _("No learner has this e-mail address. Ask them to create an account."),
        )
        return redirect("events_admin:inspect", event.pk)
    try:
        registration = services.register(event, learner, by=request.user)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(email)s: %(status)s.")
            % {
                "email": learner.email,
                "status": registration.get_status_display(),
            },
        )
    return redirect("events_admin:inspect", event.pk)


@require_POST
@permission_required("events.change_registration", raise_exception=True)
def cancel_registration(request: HttpRequest, pk: int) -> HttpResponse:
    registration = (
        Registration.objects.filter(
            event__in=scoping.events_in_scope(request.user), pk=pk
        )
        .select_related("event", "learner")
        .first()
    )
    if registration is None:
        raise Http404
    try:
        result = services.cancel(registration, by=request.user)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Cancelled. Moved up from the waiting list: %(count)d.")
            % {"count": len(result.promoted)},
        )
    return redirect("events_admin:inspect", registration.event_id)
