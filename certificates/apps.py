from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from courses.expiries import register_expiry_reader

        from . import receivers  # noqa: F401 - connects the completion receiver
        from .expiries import course_certificates_expiring

        register_expiry_reader(course_certificates_expiring)
