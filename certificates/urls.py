from django.urls import path, register_converter

from . import credential_views, offline_check_views, record_views, views


class CodeConverter:
    """Anything that may be a typed code; the views normalise it."""

    regex = "[0-9A-Za-z-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "code")

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_start, name="verify_start"),
    # Before verify/<code>/: "offline" would pass for a typed code.
    path("verify/offline/", offline_check_views.offline_check, name="offline_check"),
    path("verify/sw.js", offline_check_views.verifier_worker, name="verifier_worker"),
    path(
        "verify/manifest.webmanifest",
        offline_check_views.verifier_manifest,
        name="verifier_manifest",
    ),
    path("verify/<code:code>/", views.verify, name="verify"),
    path("verify/<code:code>.json", views.verify_json, name="verify_json"),
    path("verify/<code:code>.pdf", views.verify_pdf, name="verify_pdf"),
    path(
        "verify/<code:code>/credential.json",
        credential_views.verify_credential,
        name="verify_credential",
    ),
    path("learning/certificates/", views.my_certificates, name="mine"),
    path("learning/record/", record_views.my_record, name="my_record"),
    path("learning/record.pdf", record_views.my_record_pdf, name="my_record_pdf"),
    path("record/<slug:token>/", record_views.shared_record, name="shared_record"),
    path(
        "record/<slug:token>.pdf",
        record_views.shared_record_pdf,
        name="shared_record_pdf",
    ),
    path(
        "record/<slug:token>.json",
        record_views.shared_record_json,
        name="shared_record_json",
    ),
]
