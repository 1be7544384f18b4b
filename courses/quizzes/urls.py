from django.urls import path

from . import views

# Included by courses.urls, inside its "courses" namespace.
urlpatterns = [
    path("learning/quizzes/<int:quiz_id>/", views.quiz_view, name="quiz"),
    path("learning/quizzes/<int:quiz_id>/start/", views.start_view, name="quiz_start"),
    path(
        "learning/attempts/<int:attempt_id>/",
        views.attempt_view,
        name="quiz_attempt",
    ),
    path(
        "learning/attempts/<int:attempt_id>/save/",
        views.save_view,
        name="quiz_save",
    ),
    path(
        "learning/attempts/<int:attempt_id>/submit/",
        views.submit_view,
        name="quiz_submit",
    ),
    path(
        "learning/attempts/<int:attempt_id>/result/",
        views.result_view,
        name="quiz_result",
    ),
]
