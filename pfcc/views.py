import sys

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render, resolve_url
from django.template import loader
from django.views.decorators.http import require_POST

from pfcc import sso
from pfcc.auth import home_url, passwords_accepted, sso_enabled
from pfcc.forms import LoginForm
from pfcc.unavailable import UNAVAILABLE, service_unavailable


def bad_request(request, exception=None, *, unreadable: str = ""):
    # `unreadable` names the part of the request holding text the site refuses (pfcc.text).
    return render(request, "400.html", {"unreadable": unreadable}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Database errors raised outside views (in middleware) arrive here, not at the middleware.
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return service_unavailable()
    # No request context: its processors query the database, which may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


class SignInView(auth_views.LoginView):
    """The sign-in page offers what settings.AUTH_MODE allows (pfcc/auth.py)."""

    authentication_form = LoginForm

    def get_default_redirect_url(self):
        return home_url(self.request.user)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso": sso_enabled(),
            "passwords": passwords_accepted(),
        }


@require_POST
def sign_out(request):
    """Signs out here, and at the identity provider for who signed in with it."""
    redirect_to = sso.end_session_url(request) or resolve_url(settings.LOGOUT_REDIRECT_URL)
    auth.logout(request)
    return HttpResponseRedirect(redirect_to)
