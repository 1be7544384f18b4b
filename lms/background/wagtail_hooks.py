"""Failed tasks in the Wagtail admin (Settings → Failed tasks), for
superusers and programme managers."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from lms.admin_viewsets import ReadOnlyViewSetMixin

from .admin_views import (
    FailedTaskIndexView,
    FailedTaskInspectView,
    FailedTaskPermissionPolicy,
    RetryTaskView,
)

register_permission_policy(DBTaskResult, FailedTaskPermissionPolicy(DBTaskResult))


class FailedTaskViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = DBTaskResult
    icon = "warning"
    menu_label = _("Failed tasks")
    add_to_settings_menu = True
    index_view_class = FailedTaskIndexView
    inspect_view_class = FailedTaskInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["status"]
    search_fields = None

    def get_urlpatterns(self):
        # Read-only: the listing, the inspect view and the retry action. No add,
        # edit, copy or delete view exists, so no form class is ever built.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<uuid:pk>/", self.inspect_view, name="inspect"),
            path(
                "retry/<uuid:pk>/",
                RetryTaskView.as_view(permission_policy=self.permission_policy),
                name="retry",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_failed_tasks():
    return FailedTaskViewSet("failed_tasks")
