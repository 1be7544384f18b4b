"""Addresses and security headers of the sandboxed H5P player.

The player document and the package's files are served from this site, but the
player runs in a frame sandboxed without ``allow-same-origin`` (and its response
carries ``Content-Security-Policy: sandbox allow-scripts`` too, so it is sandboxed
even when opened directly): its origin is opaque, so package code cannot read the
site's cookies or pages, and the browser sends no session cookie with its requests.
The player gets a signed, expiring address instead of a session.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from .models import H5PActivity

PLAYER_SALT = "content.h5p.player"
# A lesson left open overnight must still load its media the next morning.
PLAYER_TOKEN_MAX_AGE = 60 * 60 * 36


def player_start_timeout() -> int:
    """Seconds the lesson page waits for an activity to show something before it
    tells the learner it could not start (slow phones on slow data need long)."""
    return int(getattr(settings, "H5P_START_TIMEOUT_SECONDS", 45))


def player_token(activity: H5PActivity) -> str:
    return signing.TimestampSigner(salt=PLAYER_SALT, sep=".").sign(activity.key.hex)


def activity_for_token(token: str) -> H5PActivity | None:
    try:
        key = signing.TimestampSigner(salt=PLAYER_SALT, sep=".").unsign(
            token, max_age=PLAYER_TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return H5PActivity.objects.filter(key=key).first()


def player_url(request: HttpRequest, activity: H5PActivity, language: str) -> str:
    url = reverse("content:player", args=[player_token(activity)])
    return f"{url}?lang={language}"


def player_language(requested: str) -> tuple[str, str]:
    """(language, direction) for the player document; unknown codes become the
    site's default language."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = requested if requested in codes else settings.LANGUAGE_CODE
    bidi = translation.get_language_info(language)["bidi"]
    return language, "rtl" if bidi else "ltr"


def content_language_and_direction(
    activity: H5PActivity, page_language: str, page_direction: str
) -> tuple[str, str]:
    """(language, direction) of the activity's own text: an English package in an
    Urdu lesson still reads left to right (its questions, buttons and punctuation
    are English); a package that does not say which language it is in follows
    the lesson."""
    language = activity.content_language
    if not language:
        return page_language, page_direction
    base = language.lower().replace("_", "-").split("-")[0]
    return language, "rtl" if base in settings.LANGUAGES_BIDI else "ltr"


def site_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def static_origin_prefix(request: HttpRequest) -> str:
    """Absolute address of the static files, for CSP and the player's options."""
    static_url = settings.STATIC_URL
    if static_url.startswith(("http://", "https://")):
        return static_url
    if static_url.startswith("//"):
        return f"{request.scheme}:{static_url}"
    return site_origin(request) + static_url


# Video sites whose players are scripts of their own (H5P.Video's YouTube handler
# loads the YouTube iframe API); allowing the site for an activity allows these.
VIDEO_SITE_SCRIPTS = {
    "https://www.youtube.com": ["https://www.youtube.com", "https://s.ytimg.com"],
    "https://youtube.com": ["https://www.youtube.com", "https://s.ytimg.com"],
    "https://www.youtube-nocookie.com": [
        "https://www.youtube.com",
        "https://s.ytimg.com",
    ],
}


def player_csp(request: HttpRequest, token: str, media_origins=()) -> str:
    """The player document's policy: scripts only from the player's static files
    and the site's H5P libraries; network only to this activity's files and the
    libraries. The sandbox (an opaque origin) is what keeps package code from the
    learner's session; 'unsafe-eval' inside it reaches nothing more, and H5P's
    templates need it (docs/h5p-sandbox.md)."""
    origin = site_origin(request)
    static = static_origin_prefix(request)
    activity_files = origin + reverse("content:player", args=[token])
    libraries = origin + reverse("content:library_root")
    # Remote video the trainer allowed for this activity, and nothing else.
    remote = " ".join(media_origins)
    remote_scripts = " ".join(
        dict.fromkeys(
            script
            for origin in media_origins
            for script in VIDEO_SITE_SCRIPTS.get(origin, [])
        )
    )
    directives = [
        "sandbox allow-scripts",
        "default-src 'none'",
        f"script-src {static}h5p-standalone/ {static}content/ {libraries} "
        f"{remote_scripts} 'unsafe-eval'",
        f"style-src {static} {libraries} 'unsafe-inline'",
        f"img-src {activity_files} {libraries} {static} {remote} data: blob:",
        f"media-src {activity_files} {libraries} {remote} blob:",
        f"font-src {static} {libraries} data:",
        f"connect-src {activity_files} {libraries}",
        f"frame-src {remote}" if remote else "frame-src 'none'",
        # Workers made from blob: addresses only (Audio Recorder encodes in
        # one): a worker takes the frame's opaque origin and this policy, so it
        # reaches nothing the frame's own scripts cannot (docs/h5p-sandbox.md).
        "worker-src blob:",
        "object-src 'none'",
        # jQuery 3 (H5P core) parses HTML in a document whose <base> is the
        # player's own address; nothing else may become the base.
        f"base-uri {activity_files}",
        "form-action 'none'",
        f"frame-ancestors {origin}",
    ]
    return "; ".join(" ".join(directive.split()) for directive in directives)


# Package files: never a page of this site (sandboxed, no scripts of their own if
# opened directly), readable by the player's opaque origin without credentials.
# Library and content files are public to whoever holds the address (libraries are
# code shared by the whole site; content addresses carry a signed token), so "*"
# gives away nothing, and without credentials no cookie is ever involved.
PACKAGE_FILE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; "
    "img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'",
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
}

# The answer to a CORS preflight for a package file. jQuery, loaded by H5P, takes
# the player's address for its origin and adds X-Requested-With to its requests,
# which from the opaque origin makes every $.ajax/$.getJSON a preflighted request.
PACKAGE_FILE_PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Range, X-Requested-With",
    "Access-Control-Max-Age": "86400",
}
