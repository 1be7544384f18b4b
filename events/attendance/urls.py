from django.urls import path

from . import views

app_name = "attendance"

# Inside the language prefix: the attendee's pages answer in their language.
urlpatterns = [
    path(
        "events/check-in/<int:session_id>/<str:token>/",
        views.check_in_view,
        name="check_in",
    ),
    path("events/join/<str:token>/", views.join_view, name="join"),
    path(
        "events/sessions/<int:session_id>/code/",
        views.session_code_view,
        name="session_code",
    ),
    path("events/staff/sessions/", views.staff_sessions_view, name="staff_sessions"),
    path(
        "events/staff/sessions/<int:session_id>/check-in/",
        views.screen_view,
        name="screen",
    ),
    path(
        "events/staff/sessions/<int:session_id>/check-in/state/",
        views.screen_state_view,
        name="screen_state",
    ),
    path(
        "events/staff/sessions/<int:session_id>/check-in/record/",
        views.staff_record_view,
        name="staff_record",
    ),
    path(
        "events/staff/<int:event_id>/certificates/",
        views.event_certificates_view,
        name="event_certificates",
    ),
]
