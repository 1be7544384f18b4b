from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("<slug:public_id>/", views.recognition, name="recognition"),
    path("<slug:public_id>/credential.json", views.credential, name="credential"),
    path("<slug:public_id>/consent/", views.consent, name="consent"),
]
