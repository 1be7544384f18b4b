from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join, name="join_with_code"),
    path("reminders/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
