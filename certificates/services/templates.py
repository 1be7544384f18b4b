"""Which template a certificate is drawn with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ..models import CertificateTemplate
from .errors import CertificateError

if TYPE_CHECKING:
    from wagtail.models import Page

DEFAULT_TEMPLATE_NAME = "Default"


def template_for_programme(programme: Page | None) -> CertificateTemplate:
    """The programme's template (in any of its languages), else the default one."""
    template = None
    if programme is not None:
        template = (
            CertificateTemplate.objects.filter(
                programme__translation_key=programme.translation_key
            )
            .order_by("pk")
            .first()
        )
    if template is None:
        template = CertificateTemplate.objects.filter(
            name=DEFAULT_TEMPLATE_NAME
        ).first()
    if template is None:
        raise CertificateError(
            _("No certificate template exists; a programme manager must add one.")
        )
    return template
