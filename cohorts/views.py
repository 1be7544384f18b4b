"""Learner pages: joining a cohort with its code, and stopping reminders."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.rate_limits import rate_limit

from . import messages as cohort_messages
from . import services


class JoinForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Cohort code"), max_length=32)


@login_required
@rate_limit("cohort_join", as_json=False)
def join(request: HttpRequest, code: str = "") -> HttpResponse:
    """GET shows the form (filled in from a join link); POST joins."""
    form = JoinForm(request.POST or None, initial={"code": code[:32]})
    if request.method == "POST" and form.is_valid():
        try:
            membership, created = services.join_with_code(
                request.user, form.cleaned_data["code"]
            )
        except services.CohortError as error:
            form.add_error("code", str(error.message))
        else:
            if created:
                messages.success(
                    request,
                    _("You have joined %(cohort)s.")
                    % {"cohort": membership.cohort.name},
                )
            else:
                messages.info(
                    request,
                    _("You are already in %(cohort)s.")
                    % {"cohort": membership.cohort.name},
                )
            return redirect("courses:dashboard")
    return render(request, "cohorts/join.html", {"form": form})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Works without signing in: the signed token names the learner. GET asks,
    POST stops (a mail scanner that follows links changes nothing)."""
    user = cohort_messages.user_for_unsubscribe(token)
    if user is None:
        return render(
            request, "cohorts/unsubscribe.html", {"invalid": True}, status=404
        )
    done = False
    if request.method == "POST":
        cohort_messages.stop_reminders(user)
        done = True
    return render(request, "cohorts/unsubscribe.html", {"done": done})
