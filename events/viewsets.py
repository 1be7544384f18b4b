"""The events section of the admin, on Wagtail's own generic views.

Every view that takes an event's id finds it through ``scoping.events_in_scope``,
so a coordinator opening another district's event by its address gets a 404 and
the listing shows only their events. Managers add and edit events (sessions
inline); coordinators (view permission) inspect theirs, see who registered,
register walk-ins and cancel a place (``admin_views``).
"""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import (
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
    UsageView,
)
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views, scoping, services
from .forms import WalkInForm
from .models import Event, Registration


class InScopeMixin:
    """Find the event among the user's own, whatever id the URL names."""

    def get_object(self, queryset=None):
        event = super().get_object(queryset)  # type: ignore[misc]
        if not scoping.can_manage_event(self.request.user, event):  # type: ignore[attr-defined]
            raise Http404
        return event


class EventIndexView(IndexView):
    def get_base_queryset(self):
        return (
            scoping.events_in_scope(self.request.user)
            .select_related("programme", "district")
            .annotate(
                first_start=Min("sessions__starts_at"),
                registered_count=Count(
                    "registrations",
                    filter=Q(registrations__status=Registration.Status.REGISTERED),
                    distinct=True,
                ),
                waiting_count=Count(
                    "registrations",
                    filter=Q(registrations__status=Registration.Status.WAITLISTED),
                    distinct=True,
                ),
            )
        )


class EventInspectView(InScopeMixin, InspectView):
    template_name = "events/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        registrations = event.registrations.select_related(
            "learner__profile__district", "registered_by"
        ).order_by("status", "waitlisted_at", "registered_at", "pk")
        context.update(
            event=event,
            sessions=event.sessions.select_related("district"),
            registrations=registrations,
            counts={
                row["status"]: row["count"]
                for row in event.registrations.values("status").annotate(
                    count=Count("pk")
                )
            },
            walk_in_form=WalkInForm(),
            can_register=self.request.user.has_perm("events.add_registration"),
            can_cancel=self.request.user.has_perm("events.change_registration"),
        )
        return context


class EventEditView(InScopeMixin, EditView):
    def save_instance(self):
        instance = super().save_instance()
        # More places than before: the queue moves up into them.
        services.fill_free_places(instance)
        return instance


class EventDeleteView(InScopeMixin, DeleteView):
    pass


class EventHistoryView(InScopeMixin, HistoryView):
    pass


class EventUsageView(InScopeMixin, UsageView):
    pass


class EventViewSet(ModelViewSet):
    model = Event
    icon = "date"
    menu_label = _("Events")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "events"
    url_namespace = "events_admin"
    index_view_class = EventIndexView
    inspect_view_class = EventInspectView
    edit_view_class = EventEditView
    delete_view_class = EventDeleteView
    history_view_class = EventHistoryView
    usage_view_class = EventUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["status", "kind", "programme", "province", "district"]
    search_fields = ["title_en", "title_ur", "slug"]

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "title_en",
                label=_("Title"),
                get_url=lambda event: reverse(
                    self.get_url_name("inspect"), args=[event.pk]
                ),
            ),
            Column("status", label=_("Status")),
            Column("district", label=_("District")),
            DateColumn("first_start", label=_("Starts")),
            Column("registered_count", label=_("Registered")),
            Column("waiting_count", label=_("Waiting")),
        ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/walk-in/", admin_views.register_walk_in, name="walk_in"),
            path(
                "registrations/<int:pk>/cancel/",
                admin_views.cancel_registration,
                name="cancel_registration",
            ),
        ]
