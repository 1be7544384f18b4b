from django.urls import path

from . import views

app_name = "offline"

# Inside the language prefix (i18n_patterns): each language has its own
# manifest, offline page and sync answers in that language.
urlpatterns = [
    path("manifest.webmanifest", views.web_manifest_view, name="web_manifest"),
    path("offline/", views.offline_page_view, name="page"),
    path(
        "learning/offline/courses/<int:course_id>/",
        views.course_manifest_view,
        name="course_manifest",
    ),
    path(
        "learning/offline/quizzes/<int:quiz_id>/prepare/",
        views.prepare_quiz_view,
        name="prepare_quiz",
    ),
    path(
        "learning/offline/papers/<int:paper_id>/",
        views.paper_view,
        name="paper",
    ),
    path(
        "learning/offline/papers/<int:paper_id>/submit/",
        views.paper_submit_view,
        name="paper_submit",
    ),
    path("learning/offline/sync/", views.sync_view, name="sync"),
]
