from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("play/<str:token>/", views.player_view, name="player"),
    path(
        "play/<str:token>/<path:path>",
        views.activity_file_view,
        name="activity_file",
    ),
    path("libraries/", views.no_listing_view, name="library_root"),
    path(
        "libraries/<str:folder>/<path:path>",
        views.library_file_view,
        name="library_file",
    ),
]
