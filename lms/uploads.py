"""Uploaded files are downloads, never pages of this site.

A trainer may upload a document that a browser would run: an .html page, an .svg
with a script, a file that sniffs as one. Served from the site's own address, it
would run with the learner's session. So every uploaded file this site serves
itself (Wagtail documents in every environment, ``/media/`` under ``runserver``)
goes out as an attachment, with its type fixed and a sandbox policy that gives it
an opaque origin and no scripts even if a browser shows it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import wraps
from urllib.parse import unquote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views import static

UPLOAD_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
}
# Media folders that are only ever served through a view with its own checks:
# certificate PDFs through /verify/<code>.pdf and its look-up limit.
PRIVATE_MEDIA_FOLDERS = ("certificates/",)


def as_download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    for header, value in UPLOAD_HEADERS.items():
        response[header] = value
    return response


def served_as_download(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Wrap a view that serves an uploaded file (Wagtail's document view)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # Only the file itself: a password form for a restricted collection is
        # a page of the site like any other.
        if response.streaming and response.status_code in (200, 206):
            disposition = response.get("Content-Disposition", "")
            if disposition.startswith("attachment"):
                for header, value in UPLOAD_HEADERS.items():
                    response[header] = value
            else:
                as_download(response, posixpath.basename(unquote(request.path)))
        return response

    return wrapped


def development_media_view(request: HttpRequest, path: str) -> HttpResponse:
    """``/media/`` under ``runserver`` (DEBUG), with the headers production gives."""
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith(PRIVATE_MEDIA_FOLDERS) or name.startswith(".."):
        raise Http404
    response = static.serve(request, name, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        as_download(response, posixpath.basename(name))
    return response
