from django.urls import path

from responses import dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard_page, name="dashboard"),
    path("deadlines/", dashboard_views.deadline_list, name="deadline-list"),
]
