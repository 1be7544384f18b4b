from django.urls import path

from . import views
from .quizzes.urls import urlpatterns as quiz_urlpatterns

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalogue_view, name="catalogue"),
    path("learning/", views.dashboard_view, name="dashboard"),
    path("learning/enrol/<int:course_id>/", views.enrol_view, name="enrol"),
    path(
        "learning/lessons/<int:lesson_id>/complete/",
        views.complete_lesson_view,
        name="complete_lesson",
    ),
    *quiz_urlpatterns,
]
