"""Thin views for attendance: the attendee's check-in, join and session-code
pages, and the trainer's check-in screen, its queue endpoint and the event's
certificates page. Each parses its input and calls one service."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lms.accounts.models import User
from lms.rate_limits import rate_limit
from lms.request_limits import JsonLimits, JsonRefused, parse_json

from ..models import Event, EventSession, Registration
from . import awards, codes, reads, scope, services

# How long a code that was valid when the attendee opened its link stays good
# for them: long enough to sign in on the spot, not long enough to pass around.
GRANT_SECONDS = 10 * 60
_GRANTS = "events_check_in_grants"
QUEUE_LIMITS = JsonLimits(
    max_bytes=32 * 1024, max_depth=4, max_items=60, max_values=600, max_string=200
)
MAX_CODE_LENGTH = 64


def _grant(request: HttpRequest, session_id: int) -> None:
    grants = {
        key: at
        for key, at in request.session.get(_GRANTS, {}).items()
        if time.time() - at < GRANT_SECONDS
    }
    grants[str(session_id)] = time.time()
    request.session[_GRANTS] = grants


def _granted(request: HttpRequest, session_id: int) -> bool:
    at = request.session.get(_GRANTS, {}).get(str(session_id))
    return at is not None and time.time() - at < GRANT_SECONDS


def _public_session(session_id: int) -> EventSession:
    session = (
        EventSession.objects.select_related("event")
        .filter(pk=session_id)
        .exclude(event__status=Event.Status.DRAFT)
        .first()
    )
    if session is None:
        raise Http404
    return session


def _in_preferred_language(request: HttpRequest, name: str, **kwargs: Any):
    """A redirect to the same page in the learner's own language, if it differs."""
    profile = getattr(request.user, "profile", None)
    language = getattr(profile, "preferred_language", "")
    if not language or language == translation.get_language():
        return None
    with translation.override(language):
        return redirect(reverse(name, kwargs=kwargs))


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("check_in", as_json=False)
def check_in_view(request: HttpRequest, session_id: int, token: str) -> HttpResponse:
    """GET checks the code and asks to confirm (signing in first if needed);
    POST checks in (or out). GET never records anything."""
    session = _public_session(session_id)
    token = token[:MAX_CODE_LENGTH]
    verdict = codes.check_rotating_token(session.pk, token)
    granted = verdict is codes.CodeCheck.VALID or _granted(request, session.pk)
    if verdict is codes.CodeCheck.VALID:
        _grant(request, session.pk)
    context: dict[str, Any] = {"session": session, "event": session.event}
    if request.method == "GET" and request.user.is_authenticated:
        moved = _in_preferred_language(
            request, "attendance:check_in", session_id=session.pk, token=token
        )
        if moved:
            return moved
    if not granted:
        message = (
            services.EXPIRED if verdict is codes.CodeCheck.EXPIRED else services.FORGED
        )
        return render(
            request,
            "events/attendance/check_in.html",
            {**context, "refusal": message, "blocked": True},
            status=400,
        )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "check_out":
                services.check_out(session, request.user)
                messages.success(request, _("You have checked out. Thank you."))
            else:
                result = services.check_in_by_code(
                    session, request.user, token, granted=True
                )
                if result.created:
                    messages.success(request, _("You are checked in. Welcome!"))
                else:
                    messages.info(
                        request,
                        _("You were already checked in (at %(time)s).")
                        % {"time": _local(result.attendance.checked_in_at)},
                    )
            return redirect(request.path)
        except services.CheckInRefused as error:
            context["refusal"] = error.message
            status = 400
    context.update(reads.attendee_state(session, request.user))
    return render(request, "events/attendance/check_in.html", context, status=status)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("check_in", as_json=False)
