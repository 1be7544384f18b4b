from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from certificates.credential_views import did_document, status_list
from certificates.views import certificate_keys
from offline.views import service_worker_view

from . import views
from .uploads import development_media_view, served_as_download

# Wagtail's document view, serving every document as a download (lms/uploads.py).
document_urls = [
    re_path(
        r"^(\d+)/(.*)$",
        served_as_download(wagtaildocs_serve.serve),
        name="wagtaildocs_serve",
    ),
    *(url for url in wagtaildocs_urls.urlpatterns if url.name != "wagtaildocs_serve"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(document_urls)),
    path("h5p/", include("content.urls")),
    path("h5p/", include("courses.activity_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    # At the root, so the worker's scope covers every language's pages.
    path("sw.js", service_worker_view, name="service_worker"),
    path(
        ".well-known/certificate-keys.json",
        certificate_keys,
        name="certificate_keys",
    ),
    path(".well-known/did.json", did_document, name="did_document"),
    # did:web for a SITE_URL with a path (https://host/lms -> /lms/did.json).
    path("did.json", did_document, name="did_document_for_path"),
    path(
        "credentials/status/<int:list_id>",
        status_list,
        name="status_list",
    ),
]

if settings.DEBUG and settings.MEDIA_URL.startswith("/"):
    # runserver serves uploads itself, as downloads like production (not inline).
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            development_media_view,
            name="development_media",
        )
    )

# Pages people read carry their language in the address: English at /, Urdu
# under /ur/. That keeps every page cacheable and every link shareable.
urlpatterns += i18n_patterns(
    path(
        "accessibility/",
        views.accessibility_statement,
        name="accessibility_statement",
    ),
    path("accounts/", include("lms.accounts.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("awards/", include("awards.urls")),
    path("", include("events.attendance.urls")),
    path("events/", include("events.urls")),
    path("", include("certificates.urls")),
    path("", include("offline.urls")),
    path("", include("courses.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
