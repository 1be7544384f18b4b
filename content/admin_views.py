"""The Wagtail admin's upload page for H5P packages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .forms import H5PUploadForm

UPLOAD_PERMISSION = "content.add_h5pactivity"


def upload_h5p_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(UPLOAD_PERMISSION):
        raise PermissionDenied
    form = H5PUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        activity = form.save(request.user)
        if activity is not None:
            messages.success(
                request,
                _("H5P activity “%(title)s” uploaded.") % {"title": activity.title},
            )
            return redirect("wagtailsnippets_content_h5pactivity:list")
    return TemplateResponse(
        request,
        "content/admin/upload_h5p.html",
        {"form": form, "page_title": _("Upload an H5P package")},
    )
