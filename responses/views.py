from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from responses.models import Response


@login_required
def dashboard(request):
    responses = Response.objects.exclude(status="published").select_related("inspection", "owner")
    return render(request, "responses/dashboard.html", {"responses": responses})
