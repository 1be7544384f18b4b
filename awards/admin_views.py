"""Admin actions for programme managers: issue an award to one teacher or
from a CSV file, and revoke one. Listing and inspecting are Wagtail's generic
views (``awards.viewsets``); every write is one call into ``awards.services``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.images import get_image_model
from wagtail.images.widgets import AdminImageChooser

from lms.accounts.models import User
from lms.rate_limits import rate_limit

from . import bulk, services
from .models import Award, IssuedAward


class IssueForm(forms.Form):
    award = forms.ModelChoiceField(label=_("Award"), queryset=Award.objects.all())
    email = forms.EmailField(label=_("Teacher's e-mail"))
    citation_en = forms.CharField(
        label=_("Citation (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.CITATION_MAX_LENGTH,
        required=False,
    )
    citation_ur = forms.CharField(
        label=_("Citation (Urdu)"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ur"}),
        max_length=services.CITATION_MAX_LENGTH,
        required=False,
    )
    photo = forms.ModelChoiceField(
        label=_("Photo"),
        queryset=get_image_model().objects.all(),
        widget=AdminImageChooser,
        required=False,
        help_text=_("Shown on the public page only once the teacher consents."),
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        teacher = User.objects.filter(email__iexact=email, is_active=True).first()
        if teacher is None:
            raise forms.ValidationError(
                _("No teacher has an account with the address %(value)s."),
                params={"value": email},
            )
        return teacher


class AwardFileForm(forms.Form):
    award = forms.ModelChoiceField(label=_("Award"), queryset=Award.objects.all())
    file = forms.FileField(
        label=_("Winners (CSV)"),
        help_text=_(
            "A header row with the column email, and optionally citation_en and "
            "citation_ur; UTF-8; at most 500 rows."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > bulk.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s KB."),
                params={"size": bulk.MAX_FILE_BYTES // 1024},
            )
        return upload.read()


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Kept with the award; its credential then checks as revoked."),
    )


def _initial_award(request) -> dict:
    award_id = request.GET.get("award", "")
    return {"award": award_id} if award_id.isdigit() else {}


@permission_required(services.CAN_ISSUE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def issue(request):
    form = IssueForm(request.POST or None, initial=_initial_award(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.issue_award(
                data["award"],
                data["email"],
                actor=request.user,
                citation_en=data["citation_en"],
                citation_ur=data["citation_ur"],
                photo=data["photo"],
            )
        except services.AwardError as error:
            form.add_error(None, str(error.message))
        else:
            if issued.created:
                messages.success(request, _("The award was issued."))
            else:
                messages.warning(request, _("This teacher already holds this award."))
            return redirect("issued_awards:inspect", issued.issued_award.pk)
    return render(
        request,
        "awards/admin/issue.html",
        {
            "page_title": _("Issue an award"),
            "header_icon": "pick",
            "form": form,
            "file_form": AwardFileForm(initial=_initial_award(request)),
        },
    )


@permission_required(services.CAN_ISSUE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@rate_limit("award_upload", as_json=False)
def issue_from_file(request):
    form = AwardFileForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = bulk.issue_award_from_file(
                form.cleaned_data["award"],
                form.cleaned_data["file"],
                actor=request.user,
            )
        except bulk.AwardFileError as error:
            form.add_error("file", str(error.message))
    return render(
        request,
        "awards/admin/issue_file.html",
        {
            "page_title": _("Issue an award from a file"),
            "header_icon": "pick",
            "file_form": form,
            "outcome": outcome,
        },
    )


@permission_required(services.CAN_REVOKE, raise_exception=True)
@require_POST
def revoke(request, pk: int):
    issued = get_object_or_404(IssuedAward, pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("issued_awards:inspect", pk)
    try:
        services.revoke_award(
            issued, reason=form.cleaned_data["reason"], actor=request.user
        )
    except services.AwardError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The award is revoked."))
    return redirect("issued_awards:inspect", pk)
