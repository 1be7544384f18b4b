"""The certificates section of the Wagtail admin, on Wagtail's own generic views.

Issued certificates are a read-only ``ModelViewSet``: a listing with search and a
filter set, and an inspect view with the certificate's history and its actions
(revoke, reissue, renew). Nothing is added, edited or deleted through the admin;
every change goes through ``certificates.services`` and is logged.
"""

from __future__ import annotations

import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from lms.admin_viewsets import ReadOnlyViewSetMixin

from . import admin_views, verification
from .codes import normalise_code
from .models import Certificate, CertificateTemplate, Workshop


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Certificate.Status.choices,
        method="filter_status",
        empty_label=_("Any"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Certificate.Kind.choices, empty_label=_("Any")
    )
    issued_on = django_filters.DateFromToRangeFilter(
        label=_("Issued between"), widget=DateRangePickerWidget
    )
    is_current = django_filters.BooleanFilter(label=_("Current (not replaced)"))

    class Meta:
        model = Certificate
        fields = ["status", "kind", "issued_on", "is_current"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset


class StatusColumn(Column):
    """The status as :meth:`Certificate.status` says it, and "replaced"."""

    def get_value(self, instance):
        label = Certificate.Status(instance.status(self.today)).label
        if not instance.is_current:
            return format_html("{} · {}", label, _("replaced"))
        return label

    @cached_property
    def today(self):
        return timezone.localdate()


class CertificateIndexView(IndexView):
    """Search by code (typed any way a code may be typed), name, e-mail or course."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course", "workshop")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        code = normalise_code(self.search_query)
        if code:
            return queryset.filter(verification_code=code)
        return super().search_queryset(queryset)

    def get_table(self, object_list):
        # Look-ups still waiting in Redis are added to the stored counts in one
        # round trip for the page, never one per row.
        return super().get_table(verification.with_pending_counts(object_list))


class CertificateInspectView(InspectView):
    """The certificate, where it came from, its history, and what staff may do."""

    template_name = "certificates/admin/inspect.html"

    def get_object(self, queryset=None):
        certificate = super().get_object(queryset)
        verification.with_pending_counts([certificate])
        return certificate

    def get_page_subtitle(self):
        return self.object.verification_code

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        context.update(
            certificate=certificate,
            status_label=Certificate.Status(certificate.status()).label,
            events=certificate.events.select_related("actor"),
            can_change=self.request.user.has_perm(admin_views.CAN_CHANGE),
            revoke_form=admin_views.RevokeForm(),
            reissue_form=admin_views.ReissueForm(
                initial={
                    "holder_name_en": certificate.holder_name_en,
                    "holder_name_ur": certificate.holder_name_ur,
                }
            ),
        )
        return context


class CertificateViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Issued certificates")
    url_prefix = "certificates"
    url_namespace = "certificates_admin"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = CertificateFilterSet
    search_fields = [
        "holder_name_en",
        "holder_name_ur",
        "email",
        "course_title_en",
        "course_title_ur",
    ]
    list_per_page = 50
    ordering = ["-created_at", "-id"]

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "verification_code",
                label=_("Code"),
                get_url=lambda certificate: reverse(
                    self.get_url_name("inspect"), args=[certificate.pk]
                ),
            ),
            # A holder may have only an Urdu name, a course only an Urdu title.
            Column(
                "holder",
                label=_("Holder"),
                accessor=lambda c: c.holder_name_en or c.holder_name_ur,
            ),
            Column(
                "course",
                label=_("Course or workshop"),
                accessor=lambda c: c.course_title_en or c.course_title_ur,
            ),
            DateColumn("issued_on", label=_("Issued")),
            StatusColumn("status", label=_("Status")),
            Column("times_checked", label=_("Checked")),
        ]

    def get_urlpatterns(self):
        # Read-only: the generic listing and inspect view, and the actions, each
        # of which calls one service. No add, edit, copy or delete view exists.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
            path("<int:pk>/reissue/", admin_views.reissue, name="reissue"),
            path("<int:pk>/renew/", admin_views.renew, name="renew"),
            path(
                "workshops/<int:pk>/issue/",
                admin_views.workshop_issue,
                name="workshop_issue",
            ),
            path("runs/<int:pk>/", admin_views.run_progress, name="run"),
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


class CertificatesGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 300
    items = (
        CertificateViewSet("issued_certificates"),
        CertificateTemplateViewSet("certificate_templates"),
        WorkshopViewSet("workshops"),
    )
