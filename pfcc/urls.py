from django.contrib import admin
from django.urls import include, path

from pfcc import health, sso, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.sign_out, name="logout"),
    path("accounts/sso/start/", sso.start, name="sso-start"),
    path("accounts/sso/callback/", sso.callback, name="sso-callback"),
    path("staff/", include("inspections.urls")),
    path("staff/", include("responses.urls")),
    path("force/", include("responses.force_urls")),
    path("", include("responses.public_urls")),
    path("", include("inspections.public_urls")),
]

handler400 = "pfcc.views.bad_request"
handler403 = "pfcc.views.permission_denied"
handler404 = "pfcc.views.page_not_found"
handler500 = "pfcc.views.server_error"
