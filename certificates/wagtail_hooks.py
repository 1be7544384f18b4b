"""The certificates section of the Wagtail admin, for programme managers."""

from django.urls import include, path, reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .models import CertificateTemplate, Workshop

admin_urlpatterns = [
    path("", admin_views.certificate_index, name="index"),
    path("<int:pk>/", admin_views.certificate_detail, name="detail"),
    path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
    path("<int:pk>/reissue/", admin_views.reissue, name="reissue"),
    path("<int:pk>/renew/", admin_views.renew, name="renew"),
    path(
        "workshops/<int:pk>/issue/", admin_views.workshop_issue, name="workshop_issue"
    ),
    path("runs/<int:pk>/", admin_views.run_progress, name="run"),
]


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [
        path(
            "certificates/",
            include(
                (admin_urlpatterns, "certificates_admin"),
                namespace="certificates_admin",
            ),
        )
    ]


class CertificateTemplateViewSet(ModelViewSet):
    model = CertificateTemplate
    icon = "form"
    menu_label = _("Templates")
    list_display = ["name", "programme", "issuer_en", "validity_months"]
    search_fields = ["name", "issuer_en"]
    copy_view_enabled = True
    inspect_view_enabled = False


class WorkshopViewSet(ModelViewSet):
    model = Workshop
    icon = "group"
    menu_label = _("Workshops")
    list_display = ["title_en", "held_on", "mode", "cpd_hours", "issue_link"]
    search_fields = ["title_en", "title_ur", "slug"]
    copy_view_enabled = False

    def issue_link(self, workshop):
        return format_html(
            '<a class="button button-small" href="{}">{}</a>',
            reverse("certificates_admin:workshop_issue", args=[workshop.pk]),
            _("Issue certificates"),
        )

    issue_link.short_description = _("Certificates")


class CertificateMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.view_certificate")


class CertificatesGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 300
    items = (
        CertificateTemplateViewSet("certificate_templates"),
        WorkshopViewSet("workshops"),
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        issued = CertificateMenuItem(
            _("Issued certificates"),
            reverse_lazy("certificates_admin:index"),
            icon_name="doc-full",
            order=0,
        )
        return [issued, *items]


@hooks.register("register_admin_viewset")
def register_certificates_group():
    return CertificatesGroup()
