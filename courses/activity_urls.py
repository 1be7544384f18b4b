"""A lesson page's reports about its H5P activities, at /h5p/lessons/… beside the
player (outside the language prefix, like the player's own addresses)."""

from django.urls import path

from . import activity_views

app_name = "lesson_activities"

urlpatterns = [
    path(
        "lessons/<int:lesson_id>/activities/<int:activity_id>/statements/",
        activity_views.record_statement_view,
        name="record_statement",
    ),
    path(
        "lessons/<int:lesson_id>/activities/<int:activity_id>/failures/",
        activity_views.record_start_failure_view,
        name="record_start_failure",
    ),
]
