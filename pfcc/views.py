from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None, *, unreadable: str = ""):
    # `unreadable` names the part of the request holding text the site refuses (pfcc.text).
    return render(request, "400.html", {"unreadable": unreadable}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: its processors query the database, which may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
