import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from pfcc.unavailable import UNAVAILABLE, service_unavailable


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
