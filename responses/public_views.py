from django.shortcuts import render

from responses.models import Response


def home(request):
    responses = Response.objects.published().select_related("inspection")
    return render(request, "public/home.html", {"responses": responses})
