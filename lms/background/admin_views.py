"""The failed tasks view of the Wagtail admin: tasks that failed for good,
and tasks waiting to be tried again, with their error; staff may retry one."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from . import services


class FailedTaskPermissionPolicy(ModelPermissionPolicy):
    """Staff with "view" see failed tasks, with "change" retry them; nobody
    adds, edits or deletes a task record here."""

    def user_has_permission(self, user, action):
        if action == "view":
            return super().user_has_permission(user, "view")
        if action == "retry":
            return super().user_has_permission(user, "change")
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def task_state(result: DBTaskResult) -> str:
    if result.status == TaskResultStatus.FAILED:
        return str(_("Failed"))
    if result.status == TaskResultStatus.RUNNING:
        return str(_("Running again"))
    return str(_("Waiting to be tried again"))


def error_name(result: DBTaskResult) -> str:
    return result.exception_class_path.rsplit(".", 1)[-1]


class FailedTaskIndexView(IndexView):
    page_title = _("Failed tasks")

    def get_base_queryset(self):
        # A task that succeeded on a later try has its error cleared.
        return DBTaskResult.objects.exclude(exception_class_path="").order_by(
            "-enqueued_at"
        )

    @cached_property
    def columns(self):
        return [
            self._get_title_column("task_name"),
            Column("state", label=_("State"), accessor=task_state),
            Column("error", label=_("Last error"), accessor=error_name),
            Column("attempts", label=_("Tries"), accessor=lambda r: len(r.worker_ids)),
            DateColumn("enqueued_at", label=_("Queued")),
            DateColumn("finished_at", label=_("Failed at")),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == TaskResultStatus.FAILED and self.user_has_permission(
            "retry"
        ):
            buttons.append(
                MenuItem(
                    _("Retry"),
                    url=reverse("failed_tasks:retry", args=[instance.pk]),
                    icon_name="rotate",
                    priority=5,
                )
            )
        return buttons


class FailedTaskInspectView(InspectView):
    fields = [
        "task_path",
        "status",
        "args_kwargs",
        "worker_ids",
        "enqueued_at",
        "started_at",
        "finished_at",
        "exception_class_path",
        "traceback",
    ]


class RetryTaskView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks to confirm; POST queues the task again with fresh tries."""

    permission_required = "retry"
    template_name = "background/confirm_retry.html"
    page_title = _("Retry a failed task")
    header_icon = "rotate"
    index_url_name = "failed_tasks:index"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.result = get_object_or_404(DBTaskResult, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return self.result.task_name

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            result=self.result,
            can_retry=self.result.status == TaskResultStatus.FAILED,
            index_url=reverse(self.index_url_name),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            services.retry_now(str(self.result.pk))
        except ValueError:
            messages.error(request, _("Only a failed task can be retried."))
        else:
            messages.success(
                request,
                _("“%(task)s” is queued again.") % {"task": self.result.task_name},
            )
        return redirect(self.index_url_name)
