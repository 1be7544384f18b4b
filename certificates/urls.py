from django.urls import path, register_converter

from . import credential_views, record_views, views


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
    path("record/<slug:token>/", record_views.shared_record, name="shared_record"),
    path(
        "record/<slug:token>.json",
        record_views.shared_record_json,
        name="shared_record_json",
    ),
]