def join_view(request: HttpRequest, token: str) -> HttpResponse:
    """An attendee's own link to an online session: GET shows the buttons,
    POST records joining (and goes to the meeting) or leaving."""
    link = codes.read_join_token(token)
    session = None
    if link is not None:
        session = (
            EventSession.objects.select_related("event")
            .filter(pk=link.session_id, mode=EventSession.Mode.ONLINE)
            .exclude(event__status=Event.Status.DRAFT)
            .first()
        )
    learner = User.objects.filter(pk=link.user_id).first() if link else None
    if session is None or learner is None:
        return render(
            request,
            "events/attendance/join.html",
            {"refusal": _("This join link is not valid.")},
            status=404,
        )
    context: dict[str, Any] = {"session": session, "event": session.event}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "leave":
                services.check_out(session, learner)
                messages.success(
                    request, _("Your leaving time is recorded. Thank you.")
                )
                return redirect(request.path)
            services.join_online(session, learner)
            return redirect(session.online_link)
        except services.CheckInRefused as error:
            context["refusal"] = error.message
            status = 400
    context.update(reads.attendee_state(session, learner))
    return render(request, "events/attendance/join.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("check_in", as_json=False)
def session_code_view(request: HttpRequest, session_id: int) -> HttpResponse:
    """For those who dial in to an online session: the code the trainer reads out."""
    session = _public_session(session_id)
    context: dict[str, Any] = {"session": session, "event": session.event}
    status = 200
    if request.method == "POST":
        try:
            result = services.check_in_by_session_code(
                session, request.user, request.POST.get("code", "")[:20]
            )
        except services.CheckInRefused as error:
            context["refusal"] = error.message
            status = 400
        else:
            if result.created:
                messages.success(request, _("You are checked in. Welcome!"))
            else:
                messages.info(request, _("You were already checked in."))
            return redirect(request.path)
    context.update(reads.attendee_state(session, request.user))
    return render(
        request, "events/attendance/session_code.html", context, status=status
    )


# Staff pages: a session or event outside the user's scope is a 404, as one
# that does not exist.


def _staff_session(request: HttpRequest, session_id: int) -> EventSession:
    try:
        return scope.session_for_staff(request.user, session_id)
    except EventSession.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET"])
def staff_sessions_view(request: HttpRequest) -> HttpResponse:
    sessions = reads.sessions_for_staff(request.user)
    if sessions is None:
        raise Http404
    return render(
        request, "events/attendance/staff_sessions.html", {"sessions": sessions}
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def screen_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _staff_session(request, session_id)
    return render(
        request,
        "events/attendance/screen.html",
        {
            "session": session,
            "event": session.event,
            "state": reads.screen_state(request, session),
            "names": reads.registered_names(session),
            "client_id": reads.new_client_id(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def screen_state_view(request: HttpRequest, session_id: int) -> HttpResponse:
    """The screen's refresh: the code of now, its QR and the live count."""
    session = _staff_session(request, session_id)
    return JsonResponse(
        {**reads.screen_state(request, session), "csrf": get_token(request)}
    )


@never_cache
@login_required
@require_http_methods(["POST"])
@rate_limit("check_in_sync")
def staff_record_view(request: HttpRequest, session_id: int) -> HttpResponse:
    """Check-ins the trainer made: a JSON queue from the phone (each item once,
    by its id), or one ticked name or typed code from the page's form."""
    session = _staff_session(request, session_id)
    if request.content_type == "application/json":
        try:
            document = parse_json(request.body, QUEUE_LIMITS)
        except JsonRefused as error:
            return JsonResponse({"error": str(error.message)}, status=error.status)
        items = document.get("items") if isinstance(document, dict) else None
        if not isinstance(items, list) or len(items) > services.MAX_QUEUED_ITEMS:
            return JsonResponse({"error": str(services.BAD_QUEUE_ITEM)}, status=400)
        return JsonResponse(
            {
                "results": [_staff_item(session, request.user, item) for item in items],
                "count": services.checked_in_count(session),
            }
        )
    raw: dict[str, Any] = {"id": request.POST.get("client_id", "")}
    if request.POST.get("learner", "").isdigit():
        raw["learner"] = int(request.POST["learner"])
    else:
        raw["code"] = request.POST.get("code", "")[:MAX_CODE_LENGTH]
    answer = _staff_item(session, request.user, raw)
    if answer["status"] == "refused":
        messages.error(request, answer["message"])
    elif answer["status"] == "duplicate":
        messages.info(request, answer["message"])
    else:
        messages.success(request, answer["message"])
    return redirect("attendance:screen", session_id=session.pk)


def _staff_item(session: EventSession, staff: User, raw: Any) -> dict[str, Any]:
    client_id = str(raw.get("id", ""))[:64] if isinstance(raw, dict) else ""
    try:
        item = services.read_staff_check_in(raw)
        result = services.staff_check_in(session, staff, item)
    except services.CheckInRefused as error:
        return {"id": client_id, "status": "refused", "message": str(error.message)}
    name = reads.learner_name(result.attendance.learner)
    if result.created:
        message = _("%(name)s is checked in.") % {"name": name}
    else:
        message = _("%(name)s was already checked in.") % {"name": name}
    return {
        "id": client_id,
        "status": "done" if result.created else "duplicate",
        "learner": result.attendance.learner_id,
        "message": message,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def event_certificates_view(request: HttpRequest, event_id: int) -> HttpResponse:
    """Where each registered learner stands; issue now; issue despite the rule."""
    try:
        event = scope.event_for_staff(request.user, event_id)
    except Event.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        if request.POST.get("action") == "override":
            learner = (
                Registration.objects.filter(
                    event=event, learner_id=_int(request.POST.get("learner"))
                )
                .select_related("learner")
                .first()
            )
            try:
                if learner is None:
                    raise awards.AwardRefused(awards.NOT_REGISTERED)
                awards.override_certificate(
                    event,
                    learner.learner,
                    actor=request.user,
                    reason=request.POST.get("reason", "")[: awards.MAX_REASON_LENGTH],
                )
            except awards.AwardRefused as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("The certificate was issued."))
        else:
            report = awards.award_event_certificates(event, actor=request.user)
            issued = ngettext(
                "%(count)d certificate issued.",
                "%(count)d certificates issued.",
                len(report.issued),
            ) % {"count": len(report.issued)}
            told = ngettext(
                "%(count)d learner told what is missing.",
                "%(count)d learners told what is missing.",
                report.notified,
            ) % {"count": report.notified}
            messages.success(request, f"{issued} {told}")
        return redirect("attendance:event_certificates", event_id=event.pk)
    return render(
        request,
        "events/attendance/event_certificates.html",
        {
            "event": event,
            "standings": awards.standings(event),
            "finished": awards.last_session_ended(event),
        },
    )


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None
