"""Registering, signing in and out, passwords and the learner's profile."""

from __future__ import annotations

from dataclasses import fields
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from lms.rate_limits import rate_limit, submitted_email

from . import forms, services
from .services import ProfileDetails


def _dashboard_in(language: str) -> str:
    with translation.override(language):
        return reverse("courses:dashboard")


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@sensitive_post_parameters("password1", "password2")
@rate_limit("register", learner=submitted_email, as_json=False)
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("courses:dashboard")
    form = forms.RegistrationForm(
        request.POST or None,
        initial={"preferred_language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_registration(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                details=form.profile_details(),
            )
        except services.DistrictNotInProvince:
            form.add_error("district", _("Choose a district of your province."))
        else:
            # The same answer whether the address was new or already had an
            # account (its owner is told by e-mail), so this page cannot be
            # used to learn who has an account.
            messages.success(
                request,
                _(
                    "Thank you. We have sent a message to %(email)s. If your "
                    "account is new, it is ready: sign in below with the password "
                    "you chose."
                )
                % {"email": form.cleaned_data["email"]},
            )
            with translation.override(form.cleaned_data["preferred_language"]):
                login_url = reverse("accounts:login")
            target = _safe_next(request)
            if target:
                login_url += f"?next={quote(target)}"
            return redirect(login_url)
    return render(request, "accounts/register.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = forms.EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        target = self.get_redirect_url()
        if target:
            return target
        profile = getattr(self.request.user, "profile", None)
        language = profile.preferred_language if profile else translation.get_language()
        return _dashboard_in(language)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # Courses saved for offline hold pages made for this person (sent
        # "no-store" to everyone else): logging out wipes them, the queue and
        # the service worker from a phone the next teacher may use. A phone
        # online enough to log out has already sent its queue (every learner
        # page sends it on load).
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@method_decorator(
    rate_limit("password_reset", learner=submitted_email, as_json=False),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.OwnPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.OwnSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.OwnPasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    current = getattr(request.user, "profile", None)
    initial = (
        {field.name: getattr(current, field.name) for field in fields(ProfileDetails)}
        if current is not None
        else {}
    )
    form = forms.ProfileFieldsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, form.profile_details())
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
