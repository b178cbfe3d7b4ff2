from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pfcc import health
from pfcc.forms import LoginForm

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", include("inspections.urls")),
    path("staff/", include("responses.urls")),
    path("", include("responses.public_urls")),
    path("", include("inspections.public_urls")),
]

handler403 = "pfcc.views.permission_denied"
handler404 = "pfcc.views.page_not_found"
handler500 = "pfcc.views.server_error"
