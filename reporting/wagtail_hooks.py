"""The dashboard in the Wagtail admin: a panel at the top of the admin's home
page (the first thing a manager sees), the full dashboard with its filters and
downloads, and its menu item."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import scope, views
from .dashboard import build_headline
from .figures import Filters


@hooks.register("register_admin_urls")
def reporting_admin_urls():
    return [
        path("dashboard/", views.DashboardView.as_view(), name="reporting_dashboard"),
        path(
            "dashboard/export/<slug:slug>.<str:file_format>",
            views.export_view,
            name="reporting_export",
        ),
        path("dashboard/refresh/", views.refresh_view, name="reporting_refresh"),
        path(
            "dashboard/events/",
            views.EventReportView.as_view(),
            name="reporting_events",
        ),
        path(
            "dashboard/events/export/<slug:slug>.<str:file_format>",
            views.event_export_view,
            name="reporting_event_export",
        ),
    ]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return scope.for_request(request).may_see_dashboard


@hooks.register("register_admin_menu_item")
def dashboard_menu_item():
    return DashboardMenuItem(
        _("Programme dashboard"),
        reverse("reporting_dashboard"),
        icon_name="table",
        order=1,
    )


class DashboardPanel(Component):
    """The headline figures and the funnel, above every other panel."""

    name = "programme_dashboard"
    order = 0
    template_name = "reporting/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        return {"headline": build_headline(scope.for_request(self.request), Filters())}


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if scope.for_request(request).may_see_dashboard:
        panels.insert(0, DashboardPanel(request))
