"""Admin actions for programme managers: revoke, reissue and renew a certificate,
and issue a workshop's certificates from an attendee list. Finding and inspecting
certificates is Wagtail's own generic views (``certificates.viewsets``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import services, workshops
from .models import Certificate, Workshop, WorkshopIssueRun

CAN_CHANGE = "certificates.change_certificate"


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Shown publicly on the verification page."),
    )


class ReissueForm(forms.Form):
    holder_name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    holder_name_ur = forms.CharField(
        label=_("Name (Urdu)"), max_length=200, required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("For example: name corrected at the holder's request."),
    )


class AttendeeUploadForm(forms.Form):
    attendees = forms.FileField(
        label=_("Attendee list (CSV)"),
        help_text=_(
            "Columns name_en, name_ur, email with that header row; UTF-8. Either "
            "name may be empty, not both."
        ),
    )

    def clean_attendees(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["attendees"]
        if upload.size > workshops.MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload.name, upload.read()


def _act(request, pk: int, form_class, action):
    certificate = get_object_or_404(Certificate, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("certificates_admin:inspect", pk)
    try:
        result = action(certificate, form.cleaned_data)
    except services.CertificateError as error:
        messages.error(request, error.message)
        return redirect("certificates_admin:inspect", pk)
    return result


@permission_required(CAN_CHANGE, raise_exception=True)
@require_http_methods(["POST"])
def revoke(request, pk: int):
    def action(certificate, data):
        services.revoke_certificate(
            certificate, reason=data["reason"], actor=request.user
        )
        messages.success(request, _("The certificate is revoked."))
        return redirect("certificates_admin:inspect", certificate.pk)

    return _act(request, pk, RevokeForm, action)


@permission_required(CAN_CHANGE, raise_exception=True)
@require_http_methods(["POST"])
def reissue(request, pk: int):
    def action(certificate, data):
        new = services.reissue_certificate(
            certificate,
            actor=request.user,
            holder_name_en=data["holder_name_en"],
            holder_name_ur=data["holder_name_ur"],
            reason=data["reason"],
        )
        messages.success(request, _("A corrected certificate was issued."))
        return redirect("certificates_admin:inspect", new.pk)

    return _act(request, pk, ReissueForm, action)


@permission_required(CAN_CHANGE, raise_exception=True)
@require_http_methods(["POST"])
def renew(request, pk: int):
    def action(certificate, data):
        new = services.renew_certificate(certificate, actor=request.user)
        messages.success(request, _("The certificate was renewed."))
        return redirect("certificates_admin:inspect", new.pk)

    return _act(request, pk, forms.Form, action)


@permission_required("certificates.change_workshop", raise_exception=True)
@require_http_methods(["GET", "POST"])
def workshop_issue(request, pk: int):
    """Upload a workshop's attendee list; issuing runs in the background."""
    workshop = get_object_or_404(Workshop, pk=pk)
    form = AttendeeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, data = form.cleaned_data["attendees"]
        try:
            run = workshops.start_issue_run(
                workshop, data, file_name=name, actor=request.user
            )
        except workshops.AttendeeListError as error:
            form.add_error("attendees", str(error))
        else:
            return redirect("certificates_admin:run", run.pk)
    return render(
        request,
        "certificates/admin/workshop_issue.html",
        {
            "page_title": _("Issue certificates: %(workshop)s")
            % {"workshop": workshop.title_en},
            "header_icon": "doc-full",
            "workshop": workshop,
            "form": form,
            "runs": workshop.issue_runs.all()[:10],
            "issued_count": workshop.certificates.filter(is_current=True).count(),
        },
    )


@permission_required("certificates.view_workshop", raise_exception=True)
def run_progress(request, pk: int):
    run = get_object_or_404(WorkshopIssueRun.objects.select_related("workshop"), pk=pk)
    return render(
        request,
        "certificates/admin/run.html",
        {
            "page_title": _("Issuing for %(workshop)s") % {"workshop": run.workshop},
            "header_icon": "doc-full",
            "run": run,
            "in_progress": run.state
            in (WorkshopIssueRun.State.QUEUED, WorkshopIssueRun.State.RUNNING),
        },
    )
