"""The cohorts section of the admin, on Wagtail's own generic views.

Every view that takes a cohort's id finds it through ``scoping.cohorts_in_scope``,
so a coordinator opening another area's cohort by its address gets a 404, and
the listing shows only their cohorts. Managers add and edit cohorts; coordinators
(who hold only the view permission) inspect theirs, enrol learners from a file
and send announcements (``admin_views``).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import (
    CopyView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
    UsageView,
)
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views, scoping
from .forms import CohortForm
from .models import Cohort, CoordinatorAssignment


class InScopeMixin:
    """Find the cohort among the user's own, whatever id the URL names."""

    def get_object(self, queryset=None):
        cohort = super().get_object(queryset)  # type: ignore[misc]
        if not scoping.can_see_cohort(self.request.user, cohort):  # type: ignore[attr-defined]
            raise Http404
        return cohort


class CohortIndexView(IndexView):
    def get_base_queryset(self):
        # Members counted as the inspect view lists them: within the user's scope.
        user = self.request.user
        visible = Q(memberships__user__in=scoping.learners_in_scope(user))
        return (
            scoping.cohorts_in_scope(user)
            .select_related("programme", "district")
            .annotate(member_count=Count("memberships", filter=visible))
        )


class CohortInspectView(InScopeMixin, InspectView):
    template_name = "cohorts/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = self.object
        user = self.request.user
        members = (
            scoping.learners_in_scope(user)
            .filter(cohort_memberships__cohort=cohort)
            .select_related("profile__district")
            .order_by("email")
        )
        context.update(
            cohort=cohort,
            member_count=members.count(),
            members=members[:50],
            runs=cohort.enrolment_runs.all()[:10],
            announcements=cohort.announcements.all()[:10],
            rules=cohort.reminder_rules.all(),
            can_enrol=user.has_perm("cohorts.add_bulkenrolmentrun"),
            can_announce=user.has_perm("cohorts.add_announcement"),
        )
        return context


class CohortEditView(InScopeMixin, EditView):
    pass


class CohortDeleteView(InScopeMixin, DeleteView):
    pass


class CohortCopyView(InScopeMixin, CopyView):
    pass


class CohortHistoryView(InScopeMixin, HistoryView):
    pass


class CohortUsageView(InScopeMixin, UsageView):
    pass


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    url_prefix = "cohorts"
    url_namespace = "cohorts_admin"
    index_view_class = CohortIndexView
    inspect_view_class = CohortInspectView
    edit_view_class = CohortEditView
    delete_view_class = CohortDeleteView
    copy_view_class = CohortCopyView
    history_view_class = CohortHistoryView
    usage_view_class = CohortUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["programme", "starts_on"]
    search_fields = ["name_en", "name_ur", "join_code"]
    edit_handler = ObjectList(Cohort.panels, base_form_class=CohortForm)

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "name_en",
                label=_("Name"),
                get_url=lambda cohort: reverse(
                    self.get_url_name("inspect"), args=[cohort.pk]
                ),
            ),
            Column("programme", label=_("Programme")),
            Column("district", label=_("District")),
            DateColumn("starts_on", label=_("Starts")),
            Column("member_count", label=_("Members")),
        ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/enrol/", admin_views.upload_learners, name="enrol"),
            path("<int:pk>/announce/", admin_views.announce, name="announce"),
            path("runs/<int:pk>/", admin_views.run_progress, name="run"),
        ]


class CoordinatorAssignmentViewSet(ModelViewSet):
    """Who coordinates what: managers only (the model permissions say so)."""

    model = CoordinatorAssignment
    icon = "user"
    menu_label = _("Coordinators")
    url_prefix = "coordinators"
    url_namespace = "coordinators_admin"
    form_fields = ["user", "programme", "province", "district", "cohort"]
    list_display = ["user", "programme", "province", "district", "cohort"]
    search_fields = ["user__email"]
    copy_view_enabled = False


class CohortsGroup(ViewSetGroup):
    menu_label = _("Cohorts")
    menu_icon = "group"
    menu_order = 250
    items = (
        CohortViewSet("cohorts"),
        CoordinatorAssignmentViewSet("coordinator_assignments"),
    )
