from django.urls import path

from responses import calendar_views, dashboard_views, export_views

urlpatterns = [
    path("", dashboard_views.dashboard_page, name="dashboard"),
    path("deadlines/", dashboard_views.deadline_list, name="deadline-list"),
    path("calendar/", calendar_views.calendar_settings, name="calendar-settings"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar-feed"),
    path("exports/<slug:kind>.<slug:fmt>", export_views.export, name="export"),
]
