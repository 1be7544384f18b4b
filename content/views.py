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
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
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
        # Library folders by their full version ("H5P.Foo-1.2" -> "H5P.Foo-1.2.3"):
        # files are cached for a year under that address, and a patch update
        # has a new one, so learners get it at once.
        "libraryDirectories": {
            library.folder_name: library.versioned_folder_name
            for library in activity.libraries.all()
        },
        "objectId": activity.xapi_object_id,
        "parentOrigin": origin,
        "language": language,
        "direction": direction,
    }
    # The player's own messages (a failed start, blocked media) are in the
    # learner's language: the frame's address carries no language prefix.
    with translation.override(language):
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


# A library file under its full version never changes: a patch update has a new
# address. Under major.minor only (H5P's own name for the folder), it changes
# with the next patch, so it is kept briefly.
LIBRARY_FILE_MAX_AGE = 365 * 24 * 60 * 60
UNVERSIONED_LIBRARY_FILE_MAX_AGE = 5 * 60


@answers_cors_preflight
def library_file_view(request: HttpRequest, folder: str, path: str) -> HttpResponse:
    lookup, patch = _library_lookup(folder)
    library = H5PLibrary.objects.filter(**lookup).first()
    name = library and services.library_file_name(library, path)
    if not name:
        raise Http404
    if patch is None:
        return _package_file(name, max_age=UNVERSIONED_LIBRARY_FILE_MAX_AGE)
    if patch != library.patch_version:
        # A player opened before a patch update: send it to the files it has now.
        response = HttpResponseRedirect(
            reverse("content:library_file", args=[library.versioned_folder_name, path])
        )
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = "no-store"
        return response
    response = _package_file(name, max_age=LIBRARY_FILE_MAX_AGE)
    response["Cache-Control"] += ", immutable"
    return response


def _library_lookup(folder: str) -> tuple[dict, int | None]:
    """The library a folder name names ("H5P.Foo-1.2" or "H5P.Foo-1.2.3"), and
    its patch version if given."""
    machine_name, _dash, version = folder.rpartition("-")
    parts = version.split(".")
    if not (machine_name and len(parts) in (2, 3) and all(p.isdigit() for p in parts)):
        raise Http404
    lookup = {
        "machine_name": machine_name,
        "major_version": int(parts[0]),
        "minor_version": int(parts[1]),
    }
    return lookup, int(parts[2]) if len(parts) == 3 else None


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
