"""The private calendar feed and the page where a user gets or revokes its URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from responses import calendar
from responses.models import CalendarToken


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def calendar_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar.revoke_token(user=request.user)
            messages.success(request, "Your calendar address no longer works.")
        else:
            calendar.issue_token(user=request.user)
            messages.success(
                request, "Your new calendar address is ready. Any earlier one no longer works."
            )
        return redirect("calendar-settings")
    token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("calendar-feed", args=[token.token])) if token else ""
    )
    context = {"token": token, "feed_url": feed_url, "manager": calendar.is_manager(request.user)}
    return render(request, "responses/calendar_settings.html", context)


@require_GET
def calendar_feed(request, token: str):
    """No sign-in: calendar programs cannot log in, so the unguessable token is the key."""
    user = calendar.user_for_token(token)
    if user is None:
        raise Http404("No such calendar")
    response = HttpResponse(calendar.feed(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
