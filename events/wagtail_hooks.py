"""The events section of the Wagtail admin."""

from wagtail import hooks

from .viewsets import EventViewSet


@hooks.register("register_admin_viewset")
def register_events_viewset():
    return EventViewSet("events")
