"""Size limits on what a client sends: whole request bodies, and JSON.

``RequestSizeLimitMiddleware`` refuses a body larger than its path allows from
its declared length alone, before anything reads it (Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count file uploads, and a multipart
body is otherwise received whole before any form looks at it). Learner forms and
JSON are small; the PDF check takes one certificate PDF; staff uploads in the
admin (H5P activities, course packages, question banks) are large and are then
held to their own, stricter limits by their importers.

``parse_json`` reads a JSON body within caps on bytes, nesting depth, keys or
items per object or list, values in all and string length, so lists and objects
are held to limits as strings are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.rate_limits import wants_json


def body_limit_for(path: str) -> int:
    """The largest body a request to ``path`` may send, in bytes."""
    for pattern, limit in settings.REQUEST_BODY_LIMITS:
        if re.match(pattern, path):
            return limit
    return settings.REQUEST_BODY_MAX_BYTES


class RequestSizeLimitMiddleware:
    """Answer 413 to a body over its path's limit, judged by ``Content-Length``.

    Runs before any view, CSRF check or form reads the body (their reading
    happens after every middleware's ``__call__`` has passed the request on).
    A body without ``Content-Length`` is never read by Django, so it needs no
    check here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        limit = body_limit_for(request.path_info)
        if length < 0 or length > limit:
            # Nothing more of the body is read; close the connection after the
            # answer rather than drain what the client still sends.
            response = too_large(request, limit)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _(
        "What you sent is too large: this page accepts at most %(size)s. "
        "Nothing was saved."
    ) % {"size": filesizeformat(limit)}
    if wants_json(request):
        return JsonResponse({"error": message}, status=413)
    return render(
        request,
        "request_refused.html",
        {"title": _("Too large"), "message": message},
        status=413,
    )


@dataclass(frozen=True)
class JsonLimits:
    max_bytes: int = 16 * 1024
    max_depth: int = 8
    max_items: int = 50  # keys of one object, or items of one list
    max_values: int = 500  # every value, key and container in the document
    max_string: int = 2000  # characters of one string or key


class JsonRefused(Exception):
    """A JSON body was refused; ``message`` says why, ``status`` is 400 or 413."""

    def __init__(self, message, status: int = 400) -> None:
        self.message = message
        self.status = status
        super().__init__(str(message))


TOO_LARGE = gettext_lazy("The data is too large (at most %(size)d KB).")
NOT_JSON = gettext_lazy("The data is not JSON.")
TOO_DEEP = gettext_lazy("The data nests lists or objects too deeply.")
TOO_MANY = gettext_lazy("The data has too many items.")
TOO_LONG = gettext_lazy("The data has a text that is too long.")


def parse_json(body: bytes, limits: JsonLimits) -> Any:
    """Parse ``body`` within ``limits``, or raise ``JsonRefused``."""
    if len(body) > limits.max_bytes:
        raise JsonRefused(TOO_LARGE % {"size": limits.max_bytes // 1024}, status=413)
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise JsonRefused(NOT_JSON) from error
    check_json_shape(document, limits)
    return document


def check_json_shape(document: Any, limits: JsonLimits) -> None:
    """Walk ``document`` (no recursion) and refuse it past any cap."""
    values = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > limits.max_values:
            raise JsonRefused(TOO_MANY)
        if isinstance(value, str):
            if len(value) > limits.max_string:
                raise JsonRefused(TOO_LONG)
        elif isinstance(value, dict | list):
            if depth > limits.max_depth:
                raise JsonRefused(TOO_DEEP)
            if len(value) > limits.max_items:
                raise JsonRefused(TOO_MANY)
            if isinstance(value, dict):
                for key, item in value.items():
                    stack.append((key, depth + 1))
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)
