"""The public pages for fire and rescue action plans, published and kept up to date."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from inspections import deadlines, tracking
from inspections.pdf import html_to_pdf
from pfcc.pagination import paginate

PAGE_SIZE = 20


def _plan(public_id) -> dict:
    inspection = get_object_or_404(tracking.published_fire_action_plans(), public_id=public_id)
    today = deadlines.today()
    findings = tracking.action_plan_findings(on=today, inspection=inspection)
    groups = [tracking.plan_group(inspection, findings, on=today)]
    return {"inspection": inspection, "groups": groups, "today": today, "public": True}


def fire_action_plans(request):
    pages = paginate(request, tracking.published_fire_action_plans(), per_page=PAGE_SIZE)
    return render(request, "public/action_plan_list.html", {"pages": pages})


def fire_action_plan(request, public_id):
    return render(request, "public/action_plan.html", _plan(public_id))


def fire_action_plan_pdf(request, public_id):
    context = _plan(public_id)
    html = render_to_string("inspections/action_plan_document.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="action-plan-{public_id}.pdf"'
    return response
