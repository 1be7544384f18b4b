"""Failed tasks in the Wagtail admin (Settings → Failed tasks), for
superusers and programme managers."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .admin_views import (
    FailedTaskIndexView,
    FailedTaskInspectView,
    FailedTaskPermissionPolicy,
    RetryTaskView,
)

register_permission_policy(DBTaskResult, FailedTaskPermissionPolicy(DBTaskResult))


class FailedTaskViewSet(ModelViewSet):
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
    # Wagtail builds a form class for the add and edit views; the permission
    # policy refuses both and their URLs are left out, so it is never shown.
    form_fields = ["priority"]

    def get_urlpatterns(self):
        read_only = [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in {"add", "edit", "delete", "copy"}
        ]
        return [
            *read_only,
            path(
                "retry/<uuid:pk>/",
                RetryTaskView.as_view(permission_policy=self.permission_policy),
                name="retry",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_failed_tasks():
    return FailedTaskViewSet("failed_tasks")
