from django.urls import path

from responses import public_views

urlpatterns = [
    path("", public_views.home, name="public-home"),
]
