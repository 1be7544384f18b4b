"""The certificates section of the Wagtail admin, for programme managers."""

from wagtail import hooks

from .viewsets import CertificatesGroup


@hooks.register("register_admin_viewset")
def register_certificates_group():
    return CertificatesGroup()
