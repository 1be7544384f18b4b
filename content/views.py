"""Thin views: the sandboxed player and the package's files.

A learner's results and start failures are reported from a lesson, so those
endpoints are lesson views (courses.activity_views).
"""

from __future__ import annotations

import functools
import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
)

from . import services
from .models import H5PLibrary
from .player import (
    PACKAGE_FILE_HEADERS,
    PACKAGE_FILE_PREFLIGHT_HEADERS,
    activity_for_token,
    content_language_and_direction,
    player_csp,
    player_language,
    site_origin,
)


def set_player_policy(response: HttpResponse, policy: str) -> None:
    """The player's own CSP, never the site's page policy: django-csp skips a
    response marked exempt (and never overwrites a header already set)."""
    response["Content-Security-Policy"] = policy
    response._csp_exempt = True


@require_GET
@xframe_options_sameorigin
@cache_control(private=True, max_age=0)
def player_view(request: HttpRequest, token: str) -> HttpResponse:
    activity = activity_for_token(token)
    if activity is None:
        raise Http404
    language, direction = player_language(request.GET.get("lang", ""))
    content_language, content_direction = content_language_and_direction(
        activity, language, direction
    )
    origin = site_origin(request)
    files_url = origin + reverse("content:player", args=[token])
    config = {
        "h5pJsonPath": files_url.rstrip("/"),
        "librariesPath": origin + reverse("content:library_root").rstrip("/"),
        "frameJs": request.build_absolute_uri(static("h5p-standalone/frame.bundle.js")),
        "frameCss": request.build_absolute_uri(static("h5p-standalone/styles/h5p.css")),
        "crossOriginPrefixes": [
            files_url,
            origin + reverse("content:library_root"),
        ],
        "objectId": activity.xapi_object_id,
        "parentOrigin": origin,
        "language": language,
        "direction": direction,
    }
    response = render(
        request,
        "content/h5p_player.html",
        {
            "activity": activity,
            "config": config,
            "language": language,
            "direction": direction,
            "content_language": content_language,
            "content_direction": content_direction,
        },
    )
    set_player_policy(response, player_csp(request, token, activity.media_origins))
    response["Referrer-Policy"] = "no-referrer"
    return response


def answers_cors_preflight(view):
    """Answer a package file's CORS preflight (OPTIONS) without reading anything:
    the answer is the same for every file, and no credentials are ever allowed."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for header, value in PACKAGE_FILE_PREFLIGHT_HEADERS.items():
                response[header] = value
            return response
        return view(request, *args, **kwargs)

    return require_http_methods(["GET", "HEAD", "OPTIONS"])(wrapped)


@answers_cors_preflight
def activity_file_view(request: HttpRequest, token: str, path: str) -> HttpResponse:
    activity = activity_for_token(token)
    name = activity and services.activity_file_name(activity, path)
    if not name:
        raise Http404
    return _package_file(name, max_age=3600)


def no_listing_view(request: HttpRequest) -> HttpResponse:
    raise Http404


@answers_cors_preflight
def library_file_view(request: HttpRequest, folder: str, path: str) -> HttpResponse:
    library = H5PLibrary.objects.filter(**_library_lookup(folder)).first()
    name = library and services.library_file_name(library, path)
    if not name:
        raise Http404
    # A library version's files never change, so they may be cached long.
    return _package_file(name, max_age=86400)


def _library_lookup(folder: str) -> dict:
    machine_name, _dash, version = folder.rpartition("-")
    major, _dot, minor = version.partition(".")
    if not (machine_name and major.isdigit() and minor.isdigit()):
        raise Http404
    return {
        "machine_name": machine_name,
        "major_version": int(major),
        "minor_version": int(minor),
    }


def _package_file(name: str, *, max_age: int) -> HttpResponse:
    try:
        handle = default_storage.open(name)
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type, _encoding = mimetypes.guess_type(posixpath.basename(name))
    response = FileResponse(
        handle, content_type=content_type or "application/octet-stream"
    )
    for header, value in PACKAGE_FILE_HEADERS.items():
        response[header] = value
    response._csp_exempt = True
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response
