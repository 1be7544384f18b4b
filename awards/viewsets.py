"""The awards section of the Wagtail admin, for programme managers only.

Awards are a plain ``ModelViewSet`` (names in English and Urdu, level,
category, year, programme, criteria). Issued awards are read-only listings
and inspect views; issuing and revoking are actions that call
``awards.services``. Coordinators and trainers hold none of these
permissions, so the menu and every view are closed to them.
"""

from __future__ import annotations

import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from lms.admin_viewsets import ReadOnlyViewSetMixin

from . import admin_views
from .models import Award, IssuedAward


class AwardViewSet(ModelViewSet):
    model = Award
    icon = "pick"
    menu_label = _("Awards")
    url_prefix = "awards"
    url_namespace = "awards_admin"
    form_fields = [
        "name_en",
        "name_ur",
        "description_en",
        "description_ur",
        "level",
        "category",
        "year",
        "programme",
        "criteria_en",
        "criteria_ur",
    ]
    search_fields = ["name_en", "name_ur"]
    list_filter = ["level", "category", "year"]
    copy_view_enabled = True
    inspect_view_enabled = False

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "name_en",
                label=_("Name"),
                get_url=lambda award: reverse(
                    self.get_url_name("edit"), args=[award.pk]
                ),
            ),
            "level",
            "category",
            "year",
            Column(
                "issue",
                label=_("Issue"),
                accessor=lambda award: format_html(
                    '<a class="button button-small" href="{}?award={}">{}</a>',
                    reverse("issued_awards:issue"),
                    award.pk,
                    _("Issue"),
                ),
            ),
        ]


class IssuedAwardFilterSet(WagtailFilterSet):
    revoked = django_filters.BooleanFilter(
        label=_("Revoked"), field_name="revoked_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = IssuedAward
        fields = ["award", "revoked"]


class IssuedAwardIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("award")


class IssuedAwardInspectView(InspectView):
    template_name = "awards/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            issued=self.object,
            revoke_form=admin_views.RevokeForm(),
            can_revoke=self.request.user.has_perm("awards.change_issuedaward"),
        )
        return context


class IssuedAwardViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = IssuedAward
    icon = "pick"
    menu_label = _("Issued awards")
    url_prefix = "issued-awards"
    url_namespace = "issued_awards"
    index_view_class = IssuedAwardIndexView
    inspect_view_class = IssuedAwardInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = IssuedAwardFilterSet
    search_fields = ["holder_name_en", "holder_name_ur", "user__email"]
    list_per_page = 50
    ordering = ["-created_at", "-id"]

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "holder",
                label=_("Teacher"),
                accessor=lambda issued: issued.holder_name_en or issued.holder_name_ur,
                get_url=lambda issued: reverse(
                    self.get_url_name("inspect"), args=[issued.pk]
                ),
            ),
            Column("award", label=_("Award"), accessor=lambda issued: issued.award),
            DateColumn("issued_on", label=_("Issued")),
            Column(
                "state",
                label=_("Status"),
                accessor=lambda issued: (
                    _("Revoked") if issued.revoked_at else _("Valid")
                ),
            ),
        ]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("issue/", admin_views.issue, name="issue"),
            path("issue/file/", admin_views.issue_from_file, name="issue_file"),
            path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
        ]


class AwardsGroup(ViewSetGroup):
    menu_label = _("Awards")
    menu_icon = "pick"
    menu_order = 310
    items = (AwardViewSet("awards"), IssuedAwardViewSet("issued_awards"))
