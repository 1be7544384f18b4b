from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certificates.views import certificate_keys

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("h5p/", include("content.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path(
        ".well-known/certificate-keys.json",
        certificate_keys,
        name="certificate_keys",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages people read carry their language in the address: English at /, Urdu
# under /ur/. That keeps every page cacheable and every link shareable.
urlpatterns += i18n_patterns(
    path("accounts/", include("lms.accounts.urls")),
    path("", include("certificates.urls")),
    path("", include("courses.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
